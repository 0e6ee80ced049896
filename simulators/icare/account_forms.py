"""The Services.Spoticar account forms on the common form layer (seed 003): « + Ajouter un nouvel
utilisateur » and a user's rights."""
from __future__ import annotations

import re

from common.forms import CheckboxesField, Form, LoginEmailField, PatternField, PhoneField, RadioField
from simulators.icare.portal_store import RIGHTS

NAME_RE = re.compile(r"[^\W\d_]+([ '\-][^\W\d_]+)*")
_RIGHTS_MESSAGE = "Cochez au moins un droit pour cet établissement."
_DEALER_MESSAGE = "Choisissez un établissement dont vous gérez les comptes."


class IcareForm(Form):
    class Meta:
        wording = "icare"
        required_mark = "none"


def _name(label: str, example: str) -> PatternField:
    message = f"Le champ {label} ne doit contenir que des lettres, espaces, apostrophes ou tirets."
    return PatternField(label, required=True, max_length=80, hint=example, pattern=NAME_RE,
                        pattern_message=message, messages={"too_long": message})


def _phone(kind: str, label: str, example: str) -> PhoneField:
    return PhoneField(label, hint=example, input_type="tel", messages={
        "format": f"Le numéro de téléphone {kind} doit avoir 10 chiffres (ex. : 06 23 42 54 55)."})


def _rights() -> CheckboxesField:
    return CheckboxesField("Droits de l'utilisateur pour cet établissement :", required=True, choices=RIGHTS,
                           drop_unknown=True,
                           messages={"required": _RIGHTS_MESSAGE, "choice": _RIGHTS_MESSAGE})


class NewUserForm(IcareForm):
    """Informations personnelles, the establishment (``dealers``: those the user manages), the rights."""

    dealers: list = []
    last_name = _name("Nom", "Ex: GELOEN")
    first_name = _name("Prénom", "Ex: Alexandre")
    email = LoginEmailField("Identifiant/Email", required=True, hint="Ex: alexandre@gmail.com", messages={
        "required": "Le champ Identifiant/Email est obligatoire.",
        "format": "L'identifiant doit être une adresse email valide (ex. : alexandre@gmail.com)."})
    mobile = _phone("mobile", "Numéro de téléphone mobile (optionnel)", "Ex: 06 23 42 54 55")
    phone = _phone("fixe", "Numéro de téléphone fixe (optionnel)", "Ex: 01 34 34 67 88")
    code_t = RadioField("Gestion des droits", required=True,
                        choices=lambda form: [(d.code_t, f"{d.name} {d.code_t} {d.city}") for d in form.dealers],
                        messages={"required": _DEALER_MESSAGE, "choice": _DEALER_MESSAGE})
    rights = _rights()


class RightsForm(IcareForm):
    rights = _rights()
