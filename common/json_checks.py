"""What a request body written as JSON may not hold, checked on the raw bytes before any parser reads
it (``common.web``'s hooks on every app and route, and the lean hand-off path): NUL characters,
nesting past ``MAX_JSON_DEPTH``, a key named twice in one object."""
from __future__ import annotations

import json
import re

MAX_JSON_DEPTH = 32  # the hand-off is 3 levels deep; 32 leaves room and stays far from recursion limits
# a string, or an unterminated one up to the end of the text: every quote starts a match, so the scan
# is linear (a quote opening no string was tried again at each later quote: a body of escaped quotes,
# 80 KB, held the interpreter ~20 s). A parser fails at an unterminated string: what follows is never
# nested into, so it is not counted either.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_JSON_NESTING = re.compile(rb"[\[\]{}]")


def json_depth(raw: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, counted without parsing it (strings skipped)."""
    depth = deepest = 0
    for match in _JSON_NESTING.finditer(_JSON_STRING.sub(b"", raw)):
        depth += 1 if match.group() in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def json_too_deep(raw: bytes) -> bool:
    """Whether a JSON text nests deeper than ``MAX_JSON_DEPTH``. Nesting needs an opening bracket per
    level: a body with few of them (a hand-off has ~6) is shallow enough without the exact count,
    which costs a pass over the whole body. The brackets are counted in one pass (``translate``
    deleting them: what it leaves out is their number), not two ``count`` passes (byte by byte, 2.5
    µs on a hand-off's 1.4 KB where this takes 1)."""
    return (len(raw) - len(raw.translate(None, b"{[")) > MAX_JSON_DEPTH
            and json_depth(raw) > MAX_JSON_DEPTH)


MAX_JSON_VALUES = 10_000  # a hand-off holds ~60 values, every API body of the harness a few hundred at most
TOO_MANY_VALUES = (f"Le corps JSON compte trop de valeurs : au plus {MAX_JSON_VALUES:_} (une transmission en "
                   "compte une soixantaine).").replace("_", "\u202f")


def json_too_many_values(raw: bytes) -> bool:
    """Whether a JSON text holds more than ``MAX_JSON_VALUES`` values (arrays, objects and what they hold),
    counted without parsing it: a 900 kB body of 300,000 empty arrays took seconds of CPU to parse and
    validate, twice, and left the process hundreds of MB larger each time. Separators and openings are
    counted first, in one pass (an upper bound: those inside strings count too); past the bound, again
    with the strings left out."""
    if len(raw) - len(raw.translate(None, b",[{")) <= MAX_JSON_VALUES:
        return False
    bare = _JSON_STRING.sub(b"", raw)
    return len(bare) - len(bare.translate(None, b",[{")) > MAX_JSON_VALUES


class _DuplicateKey(Exception):
    pass


def _unique_object(pairs: list) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _DuplicateKey
    return obj


_UNIQUE_KEYS = json.JSONDecoder(object_pairs_hook=_unique_object)


def json_has_duplicate_key(raw: bytes) -> bool:
    """Whether a JSON text names a key twice in one object. RFC 8259 leaves the meaning open (some
    parsers keep the first value, pydantic and ``json`` the last, so a DMS and we could read two
    different sales from one body): such a body is refused, never guessed. Not JSON: False (the
    route's own parser says so)."""
    if raw.lstrip()[:1] not in (b"{", b"["):
        return False
    try:  # ``json.loads(raw, object_pairs_hook=_unique_object)`` without building its decoder each time
        _UNIQUE_KEYS.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
    except _DuplicateKey:
        return True
    except (ValueError, RecursionError):
        return False
    return False


DUPLICATE_KEY_MESSAGE = ("Le corps JSON de la requête contient deux fois la même clé dans un objet : "
                         "chaque clé ne peut y figurer qu'une fois.")


ENCODING_MESSAGE = ("Le corps JSON de la requête doit être encodé en UTF-8, sans marque d'ordre des octets "
                    "(BOM) en tête (RFC 8259).")


INVALID_UTF8_MESSAGE = ("Le corps JSON de la requête n'est pas de l'UTF-8 valide : l'octet n° {number} (0x{byte:02X}) "
                        "n'en est pas (un texte encodé en ISO-8859-1 ou Windows-1252 ?). Il doit être encodé en "
                        "UTF-8 (RFC 8259).")


def json_encoding_problem(raw: bytes) -> str | None:
    """Why a JSON body is not UTF-8 alone, in French (None when it is): UTF-16 or UTF-32, a byte order
    mark (``json_not_utf8``), or bytes that are no UTF-8 — a DMS encoding its JSON in ISO-8859-1 or
    Windows-1252 (« é » as the single byte 0xE9), which read as UTF-8 was refused as « no JSON »,
    though a DMS's own parser reads it. The first such byte is named (counted from 1)."""
    if json_not_utf8(raw):
        return ENCODING_MESSAGE
    if raw.isascii():
        return None
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return INVALID_UTF8_MESSAGE.format(number=exc.start + 1, byte=raw[exc.start])
    return None


def json_not_utf8(raw: bytes) -> bool:
    """Whether a body is written in UTF-16 or UTF-32, or starts with a byte order mark: RFC 8259 wants
    UTF-8 alone. Such a body was refused all the same, but as holding a NUL character (UTF-16's zero
    bytes) or as no JSON (a BOM): a DMS could not tell what to change."""
    if raw[:3] == b"\xef\xbb\xbf" or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    return raw.find(b"\x00", 0, 4) != -1 and json.detect_encoding(raw[:4]) != "utf-8"


def json_has_nul(raw: bytes) -> bool:
    """Whether a (JSON) body holds a NUL character, as such or escaped (``\\u0000``). ``find``, not
    ``in``: ``bytes in bytes`` first tries the needle as an integer, a TypeError made and dropped at
    every call (its message formatted), on every request with a body."""
    return raw.find(b"\x00") != -1 or raw.find(b"\\u0000") != -1
