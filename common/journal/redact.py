"""What the journal keeps of a message: secrets redacted, bodies cut and escaped — before the entry is
written (the journal's writer thread builds it from what was captured), so no secret ever reaches the
database (nor its WAL, nor a backup).

Redacted: ``Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Spoticar-Signature`` and other credential
headers; form/JSON fields named like a password (or its confirmation), CSRF token, token, secret,
signature or API key; CSRF and password ``<input>``/``<meta>`` values in HTML; the API keys the harness
issues (« cs-… », « sk-… ») wherever a body shows one; reset, activation and declaration-link tokens in
URLs (in the request line and inside any body).
"""
from __future__ import annotations

import re

REDACTED = "[REDACTED]"
BODY_LIMIT = 16 * 1024     # bytes of each body kept (JOURNAL_BODY_LIMIT)
HEADER_LIMIT = 2048        # characters of each header value kept, and of an entry's URL and path
MAX_HEADERS = 100

SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-spoticar-signature",
    "x-csrftoken", "x-csrf-token", "x-api-key", "x-admin-key", "x-spoticar-test-key"})
# a field whose name says it holds a credential (password, new_password, csrf_token, mot_de_passe…),
# or its confirmation: the forms that set a password (Icare, Portail B2B) name the second typing
# « confirmation »
SECRET_NAME = re.compile(r"pass(?:word|wd)|mot_?de_?passe|\bmdp\b|\bpass\b|csrf|token|secret|"
                         r"signature|api_?key|admin_?key|authorization|cookie|confirm", re.I)
# links that carry a credential in their path: reset, activation, signed declaration link
TOKEN_PATH = re.compile(
    r"(/(?:mot-de-passe|reinitialisation|activation|declaration|reset|activate)/)([^/?#\s\"'<>&\\]+)")
TOKEN_QUERY = re.compile(r"([?&](?:[\w.-]*token[\w.-]*|code|key|cle|signature)=)([^&#\s\"'<>\\]+)", re.I)
# a key may hold JSON escapes (« "pass\\u0077ord" » is "password"): decoded before it is judged
JSON_FIELD = re.compile(r'("((?:[^"\\]|\\.){1,80})"\s*:\s*)("(?:[^"\\]|\\.)*"|-?[\d.]+)')
# a ``\uXXXX`` escape in what may be a key (the end of a string followed by ``:``): the only way a
# JSON key names a credential without a hint in its text (an escape makes one character, a letter
# only as ``\u``). Values escaped by an ASCII-only encoder (``"\u00c9douard"``) are not keys: the
# fields' pattern, a call back into Python for each field, is not run for them (~130 µs a hand-off)
ESCAPED_KEY = re.compile(r'\\u[0-9a-fA-F]{4}(?:[^"\\]|\\.){0,80}"\s*:')
# the same tokens in a URL written percent-encoded inside another one (``suivant=%2Factivation%2F…``,
# ``/connexion?suivant=/%3Freset_token%3D…``): a path's slashes as %2F, a query's ?, & and = as %3F,
# %26 and %3D (a value then ends at an encoded & or #, or where a plain one would end)
ENCODED_TOKEN = re.compile(
    r"(%2F(?:mot-de-passe|reinitialisation|activation|declaration|reset|activate)%2F)([^/?#\s\"'<>&\\%]+)"
    r"|((?:[?&]|%3F|%26)(?:[\w.-]*token[\w.-]*|code|key|cle|signature)%3D)((?:(?!%26|%23)[^&#\s\"'<>\\])+)",
    re.I)
