"""What the journal keeps of a message: secrets redacted, bodies cut and escaped — before the entry is
written (the journal's writer thread builds it from what was captured), so no secret ever reaches the
database (nor its WAL, nor a backup).

Redacted: ``Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Spoticar-Signature`` and other credential
headers; form/JSON fields named like a password, CSRF token, token, secret, signature or API key;
CSRF and password ``<input>``/``<meta>`` values in HTML; reset, activation and declaration-link tokens
in URLs (in the request line and inside any body).
"""
from __future__ import annotations

import re

REDACTED = "[REDACTED]"
BODY_LIMIT = 16 * 1024     # bytes of each body kept (JOURNAL_BODY_LIMIT)
HEADER_LIMIT = 2048        # characters of each header value kept
MAX_HEADERS = 100

SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-spoticar-signature",
    "x-csrftoken", "x-csrf-token", "x-api-key", "x-admin-key"})
# a field whose name says it holds a credential (password, new_password, csrf_token, mot_de_passe…)
SECRET_NAME = re.compile(r"pass(?:word|wd)|mot_?de_?passe|\bmdp\b|\bpass\b|csrf|token|secret|"
                         r"signature|api_?key|admin_?key|authorization|cookie", re.I)
# links that carry a credential in their path: reset, activation, signed declaration link
TOKEN_PATH = re.compile(
    r"(/(?:mot-de-passe|reinitialisation|activation|declaration|reset|activate)/)([^/?#\s\"'<>&\\]+)")
TOKEN_QUERY = re.compile(r"([?&](?:[\w.-]*token[\w.-]*|code|key|cle|signature)=)([^&#\s\"'<>\\]+)", re.I)
JSON_FIELD = re.compile(r'("([^"\\]{1,80})"\s*:\s*)("(?:[^"\\]|\\.)*"|-?[\d.]+)')
HTML_TAG = re.compile(r"<(?:input|meta)\b[^>]*>", re.I)
# matched on the lower-cased text: an IGNORECASE alternation is ten times slower in ``re``
TAG_HINT = re.compile(r"pass|csrf|token|secret|signature|key|mdp|mot_?de|cookie|authorization")
TAG_ATTR = re.compile(r'\b(name|type|value|content)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s"\'>]+)', re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_TYPES = ("text/", "json", "xml", "javascript", "x-www-form-urlencoded", "ecmascript")

# Cheap checks first: most texts hold no credential, and a plain search is far cheaper than the
# IGNORECASE patterns above (and than calling back into Python on each field or tag). Every match of
# a pattern contains one of its hints, so a text without any cannot match: the pattern runs only when
# one is there. Hints are looked for in ``_folded`` text: its UTF-8 bytes, ASCII letters lowered —
# ``bytes.lower`` is a plain C loop, ``str.lower`` on a page with accents ten times slower.
NAME_HINT = re.compile(rb"pass|mdp|csrf|token|secret|signature|key|authorization|cookie")
# every TOKEN_QUERY match starts with one of these, without IGNORECASE (the letters it names are \w)
QUERY_CANDIDATE = re.compile(r"[?&][\w.-]*=")
# the only non-ASCII characters ``re.IGNORECASE`` matches to an ASCII letter (İ, ı ~ i; K ~ k; ſ ~ s),
# as (lead byte, UTF-8): a text holding one takes the patterns' path
FOLD_TRAPS = tuple((c.encode()[:1], c.encode()) for c in "\u0130\u0131\u212a\u017f")
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])


def _folded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").lower()


def hinted(folded: bytes) -> bool:
    """Whether a field or tag name may hint at a credential (SECRET_NAME, TAG_HINT, type=password)
    in the text ``folded`` (``_folded``) comes from: False only when none can be there."""
    if NAME_HINT.search(folded):
        return True
    # a lead byte is found by memchr, a longer needle by a slower search: only when the lead is there
    return not folded.isascii() and any(lead in folded and char in folded for lead, char in FOLD_TRAPS)


def _escape_controls(text: str) -> str:
    # PostgreSQL refuses NUL in text, and a terminal or viewer should never get raw control bytes
    return CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def decode(raw: bytes) -> str:
    """Bytes as text: UTF-8, invalid bytes and control characters escaped as ``\\xNN``."""
    text = raw.decode("utf-8", errors="backslashreplace")
    # a control character is an ASCII byte in UTF-8: looked for in the bytes, in C
    return _escape_controls(text) if len(raw.translate(None, CONTROL_BYTES)) != len(raw) else text


def url(text: str) -> str:
    """A URL (or any text holding URLs) with its path and query tokens redacted."""
    if "/" in text:
        text = TOKEN_PATH.sub(_token_value, text)
    if "=" in text:
        text = _query_tokens(text)
    return text


def _token_value(match: re.Match) -> str:
    return match.group(1) + REDACTED


def _marks(text: str) -> list[int]:
    """Where ``?`` and ``&`` are in ``text``, in order (a page holds a few: found by ``str.find``)."""
    found = []
    for mark in "?&":
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
    return sorted(found)


