"""Services.Spoticar's workshop forms on the common form layer (seed 003): « Déposer une demande de
prise en charge » and the repairer's « Créer un compte »; labels with their " *"."""
from __future__ import annotations

import re

from common.forms import (DateField, EmailField, IntegerField, MoneyField, PatternField, PhoneField,
                          PostcodeField, SelectField, SiretField, TextAreaField, TextField)
from simulators.icare.account_forms import IcareForm

NATURES = ("Garantie", "Entretien")


class WorkshopForm(IcareForm):
    class Meta:
        required_mark = "label"


class ClaimForm(WorkshopForm):
    """A claim on one of the establishment's contracts (the view looks the contract up)."""

    contract_number = TextField("N° de contrat", required=True, max_length=11)
    nature = SelectField("Nature de l'intervention", required=True, choices=NATURES, messages={
        "choice": "Nature de l'intervention : choisissez Garantie ou Entretien."})
    work_date = DateField("Date de l'intervention", required=True)
    mileage_km = IntegerField("Kilométrage", required=True, max=2_000_000)
    description = TextAreaField("Description des travaux", required=True, max_length=2000, messages={
        "too_long": "Description des travaux : 2000 caractères au plus."})
    amount_ht = MoneyField("Montant HT estimé", required=True, max=100_000, hint="450,00")


def _hint(text: str) -> dict[str, str]:
    """A field's own "Libellé : what is expected" line for a value of the wrong form or length."""
    return {"format": "{label} : " + text, "too_long": "{label} : " + text}


class RepairerForm(WorkshopForm):
    """Vous êtes réparateur ? Créer un compte."""

    company = PatternField("Raison sociale du garage", required=True, max_length=120, pattern=re.compile(r".{2,}"),
                           pattern_message="Raison sociale du garage : 2 à 120 caractères.",
                           messages=_hint("2 à 120 caractères."))
    siret = SiretField("N° SIRET", required=True, messages=_hint("14 chiffres."))
    last_name = TextField("Nom", required=True, max_length=80, messages=_hint("80 caractères au plus."))
    first_name = TextField("Prénom", required=True, max_length=80, messages=_hint("80 caractères au plus."))
    email = EmailField("Email", required=True, autocomplete="email",
                       messages=_hint("adresse email invalide (ex. : atelier@garage.fr)."))
    phone = PhoneField("Numéro de téléphone (optionnel)", input_type="tel",
                       messages=_hint("10 chiffres (ex. : 01 34 34 67 88)."))
    postcode = PostcodeField("Code postal", required=True, messages=_hint("5 chiffres."))
    city = TextField("Ville", required=True, max_length=80, messages=_hint("80 caractères au plus."))

    def stored(self) -> dict[str, str]:
        """The request's columns: cleaned text, "" for the optional phone left empty."""
        return {name: value or "" for name, value in self.values().items()}