# the API keys the harness issues and shows once, in a page or an answer (a certification session's
# « cs-… », a point of sale's « sk-… » from ``keys add``): the key is the text itself, under no name
ISSUED_KEY = re.compile(r"\b(?:cs|sk)-[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
HTML_TAG = re.compile(r"<(?:input|meta)\b[^>]*>", re.I)
# matched on the lower-cased text: an IGNORECASE alternation is ten times slower in ``re``
TAG_HINT = re.compile(r"pass|csrf|token|secret|signature|key|mdp|mot_?de|cookie|authorization|confirm")
TAG_ATTR = re.compile(r'\b(name|type|value|content)\s*=\s*("[^"]*"|\'[^\']*\'|[^\s"\'>]+)', re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_TYPES = ("text/", "json", "xml", "javascript", "x-www-form-urlencoded", "ecmascript")

# Cheap checks first: most texts hold no credential, and a plain search is far cheaper than the
# IGNORECASE patterns above (and than calling back into Python on each field or tag). Every match of
# a pattern contains one of its hints, so a text without any cannot match: the pattern runs only when
# one is there. Hints are looked for in ``_folded`` text: its UTF-8 bytes, ASCII letters lowered —
# ``bytes.lower`` is a plain C loop, ``str.lower`` on a page with accents ten times slower —, all at
# once by an Aho-Corasick automaton (its SIMD prefilter: a 14 KB page in ~1 µs, where ``re`` tried
# each word at each byte, ~60 µs when none is there).
HINT_WORDS = (b"pass", b"mdp", b"csrf", b"token", b"secret", b"signature", b"key", b"authorization", b"cookie",
              b"confirm", b"cs-", b"sk-")
# the hints that start an issued key (``ISSUED_KEY``): no other hint word ends where one of them begins,
# so the automaton never skips one that ``ISSUED_KEY`` would match
KEY_HINTS = frozenset(index for index, word in enumerate(HINT_WORDS) if word in (b"cs-", b"sk-"))
# the only non-ASCII characters ``re.IGNORECASE`` matches to an ASCII letter (İ, ı ~ i; K ~ k; ſ ~ s):
# a text holding one takes the patterns' path
FOLD_TRAPS = tuple(c.encode() for c in "\u0130\u0131\u212a\u017f")
_FIRST_TRAP = len(HINT_WORDS)
# every TOKEN_QUERY match starts with one of these, without IGNORECASE (the letters it names are \w)
QUERY_CANDIDATE = re.compile(r"[?&][\w.-]*=")
# TOKEN_PATH's literal paths, and how a TOKEN_QUERY match starts, in ``_folded`` text (a non-ASCII
# character may be \w in the text: any byte of one is taken as such)
LINK_PATHS = (b"/mot-de-passe/", b"/reinitialisation/", b"/activation/", b"/declaration/", b"/reset/", b"/activate/")
QUERY_START = re.compile(rb"[?&](?:[\w.\-\x80-\xff]*token|code|key|cle|signature)")
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0x7f])
CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that continue a character
_LOWER = bytes.maketrans(bytes(range(0x41, 0x5B)), bytes(range(0x61, 0x7B)))  # as ``bytes.lower``: A-Z only


def _folded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass").lower()


_HINTS = _LINKS = None  # the automata, built at the first body (start-up does without the library)


def _automata() -> tuple:
    global _HINTS, _LINKS
    if _HINTS is None:
        from ahocorasick_rs import BytesAhoCorasick, MatchKind
        # leftmost-first: the mode the prefilter serves; an occurrence it skips overlaps one it reports
        # (same stretch of text, and a trap, non-ASCII, overlaps no word)
        _LINKS = BytesAhoCorasick(LINK_PATHS, matchkind=MatchKind.LeftmostFirst)
        _HINTS = BytesAhoCorasick(HINT_WORDS + FOLD_TRAPS, matchkind=MatchKind.LeftmostFirst)
    return _HINTS, _LINKS


def hints(folded: bytes) -> list[tuple[int, int, int]]:
    """Where a field or tag name may hint at a credential (SECRET_NAME, TAG_HINT, type=password) in
    the text ``folded`` (``_folded``) comes from, as ``(word, first byte, byte after)``; a ``word`` of
    ``_FIRST_TRAP`` or more is a letter folding to ASCII only in Unicode. Empty only when none can be
    there."""
    return (_HINTS or _automata()[0]).find_matches_as_indexes(folded)


def hinted(folded: bytes) -> bool:
    """Whether a credential may be named in the text ``folded`` comes from (``hints``)."""
    return bool(hints(folded))


def _escape_controls(text: str) -> str:
    # PostgreSQL refuses NUL in text, and a terminal or viewer should never get raw control bytes
    return CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def decode(raw: bytes) -> str:
    """Bytes as text: UTF-8, invalid bytes and control characters escaped as ``\\xNN``."""
    text = raw.decode("utf-8", errors="backslashreplace")
    # a control character is an ASCII byte in UTF-8: looked for in the bytes, in C
    return _escape_controls(text) if len(raw.translate(None, CONTROL_BYTES)) != len(raw) else text


