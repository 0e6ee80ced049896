"""French messages for pydantic validation errors: one ValidationError → one list of lines."""
from __future__ import annotations

import typing

from pydantic import ValidationError
from pydantic_core import core_schema

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
    "int_parsing_size": "Nombre trop grand.",
    "multiple_of": "Doit être un multiple de {multiple_of}.",
    "decimal_whole_digits": "Montant trop grand.",
    "string_not_ascii": "Seuls les caractères ASCII sont acceptés.",
    "string_sub_type": "Doit être une chaîne de caractères.",
    "bytes_type": "Doit être une chaîne de caractères.",
    "bytes_too_short": "Au moins {min_length} octet(s).",
    "bytes_too_long": "Au plus {max_length} octets.",
    "bytes_invalid_encoding": "Encodage invalide.",
    "none_required": "Doit être vide (null).",
    "date_past": "Doit être une date passée.",
    "date_future": "Doit être une date future.",
    "time_type": "Doit être une heure au format HH:MM.",
    "time_parsing": "Doit être une heure au format HH:MM.",
    "datetime_type": "Doit être une date et heure RFC 3339 (ex. « 2025-11-30T10:15:00+01:00 »).",
    "datetime_parsing": "Doit être une date et heure RFC 3339 (ex. « 2025-11-30T10:15:00+01:00 »).",
    "datetime_object_invalid": "Date et heure invalide.",
    "datetime_from_date_parsing": "Doit être une date et heure RFC 3339 (ex. « 2025-11-30T10:15:00+01:00 »).",
    "datetime_past": "Doit être une date passée.",
    "datetime_future": "Doit être une date future.",
    "timezone_naive": "Sans fuseau horaire attendu.",
    "timezone_aware": "Le fuseau horaire est obligatoire (ex. « +01:00 » ou « Z »).",
    "timezone_offset": "Fuseau horaire inattendu.",
    "time_delta_type": "Doit être une durée.",
    "time_delta_parsing": "Doit être une durée.",
    "tuple_type": "Doit être une liste.",
    "frozen_set_type": "Doit être une liste.",
    "iterable_type": "Doit être une liste.",
    "mapping_type": "Doit être un objet JSON.",
    "url_syntax_violation": "Doit être une URL http(s) valide.",
    "url_too_long": "URL trop longue : au plus {max_length} caractères.",
    "uuid_type": "Doit être un identifiant UUID.",
    "uuid_parsing": "Doit être un identifiant UUID.",
    "uuid_version": "Doit être un identifiant UUID.",
    "union_tag_invalid": "Valeur non autorisée ; valeurs possibles : {expected_tags}.",
    "union_tag_not_found": "Champ obligatoire : {discriminator}.",
    "frozen_field": "Ce champ ne peut pas être modifié.",
    "frozen_instance": "Cet objet ne peut pas être modifié.",
    "recursion_loop": "Données circulaires.",
    "recursion_depth_exceeded": "Données trop imbriquées.",
}
# Any other built-in pydantic error (an English ``msg``) gets this; our own errors (custom types) and
# ``value_error``/``assertion_error`` raised by our validators carry French text of their own.
GENERIC = "Valeur invalide."
REQUIRED_VALUE = "Champ obligatoire : il ne peut pas être vide ni null."
BUILT_IN = frozenset(typing.get_args(core_schema.ErrorType))


def field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


def french_message(error: dict) -> str:
    """The French text of one pydantic error, never pydantic's English: custom errors carry theirs in
    ``msg``, a ``ValueError`` from one of our validators in its text, anything else is translated."""
    kind = error["type"]
    if kind.endswith("_type") and "input" in error and error["input"] is None:
        # null, or a blank text the field's validator made None, where a value is required: what is
        # missing is the value, not its type (« Doit être une chaîne de caractères » for "" misled)
        return REQUIRED_VALUE
    if kind in ("too_long", "too_short") and isinstance(error.get("input"), str):
        kind = f"string_{kind}"  # a length constraint behind a validator: still counted in characters
    template = MESSAGES.get(kind)
    if template is None:
        if kind in ("value_error", "assertion_error"):
            reason = (error.get("ctx") or {}).get("error")
            return str(reason) if reason else GENERIC
        return GENERIC if kind in BUILT_IN else (error.get("msg") or GENERIC)
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
        field = field or None  # the body itself (an array, a string): no field, as every other error says
        if field in seen:  # a union reports each branch: keep the first message per field
            continue
        seen.add(field)
        out.append({"field": field, "message": french_message(error)})
    return out
