"""French messages for pydantic validation errors: one ValidationError → one list of lines."""
from __future__ import annotations

from pydantic import ValidationError

MESSAGES = {
    "missing": "Champ obligatoire.",
    "string_type": "Doit être une chaîne de caractères.",
    "int_type": "Doit être un nombre entier.",
    "int_parsing": "Doit être un nombre entier.",
    "int_from_float": "Doit être un nombre entier.",
    "float_type": "Doit être un nombre.",
    "float_parsing": "Doit être un nombre.",
    "bool_type": "Doit valoir true ou false.",
    "bool_parsing": "Doit valoir true ou false.",
    "date_type": "Doit être une date au format AAAA-MM-JJ.",
    "date_parsing": "Doit être une date au format AAAA-MM-JJ.",
    "date_from_datetime_parsing": "Doit être une date au format AAAA-MM-JJ.",
    "date_from_datetime_inexact": "Doit être une date au format AAAA-MM-JJ.",
    "decimal_type": "Doit être un montant (ex. « 10290.76 »).",
    "decimal_parsing": "Doit être un montant (ex. « 10290.76 »).",
    "decimal_max_digits": "Montant trop grand.",
    "decimal_max_places": "Au plus {decimal_places} décimales.",
    "finite_number": "Doit être un nombre fini.",
    "extra_forbidden": "Champ inconnu : il ne fait pas partie du format v1.",
    "literal_error": "Valeur non autorisée ; valeurs possibles : {expected}.",
    "enum": "Valeur non autorisée ; valeurs possibles : {expected}.",
    "string_too_long": "Au plus {max_length} caractères.",
    "string_too_short": "Au moins {min_length} caractère(s).",
    "too_long": "Au plus {max_length} éléments.",
    "too_short": "Au moins {min_length} élément(s).",
    "greater_than_equal": "Doit être supérieur ou égal à {ge}.",
    "greater_than": "Doit être supérieur à {gt}.",
    "less_than_equal": "Doit être inférieur ou égal à {le}.",
    "less_than": "Doit être inférieur à {lt}.",
    "model_type": "Doit être un objet JSON.",
    "model_attributes_type": "Doit être un objet JSON.",
    "dict_type": "Doit être un objet JSON.",
    "list_type": "Doit être une liste.",
    "set_type": "Doit être une liste.",
    "string_pattern_mismatch": "Format invalide.",
    "string_unicode": "Texte invalide.",
    "url_parsing": "Doit être une URL http(s) valide.",
    "url_scheme": "Doit être une URL http(s) valide.",
    "url_type": "Doit être une URL http(s) valide.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "json_type": "Le corps de la requête n'est pas un JSON valide.",
}


def field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def french_message(error: dict) -> str:
    """The French text of one pydantic error; custom errors already carry theirs in ``msg``."""
    kind = error["type"]
    if kind in ("too_long", "too_short") and isinstance(error.get("input"), str):
        kind = f"string_{kind}"  # a length constraint behind a validator: still counted in characters
    template = MESSAGES.get(kind)
    if template is None:
        return error.get("msg") or "Valeur invalide."
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:
        ctx["expected"] = str(ctx["expected"]).replace("' or '", "', '")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template


def french_errors(exc: ValidationError) -> list[dict]:
    """``[{"field": "vehicle.vin", "message": "…"}]``, one entry per invalid field."""
    out, seen = [], set()
    for error in exc.errors(include_url=False):
        field = field_path(error["loc"])
        sub = (error.get("ctx") or {}).get("field")  # a model-level check names its field in ctx
        if sub:
            field = f"{field}.{sub}" if field else sub
        if field in seen:  # a union reports each branch: keep the first message per field
            continue
        seen.add(field)
        out.append({"field": field, "message": french_message(error)})
    return out
