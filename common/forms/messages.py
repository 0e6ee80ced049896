"""The French messages of every form, written once; each system's own wording kept as data.

A wording is a dict of templates with ``{label}`` (as on screen, without the asterisk),
``{label_lower}``, ``{max_length}``, ``{min}``, ``{max}``, ``{min_year}``, ``{max_year}`` and
``{message}`` (the text a format check gave). Apps pick theirs with ``Form.Meta.wording``; a key an
app does not set falls back to ``DEFAULT``.
"""
from __future__ import annotations

DEFAULT = {
    "required": "Le champ {label} est obligatoire.",
    "too_long": "Le champ {label} accepte au plus {max_length} caractères.",
    "too_short": "Saisissez au moins {min_length} caractères.",
    "choice": "Le champ {label} doit être choisi dans la liste.",
    "date": "Le champ {label} doit être une date valide au format JJ/MM/AAAA.",
    "date_range": "Le champ {label} doit être une date entre {min_year} et {max_year}.",
    "past": "Le champ {label} ne peut pas être dans le futur.",
    "integer": "Le champ {label} doit être un nombre entier entre {min} et {max}.",
    "money": "Le champ {label} doit être un montant (ex. 10290,76).",
    "control": ("Le champ {label} contient un caractère invisible ou de contrôle (tabulation, échappement, "
                "inversion du sens d'écriture…) : retirez-le puis recommencez."),
    "format": "{message}",  # plate, VIN, phone, email, postcode, SIRET: the check's own sentence
}

WORDINGS: dict[str, dict[str, str]] = {
    "default": DEFAULT,
    # Tec3H's screens use the default wording (seed 001).
    "tec3h": DEFAULT,
    # Centralisateur form 2/3, seed 000: "Le champ type véhicule est obligatoire", no final stop.
    "centralisateur": {
        "required": "Le champ {label_lower} est obligatoire",
        "too_long": "Le champ {label_lower} ne peut dépasser {max_length} caractères",
        "choice": "Le champ {label_lower} a une valeur non proposée",
        "date": "Le champ {label_lower} doit être une date valide au format JJ/MM/AAAA",
        "date_range": "Le champ {label_lower} doit être une date entre {min_year} et {max_year}",
        "past": "Le champ {label_lower} doit être une date passée",
        "integer": "Le champ {label_lower} doit être un nombre entier positif",
        "money": "Le champ {label_lower} doit être un montant (ex. 10290,76)",
        "control": ("Le champ {label_lower} contient un caractère invisible ou de contrôle (tabulation, "
                    "échappement, inversion du sens d'écriture…) : retirez-le"),
    },
    # PVO2 lists "Libellé : message" lines.
    "pvo2": {
        "required": "{label} : Champ obligatoire.",
        "too_long": "{label} : Au plus {max_length} caractères.",
        "choice": "{label} : Valeur non autorisée.",
        "date": "{label} : date invalide (format JJ/MM/AAAA).",
        "date_range": "{label} : date invalide (format JJ/MM/AAAA, année entre {min_year} et {max_year}).",
        "past": "{label} : La date ne peut pas être dans le futur.",
        "integer": "{label} : Doit être un nombre entier entre {min} et {max}.",
        "money": "{label} : Doit être un montant (ex. « 10290,76 »).",
        "control": "{label} : Caractère invisible ou de contrôle non autorisé (tabulation, échappement…) : retirez-le.",
        "format": "{label} : {message}",
    },
    # Stellantis Portail B2B (seed 004) quotes the label.
    "portail_b2b": {
        "required": "Le champ « {label} » est obligatoire.",
        "too_long": "Le champ « {label} » ne doit pas dépasser {max_length} caractères.",
        "choice": "Choisissez une valeur de la liste pour « {label} ».",
        "date": "Le champ « {label} » doit être une date valide au format JJ/MM/AAAA.",
        "integer": "Le champ « {label} » doit être un nombre entier entre {min} et {max}.",
        "control": ("Le champ « {label} » contient un caractère invisible ou de contrôle (tabulation, "
                    "échappement…) : retirez-le puis recommencez."),
    },
    # Services.Spoticar (Icare) portal.
    "icare": {},
}


def wording(name: str) -> dict[str, str]:
    """The templates of wording ``name`` (unknown keys fall back to the default wording)."""
    return {**DEFAULT, **WORDINGS.get(name, {})}


def message(name: str, key: str, label: str, **params) -> str:
    """One French message: ``message("centralisateur", "required", "Type véhicule")``."""
    plain = label.rstrip("* ").strip()
    return wording(name)[key].format(label=plain, label_lower=plain.lower(), **params)