def _query_tokens(text: str) -> str:
    """``TOKEN_QUERY.sub`` of ``text``, trying the pattern only where a match can start (a ``?`` or an
    ``&``): a scan of the whole text by that IGNORECASE pattern costs a page ten times more."""
    if text.count("?") + text.count("&") > 32:  # many: one scan in C
        return TOKEN_QUERY.sub(_token_value, text) if QUERY_CANDIDATE.search(text) else text
    pieces, last = [], 0
    for at in _marks(text):
        if at < last:  # inside the value just redacted (a value may hold a ``?``), as ``sub`` skips it
            continue
        found = TOKEN_QUERY.match(text, at)
        if found is not None:
            pieces += (text[last:found.end(1)], REDACTED)
            last = found.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def headers(pairs) -> dict[str, str]:
    """Header pairs as a dict (repeated names joined by ``, ``), credentials redacted, values cut."""
    out: dict[str, str] = {}
    for count, (name, value) in enumerate(pairs):
        if count >= MAX_HEADERS:
            out["…"] = "[more headers cut]"
            break
        key_text = _KNOWN.get((name, value)) if type(name) is str and type(value) is str else None
        if key_text is None:
            key_text = _header(name, value)
        key, text = key_text
        out[key] = out[key] + ", " + text if key in out else text
    return out


# (name, value) → what ``_header`` keeps of it: most headers come back request after request (Host,
# Accept, User-Agent, Content-Type, the security headers of every answer); never a credential's value
_KNOWN: dict[tuple[str, str], tuple[str, str]] = {}
_KNOWN_MAX, _KNOWN_VALUE_MAX = 4096, 512


def _header(name, value) -> tuple[str, str]:
    key = decode(str(name).encode("latin-1", "backslashreplace"))[:200]
    if key.lower() in SECRET_HEADERS:
        return key, _redact_credential(str(value))
    text = str(value)
    if isinstance(value, str):  # WSGI gives headers as latin-1 strings: back to their bytes
        text = decode(value.encode("latin-1", "backslashreplace"))
    kept = url(text)
    secret = kept != text  # a link token was in it: its value is not kept, even in memory
    text = kept[:HEADER_LIMIT] + "…[cut]" if len(kept) > HEADER_LIMIT else kept
    if not secret and type(name) is str and type(value) is str and len(value) <= _KNOWN_VALUE_MAX:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[(name, value)] = (key, text)
    return key, text


def _redact_credential(value: str) -> str:
    scheme = value.split(" ", 1)[0] if " " in value.strip() else ""
    return f"{scheme} {REDACTED}" if scheme.isalpha() and len(scheme) < 20 else REDACTED


def is_text(content_type: str | None) -> bool:
    """Whether a body of ``content_type`` is kept as text (else summarised as binary)."""
    ctype = (content_type or "").lower()
    return not ctype or any(t in ctype for t in TEXT_TYPES)


def body(raw: bytes, content_type: str | None, total: int | None = None,
         limit: int = BODY_LIMIT) -> tuple[str, bool]:
    """``(text, truncated)`` for a body of which ``raw`` was captured (``total`` bytes in all)."""
    total = len(raw) if total is None else max(total, len(raw))
    if not raw and not total:
        return "", False
    if not is_text(content_type):
        return f"[binary body: {total} bytes, {content_type}]", False
    truncated = total > limit or len(raw) > limit
    text = decode(raw[:limit])
    return redact_text(text, content_type), truncated


def redact_text(text: str, content_type: str | None) -> str:
    """Credentials out of a decoded body, whatever its kind (form, JSON, HTML, plain text)."""
    ctype = (content_type or "").lower()
    if "x-www-form-urlencoded" in ctype:
        text = _form(text)
    if hinted(_folded(text)):  # a secret field or tag has type=password or a hinted name
        if "json" in ctype or text.lstrip().startswith(("{", "[")):
            text = JSON_FIELD.sub(_json_field, text)
        if "<" in text:
            text = _html(text)
    return url(text)


def _form(text: str) -> str:
    from urllib.parse import unquote_plus
    pairs = []
    for pair in text.split("&"):
        name, sep, _value = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if sep and SECRET_NAME.search(unquote_plus(name)) else pair)
    return "&".join(pairs)


def _json_field(match: re.Match) -> str:
    return match.group(1) + f'"{REDACTED}"' if SECRET_NAME.search(match.group(2)) else match.group(0)


def _html(text: str) -> str:
    """Credential ``<input>``/``<meta>`` values redacted. ``re`` finds the tags fast (they start with
    a literal ``<``); each is looked at closer only when it hints at a secret (csrf, pass…): on the
    form 2/3 page this is twice as fast as searching the page for the hints first."""
    return HTML_TAG.sub(_html_tag, text)


# TAG_HINT's words (``mot_?de`` is two): ``in`` finds one in a tag faster than ``re``, which
# tries each branch of the alternation at each position (the form 2/3 page has ~50 tags)
TAG_WORDS = ("csrf", "token", "pass", "key", "mdp", "secret", "signature", "authorization", "cookie",
             "mot_de", "motde")


def _html_tag(match: re.Match) -> str:
    tag = match.group(0)
    lowered = tag.lower()
    for word in TAG_WORDS:  # TAG_HINT.search(lowered)
        if word in lowered:
            break
    else:  # most fields: nothing to look at closer
        return tag
    attrs = {name.lower(): value.strip("\"'") for name, value in TAG_ATTR.findall(tag)}
    secret = attrs.get("type", "").lower() == "password" or SECRET_NAME.search(attrs.get("name", ""))
    if not secret:
        return tag
    return TAG_ATTR.sub(lambda m: f'{m.group(1)}="{REDACTED}"'
                        if m.group(1).lower() in ("value", "content") else m.group(0), tag)
