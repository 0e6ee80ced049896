"""The portal's forms on the common form layer: each field's label, whether it is required and its
format, checked server-side in the portal's wording (seed 004: « Le champ « … » est obligatoire »).

``parse(FORM, request.form)`` returns the cleaned values and ``{field: French message}``; a view
re-renders the form with the typed values and those messages when the dict is not empty.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from werkzeug.datastructures import MultiDict

from common.forms import EmailField, Form, LoginEmailField, PasswordField, PatternField, PhoneField, SelectField
from common.forms import SiretField, TextAreaField, TextField
from common.forms.fields import compatible
from fixtures import reference


def _upper_compact(value: str) -> str:
    # NFKC: a full-width « Ｖ１２３４５６ » is V123456 (one account, one login lock)
    return "".join(compatible(value).split()).upper()


class B2BForm(Form):
    class Meta:
        wording = "portail_b2b"
        required_mark = "label"


def email(label="Adresse mail", required=True) -> EmailField:
    return EmailField(label, required=required, messages={
        "format": "Le champ « {label} » doit être une adresse mail valide (ex. nom@societe.fr)."})


def account_email(label="Adresse mail") -> LoginEmailField:
    """An address that names (or becomes) a user's: Latin letters (accented or not), NFKC, its case kept — the portal
    matches it « majuscules/minuscules comprises » (seed 004)."""
    return LoginEmailField(label, required=True, keep_case=True, messages={
        "format": "Le champ « {label} » doit être une adresse mail valide (ex. nom@societe.fr)."})


def cofor(required=True) -> PatternField:
    return PatternField("COFOR", required=required, max_length=12, pattern=re.compile(r"[0-9A-Z]{6,10}"),
                        clean=_upper_compact, messages={"required": "L'information COFOR est obligatoire."},
                        pattern_message="Le COFOR est composé de 6 à 10 lettres ou chiffres (ex. 1002031B).")


def identifiant(required=True, autocomplete=None) -> PatternField:
    return PatternField("Identifiant", required=required, max_length=20, pattern=re.compile(r"V\d{6}", re.ASCII),
                        clean=_upper_compact, autocomplete=autocomplete,
                        pattern_message="L'identifiant STELLANTIS du Portail B2B commence par V suivi de 6 "
                                        "chiffres (ex. V123456).")


def phone(label="Téléphone", required=False) -> PhoneField:
    return PhoneField(label, required=required,
                      messages={"format": "Le champ « {label} » doit être un numéro de téléphone."})


def text(label: str, required=True, max_length=120) -> TextField:
    return TextField(label, required=required, max_length=max_length)


def siret() -> SiretField:
    return SiretField("SIRET", required=True, max_length=20,
                      messages={"format": "Le SIRET comporte 14 chiffres."})


def code_site() -> PatternField:
    return PatternField("Code site", max_length=6, pattern=re.compile(r"[0-9A-Z]{2,4}"), clean=_upper_compact,
                        pattern_message="Le code site est composé de 2 à 4 lettres ou chiffres (ex. 01).")


CHOOSE = "— Choisir —"  # the empty first option of a list


class PRESENTATION(B2BForm):
    cofor = cofor(required=False)
    name = text("Raison sociale")
    siret = siret()
    address = text("Adresse", max_length=200)
    postcode = PatternField("Code postal", required=True, max_length=10, pattern=re.compile(r"[0-9A-Z -]{3,10}"),
                            pattern_message="Le code postal n'est pas valide.")
    city = text("Ville", max_length=80)
    country = text("Pays", max_length=60)
    activity = SelectField("Domaine d'activité", required=True, blank=CHOOSE,
                           choices=lambda form: reference.load("portail_b2b")["activities"])
    contact_last_name = text("Nom du contact", max_length=80)
    contact_first_name = text("Prénom du contact", max_length=80)
    contact_email = email("Adresse mail du contact")
    contact_phone = phone("Téléphone du contact")


class ANALYSE(B2BForm):
    cofor = cofor()
    code_site = code_site()


class ACCESS_REQUEST(ANALYSE):
    """The analysed COFOR and code site (hidden inputs), and the person who becomes the ASL Tiers."""
    last_name = text("Nom", max_length=80)
    first_name = text("Prénom", max_length=80)
    email = account_email()
    phone = phone(required=True)
    function = text("Fonction", required=False)
    terms = text("J'accepte les conditions d'utilisation du portail B2B", max_length=5)


class UNKNOWN_COFOR(B2BForm):
    company = text("Raison sociale")
    siret = siret()
    last_name = text("Nom", max_length=80)
    first_name = text("Prénom", max_length=80)
    email = email()
    phone = phone()
    message = TextAreaField("Message", required=False, max_length=4000)


class LOGIN(B2BForm):
    identifiant = identifiant(autocomplete="username")
    password = PasswordField("Mot de passe", required=True, max_length=200, autocomplete="current-password")


class LOST_IDENTIFIANT(B2BForm):
    email = account_email()
    cofor = cofor()


class LOST_PASSWORD(B2BForm):
    identifiant = identifiant()
    email = account_email()


class ASL_TIERS(B2BForm):
    identifiant = identifiant()
    cofor = cofor()
    email = account_email()


class NEW_PASSWORD(B2BForm):
    password = PasswordField("Nouveau mot de passe", required=True, max_length=200, autocomplete="new-password")
    confirmation = PasswordField("Confirmation du mot de passe", required=True, max_length=200,
                                 autocomplete="new-password")


class CONTACT(B2BForm):
    subject = SelectField("Objet de votre demande", required=True, blank=CHOOSE,
                          choices=lambda form: reference.load("portail_b2b")["contact_subjects"])
    message = TextAreaField("Votre demande", required=True, max_length=4000)
    last_name = text("Nom", max_length=80)
    first_name = text("Prénom", max_length=80)
    company = text("Société")
    email = email()
    phone = phone()
    identifiant = identifiant(required=False)
    cofor = cofor(required=False)


def parse(form: type[B2BForm], data: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Clean every field of ``form`` from ``data``: (values as text, {field name: message}) in form order."""
    bound = form(formdata=data if isinstance(data, MultiDict) else MultiDict(data))
    bound.validate()
    values = {f.name: "" if f.value is None else str(f.value) for f in bound}
    for f in bound:  # a refused value is shown again as typed
        if f.errors or f.value is None:
            values[f.name] = f.data or ""
    return values, bound.error_dict


def shown(name: str, values: Mapping[str, str] | None = None, errors: Mapping[str, str] | None = None,
          prefix: str = "") -> B2BForm:
    """The form ``name`` of this module as a page shows it: ``values`` in its inputs, each field flagged
    with its message from ``errors``, ids ``prefix + name``. Templates read it as ``b2b_form(...)``."""
    form = globals().get(name)
    if not (isinstance(form, type) and issubclass(form, B2BForm)):
        raise LookupError(f"no Portail B2B form named {name!r}")
    bound = form(formdata=None, data=dict(values or {}), meta={"id_prefix": prefix})
    for f in bound:
        f.errors = [errors[f.name]] if errors and errors.get(f.name) else []
    return bound