def url(text: str) -> str:
    """A URL (or any text holding URLs) with its path and query tokens redacted, percent-encoded
    ones too."""
    if "/" in text:
        text = TOKEN_PATH.sub(_token_value, text)
    if "=" in text:
        text = _query_tokens(text)
    if "%" in text:
        text = _encoded_tokens(text, text.encode("utf-8", "surrogatepass").lower())
    return text


def _encoded_tokens(text: str, folded: bytes) -> str:
    """``ENCODED_TOKEN.sub`` of ``text`` (``folded``: its ``_folded`` bytes), run only when an encoded
    slash or equals sign is there (a page's ``%`` is most often a width)."""
    if folded.find(b"%2f") != -1 or folded.find(b"%3d") != -1:  # ``find``: see ``_url_of``
        return ENCODED_TOKEN.sub(_encoded_value, text)
    return text


def _encoded_value(match: re.Match) -> str:
    return (match.group(1) or match.group(3)) + REDACTED


def _url_of(text: str, folded: bytes, trapped: bool) -> str:
    """``url(text)`` for a text whose ``_folded`` bytes are ``folded`` (``trapped``: it holds a letter
    folding to ASCII only in Unicode), each pattern run only when ``folded`` shows it may match: a
    path token needs one of ``TOKEN_PATH``'s literal paths (case-sensitive: in the folded bytes too),
    a query token one of its names right after a ``?``/``&`` — looked at there only (a page holds a
    few). A path token's value holds no ``?``/``&`` and a query name no ``/``: redacting the first
    changes nothing the second looks at, so both are judged on the text as it came."""
    query = trapped or _query_possible(folded)
    if (_LINKS or _automata()[1]).find_matches_as_indexes(folded):
        text = TOKEN_PATH.sub(_token_value, text)
    if query:
        text = _query_tokens(text)
    # a plain token's value holds no %2F or %3D-led name: the encoded pass sees what the others left
    # ``find``, not ``in``: ``bytes in bytes`` tries the needle as an integer first, a TypeError made
    # and dropped (its message formatted) at each call — twice an exchange
    return _encoded_tokens(text, folded) if folded.find(b"%") != -1 else text


def _query_possible(folded: bytes) -> bool:
    """Whether ``TOKEN_QUERY`` may match in the text ``folded`` comes from (no ``FOLD_TRAPS`` in it)."""
    looked = 0
    for mark in (b"?", b"&"):  # ``find`` of one byte is a memchr; ``count`` a byte-by-byte loop
        at = folded.find(mark)
        while at >= 0:
            looked += 1
            if looked > 32 or QUERY_START.match(folded, at):  # many: let the pattern decide
                return True
            at = folded.find(mark, at + 1)
    return False


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


def flat_headers(flat: tuple) -> dict[str, str]:
    """``headers`` of a flat tuple ``(name, value, name, value…)`` (an answer's headers as captured).
    An app answers a route with the same headers time after time (a hand-off's differ only by their
    ``Content-Length``, of a few values): a tuple whose every header ``_KNOWN`` holds — no credential
    nor link token in it — is kept whole, and met again costs one look-up instead of a loop."""
    found = _FLAT.get(flat)
    if found is not None:
        return found.copy()
    values = iter(flat)
    out = headers(zip(values, values))
    if len(flat) <= 2 * MAX_HEADERS and all((flat[at], flat[at + 1]) in _KNOWN for at in range(0, len(flat) - 1, 2)):
        if len(_FLAT) >= _KNOWN_MAX:
            _FLAT.clear()
        _FLAT[flat] = out.copy()
    return out


# a flat tuple of headers → what ``headers`` keeps of them, for tuples of known headers only
_FLAT: dict[tuple, dict[str, str]] = {}


# (name, value) → what ``_header`` keeps of it: most headers come back request after request (Host,
# Accept, User-Agent, Content-Type, the security headers of every answer); never a credential's value
_KNOWN: dict[tuple[str, str], tuple[str, str]] = {}
_KNOWN_MAX, _KNOWN_VALUE_MAX = 4096, 512


# a header's name → (the name kept, whether it names a credential): a handful of names, asked for
# each header not in ``_KNOWN`` (a credential's value never is: Authorization, Cookie at each request)
_NAMES: dict[str, tuple[str, bool]] = {}


