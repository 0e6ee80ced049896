"""The portal's forms: each field's label, whether it is required and its format, checked server-side.

``parse(FORM, request.form)`` returns the cleaned values and ``{field: French message}``; a view
re-renders the form with the typed values and those messages when the dict is not empty.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from common.forms import formats
from fixtures import reference

COFOR_RE = re.compile(r"^[0-9A-Z]{6,10}$")
SITE_RE = re.compile(r"^[0-9A-Z]{2,4}$")
IDENTIFIANT_RE = re.compile(r"^V\d{6}$")
PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,20}$")


class EmailCheck:
    """The tree's one email check, in the shape of a pattern."""

    @staticmethod
    def fullmatch(value: str) -> bool:
        return formats.is_valid("email", value)


def _upper_compact(value: str) -> str:
    return "".join(value.split()).upper()


def _digits(value: str) -> str:
    return "".join(value.split())


@dataclass(frozen=True)
class Field:
    """One input: ``name`` as posted, ``label`` as shown, a format check and its French message."""

    name: str
    label: str
    required: bool = True
    max_length: int = 120
    pattern: re.Pattern | None = None
    pattern_message: str = ""
    clean: Callable[[str], str] = str.strip
    choices: Callable[[], list[str]] | None = None


def email(name="email", label="Adresse mail", required=True) -> Field:
    return Field(name, label, required, 254, EmailCheck, f"Le champ « {label} » doit être une adresse mail valide (ex. nom@societe.fr).")


def cofor(required=True) -> Field:
    return Field("cofor", "COFOR", required, 12, COFOR_RE,
                 "Le COFOR est composé de 6 à 10 lettres ou chiffres (ex. 1002031B).", _upper_compact)


def identifiant(required=True) -> Field:
    return Field("identifiant", "Identifiant", required, 20, IDENTIFIANT_RE,
                 "L'identifiant STELLANTIS du Portail B2B commence par V suivi de 6 chiffres (ex. V123456).",
                 _upper_compact)


def phone(name="phone", label="Téléphone", required=False) -> Field:
    return Field(name, label, required, 30, PHONE_RE, f"Le champ « {label} » doit être un numéro de téléphone.")


def text(name: str, label: str, required=True, max_length=120) -> Field:
    return Field(name, label, required, max_length)


SIRET = Field("siret", "SIRET", True, 20, re.compile(r"^\d{14}$"), "Le SIRET comporte 14 chiffres.", _digits)
CODE_SITE = Field("code_site", "Code site", False, 6, SITE_RE,
                  "Le code site est composé de 2 à 4 lettres ou chiffres (ex. 01).", _upper_compact)


def _activities() -> list[str]:
    return reference.load("portail_b2b")["activities"]


def _subjects() -> list[str]:
    return reference.load("portail_b2b")["contact_subjects"]


PRESENTATION = [
    cofor(required=False), text("name", "Raison sociale"), SIRET, text("address", "Adresse", max_length=200),
    Field("postcode", "Code postal", True, 10, re.compile(r"^[0-9A-Z -]{3,10}$"), "Le code postal n'est pas valide."),
    text("city", "Ville", max_length=80), text("country", "Pays", max_length=60),
    Field("activity", "Domaine d'activité", choices=_activities),
    text("contact_last_name", "Nom du contact", max_length=80),
    text("contact_first_name", "Prénom du contact", max_length=80),
    email("contact_email", "Adresse mail du contact"), phone("contact_phone", "Téléphone du contact"),
]
ANALYSE = [cofor(), CODE_SITE]
ACCESS_REQUEST = [cofor(), CODE_SITE, text("last_name", "Nom", max_length=80),
                  text("first_name", "Prénom", max_length=80), email(), phone(required=True),
                  text("function", "Fonction", required=False, max_length=120),
                  Field("terms", "J'accepte les conditions d'utilisation du portail B2B", max_length=5)]
UNKNOWN_COFOR = [text("company", "Raison sociale"), SIRET, text("last_name", "Nom", max_length=80),
                 text("first_name", "Prénom", max_length=80), email(), phone(),
                 text("message", "Message", required=False, max_length=4000)]
LOGIN = [identifiant(), Field("password", "Mot de passe", True, 200, clean=lambda v: v)]
LOST_IDENTIFIANT = [email(), cofor()]
LOST_PASSWORD = [identifiant(), email()]
ASL_TIERS = [identifiant(), cofor(), email()]
NEW_PASSWORD = [Field("password", "Nouveau mot de passe", True, 200, clean=lambda v: v),
                Field("confirmation", "Confirmation du mot de passe", True, 200, clean=lambda v: v)]
CONTACT = [Field("subject", "Objet de votre demande", choices=_subjects),
           text("message", "Votre demande", max_length=4000),
           text("last_name", "Nom", max_length=80), text("first_name", "Prénom", max_length=80),
           text("company", "Société"), email(), phone(),
           identifiant(required=False), cofor(required=False)]


def parse(form: list[Field], data: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Clean every field of ``form`` from ``data``: (values, {field name: message}) in form order."""
    values, errors = {}, {}
    for f in form:
        raw = data.get(f.name, "") or ""
        value = f.clean(raw) if raw else ""
        values[f.name] = value
        if not value:
            if f.required:
                errors[f.name] = (f"L'information {f.label} est obligatoire." if f.name == "cofor"
                                  else f"Le champ « {f.label} » est obligatoire.")
        elif len(value) > f.max_length:
            errors[f.name] = f"Le champ « {f.label} » ne doit pas dépasser {f.max_length} caractères."
        elif f.pattern and not f.pattern.fullmatch(value):
            errors[f.name] = f.pattern_message
        elif f.choices and value not in f.choices():
            errors[f.name] = f"Choisissez une valeur de la liste pour « {f.label} »."
    return values, errors