def _header(name, value) -> tuple[str, str]:
    named = _NAMES.get(name) if type(name) is str else None
    if named is None:
        key = decode(str(name).encode("latin-1", "backslashreplace"))[:200]
        named = (key, key.lower() in SECRET_HEADERS)
        if type(name) is str and len(name) <= 200:
            if len(_NAMES) >= _KNOWN_MAX:
                _NAMES.clear()
            _NAMES[name] = named
    key, credential = named
    if credential:
        return key, _redact_credential(str(value))
    text = str(value)
    if isinstance(value, str):  # WSGI gives headers as latin-1 strings: back to their bytes
        text = decode(value.encode("latin-1", "backslashreplace"))
    kept = url(text)
    secret = kept != text  # a link token was in it: its value is not kept, even in memory
    text = cut(kept)
    if not secret and type(name) is str and type(value) is str and len(value) <= _KNOWN_VALUE_MAX:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[(name, value)] = (key, text)
    return key, text


def cut(text: str) -> str:
    """A header value, URL or path as kept: its first ``HEADER_LIMIT`` characters (redacted before)."""
    return text[:HEADER_LIMIT] + "…[cut]" if len(text) > HEADER_LIMIT else text


def _redact_credential(value: str) -> str:
    scheme = value.split(" ", 1)[0] if " " in value.strip() else ""
    return f"{scheme} {REDACTED}" if scheme.isalpha() and len(scheme) < 20 else REDACTED


def is_text(content_type: str | None) -> bool:
    """Whether a body of ``content_type`` is kept as text (else summarised as binary)."""
    known = _TEXT_KINDS.get(content_type)
    if known is None:
        ctype = (content_type or "").lower()
        known = not ctype or any(t in ctype for t in TEXT_TYPES)
        # an app answers with a handful of types, asked twice an exchange; a client's may be any text
        if len(_TEXT_KINDS) < 256 and (content_type is None or len(content_type) <= 200):
            _TEXT_KINDS[content_type] = known
    return known


_TEXT_KINDS: dict[str | None, bool] = {}


def body(raw: bytes, content_type: str | None, total: int | None = None,
         limit: int = BODY_LIMIT) -> tuple[str, bool]:
    """``(text, truncated)`` for a body of which ``raw`` was captured (``total`` bytes in all)."""
    total = len(raw) if total is None else max(total, len(raw))
    if not raw and not total:
        return "", False
    if not is_text(content_type):
        return f"[binary body: {total} bytes, {content_type}]", False
    truncated = total > limit or len(raw) > limit
    raw = raw[:limit]
    folded = None
    # one pass: ASCII letters lowered, control bytes left out — as long as ``raw``: there were none,
    # and it is ``raw.lower()`` (a pass of its own made this step half as long again on a 14 KB page)
    lowered = raw.translate(_LOWER, CONTROL_BYTES)
    if len(lowered) == len(raw):
        try:  # valid UTF-8 without control bytes (most bodies): the text's ``_folded`` is the raw's
            text, folded = raw.decode(), lowered
        except UnicodeDecodeError:
            pass
    if folded is None:
        text = decode(raw)
    return _redact(text, content_type, folded), truncated


def redact_text(text: str, content_type: str | None) -> str:
    """Credentials out of a decoded body, whatever its kind (form, JSON, HTML, plain text)."""
    return _redact(text, content_type, None)


def _redact(text: str, content_type: str | None, folded: bytes | None) -> str:
    """``redact_text``; ``folded`` is ``_folded(text)`` when the caller has it already."""
    ctype = (content_type or "").lower()
    if "x-www-form-urlencoded" in ctype:
        text, folded = _form(text), None
    if folded is None:
        folded = _folded(text)
    found = hints(folded)
    json_like = "json" in ctype or text.lstrip().startswith(("{", "["))
    # a secret field or tag has type=password or a hinted name — or, in JSON, a name may be escaped
    if found or (json_like and "\\u" in text and ESCAPED_KEY.search(text)):
        if json_like:
            redacted = JSON_FIELD.sub(_json_field, text)
            if redacted != text:
                text, folded = redacted, _folded(redacted)
                found = hints(folded)
        if "<" in text:
            # its values become "[REDACTED]": no path or query token appears that ``folded`` had not
            text = _html(text, folded, found)
    if any(word in KEY_HINTS for word, _, _ in found):  # found by the hints' one pass: most bodies hold none
        text = ISSUED_KEY.sub(REDACTED, text)
    return _url_of(text, folded, any(word >= _FIRST_TRAP for word, _, _ in found))


def _form(text: str) -> str:
    from urllib.parse import unquote_plus
    pairs = []
    for pair in text.split("&"):
        name, sep, _value = pair.partition("=")
        pairs.append(f"{name}={REDACTED}" if sep and SECRET_NAME.search(unquote_plus(name)) else pair)
    return "&".join(pairs)


def _json_field(match: re.Match) -> str:
    key = match.group(2)
    if "\\" in key:
        import json
        try:
            key = json.loads(f'"{key}"')
        except ValueError:
            pass
    return match.group(1) + f'"{REDACTED}"' if SECRET_NAME.search(key) else match.group(0)


def _html(text: str, folded: bytes | None = None, found: list | None = None) -> str:
    """Credential ``<input>``/``<meta>`` values redacted: ``HTML_TAG.sub(_html_tag, text)``, run only
    around the hints of the text (``folded``: ``_folded(text)``, ``found``: its ``hints``, when the
    caller has them).

    Calling back into Python on each of a page's tags was most of its cost (the form 2/3 page: 45
    tags, 3 hinted). Now only the stretch around each hint is rewritten. Exact: a tag cannot hold a
    ``>`` before its end, so the pattern's scan starts afresh after each ``>`` — the stretch between
    the ``>`` before a hint and the one after it is rewritten as the whole text's scan would; a tag of
    any other stretch holds no hint, and ``_html_tag`` keeps it as it is. (``mot_de`` alone makes
    ``_html_tag`` look closer, never redact: the name it redacts, or ``type=password``, holds one of
    the words of ``hints``.) A letter that folds to ASCII only in Unicode: the plain path."""
    if folded is None:
        folded = _folded(text)
    if found is None:
        found = hints(folded)
    if any(word >= _FIRST_TRAP for word, _, _ in found):
        return HTML_TAG.sub(_html_tag, text)
    ascii_only = folded.isascii()
    pieces: list[str] = []
    done = chars = kept = 0  # bytes of ``folded`` passed, the same in characters, text already in ``pieces``
    for _word, at, after in found:
        if at < done:  # in the stretch just rewritten
            continue
        end = folded.find(b">", after)
        if end < 0:  # no tag closes after it
            break
        begin = max(folded.rfind(b">", done, at) + 1, done)
        # byte offsets → character offsets: a character is one UTF-8 byte that is not a continuation
        start = chars + (begin - done if ascii_only else len(folded[done:begin].translate(None, CONTINUATION)))
        stop = start + (end + 1 - begin if ascii_only else len(folded[begin:end + 1].translate(None, CONTINUATION)))
        stretch = text[start:stop]
        redacted = HTML_TAG.sub(_html_tag, stretch)
        if redacted != stretch:
            pieces += (text[kept:start], redacted)
            kept = stop
        done, chars = end + 1, stop
    if not pieces:
        return text
    pieces.append(text[kept:])
    return "".join(pieces)


# TAG_HINT's words (``mot_?de`` is two): ``in`` finds one in a tag faster than ``re``, which
# tries each branch of the alternation at each position (the form 2/3 page has ~50 tags)
TAG_WORDS = ("csrf", "token", "pass", "key", "mdp", "secret", "signature", "authorization", "cookie",
             "mot_de", "motde", "confirm")


def _html_tag(match: re.Match) -> str:
    tag = match.group(0)
    lowered = tag.lower()
    for word in TAG_WORDS:  # TAG_HINT.search(lowered)
        if word in lowered:
            break
    else:  # most fields: nothing to look at closer
        return tag
    # one scan of the attributes: judged, then the values cut out of the same matches (a second
    # ``TAG_ATTR.sub`` calling back into Python on each attribute was as long again)
    found = list(TAG_ATTR.finditer(tag))
    attrs = {m.group(1).lower(): m.group(2).strip("\"'") for m in found}
    secret = attrs.get("type", "").lower() == "password" or SECRET_NAME.search(attrs.get("name", ""))
    if not secret:
        return tag
    pieces, kept = [], 0
    for m in found:
        if m.group(1).lower() in ("value", "content"):
            pieces += (tag[kept:m.start()], m.group(1), f'="{REDACTED}"')
            kept = m.end()
    pieces.append(tag[kept:])
    return "".join(pieces)
