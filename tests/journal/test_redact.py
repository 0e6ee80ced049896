"""Redaction at capture: the small pure functions that keep secrets out of the journal."""
from __future__ import annotations

import pytest

from common.journal import redact
from common.journal.capture import find_bdc, request_headers

R = redact.REDACTED


@pytest.mark.parametrize(("html", "kept"), [
    ('<input type="password" name="x" value="s3cret">', f'<input type="password" name="x" value="{R}">'),
    ("<input name='csrf_token' value='abc'>", f"<input name='csrf_token' value=\"{R}\">"),
    ("<input type=hidden name=csrf_token value=abc>", f'<input type=hidden name=csrf_token value="{R}">'),
    ('<INPUT NAME="Mot_de_passe" VALUE="z">', f'<INPUT NAME="Mot_de_passe" VALUE="{R}">'),
    ('<meta name="csrf-token" content="tok">', f'<meta name="csrf-token" content="{R}">'),
    ('<p>token</p><input name="plate" value="AB-123-CD">', '<p>token</p><input name="plate" value="AB-123-CD">'),
])
def test_html_credentials_are_redacted_other_values_kept(html, kept):
    assert redact.redact_text(html, "text/html") == kept


def test_form_json_and_url_secrets_are_redacted():
    form = redact.redact_text("email=a%40b.fr&password=p%C3%A9&csrf_token=t&new_password=x&plate=AB",
                              "application/x-www-form-urlencoded")
    assert form == f"email=a%40b.fr&password={R}&csrf_token={R}&new_password={R}&plate=AB"
    body = redact.redact_text('{"api_key": "k", "bdc_number": "SP953617Z103833701", "nested": {"token": 12}}',
                              "application/json")
    assert body == f'{{"api_key": "{R}", "bdc_number": "SP953617Z103833701", "nested": {{"token": "{R}"}}}}'
    assert redact.url("https://x/reinitialisation/abc.DEF-1?next=/a") == f"https://x/reinitialisation/{R}?next=/a"
    assert redact.url("http://x/declaration/eyJ.sig?token=zz&page=2") == f"http://x/declaration/{R}?token={R}&page=2"
    assert redact.redact_text("Lien : http://h/activation/t0k3n.", "text/plain") == f"Lien : http://h/activation/{R}"


def test_headers_are_redacted_cut_and_escaped():
    headers = redact.headers([("Authorization", "Bearer demo-tec3h"), ("Cookie", "s=1"), ("X-Spoticar-Signature", "ab"),
                              ("Accept", "a"), ("Accept", "b"), ("X-Long", "é" * 3000),
                              ("X-Bytes", b"\xff\x00".decode("latin-1"))])
    assert headers["Authorization"] == f"Bearer {R}" and headers["Cookie"] == R
    assert headers["X-Spoticar-Signature"] == R and headers["Accept"] == "a, b"
    assert headers["X-Long"].endswith("…[cut]") and len(headers["X-Long"]) == redact.HEADER_LIMIT + len("…[cut]")
    assert headers["X-Bytes"] == "\\xff\\x00"


def test_a_request_s_headers_are_read_from_its_environ_whatever_its_shape():
    """Environs of one shape (the same keys in the same order) with other values, with one header or
    none: each entry gets its own request's headers, the credential redacted."""
    shape = {"REQUEST_METHOD": "POST", "HTTP_HOST": "a:1", "HTTP_AUTHORIZATION": "Bearer one", "REMOTE_PORT": "1",
             "HTTP_USER_AGENT": "x", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "12"}
    first, second = request_headers(shape), request_headers({**shape, "HTTP_HOST": "b:2", "HTTP_USER_AGENT": "y"})
    assert first == {"Host": "a:1", "Authorization": f"Bearer {R}", "User-Agent": "x",
                     "Content-Type": "application/json", "Content-Length": "12"}
    assert (second["Host"], second["User-Agent"], second["Authorization"]) == ("b:2", "y", f"Bearer {R}")
    assert list(first) == list(second)  # the request's order
    assert request_headers({"REQUEST_METHOD": "GET", "HTTP_HOST": "c:3"}) == {"Host": "c:3"}
    assert request_headers({"HTTP_HOST": "c:3", "REQUEST_METHOD": "GET"}) == {"Host": "c:3"}
    assert request_headers({"REQUEST_METHOD": "GET"}) == {}


def test_an_answer_s_headers_are_kept_as_each_came_a_credential_never_remembered():
    plain = ("Content-Type", "application/json", "Content-Length", "12", "Vary", "Accept", "Vary", "Cookie")
    secret = ("Content-Type", "text/html", "Set-Cookie", "session=S3cr3t", "Location", "/activation/T0k3n")
    for flat in (plain, secret, plain, secret):  # met again: the same, from memory or not
        kept = redact.flat_headers(flat)
        assert kept == redact.headers(zip(flat[::2], flat[1::2]))
    assert redact.flat_headers(plain) == {"Content-Type": "application/json", "Content-Length": "12",
                                          "Vary": "Accept, Cookie"}
    assert redact.flat_headers(secret) == {"Content-Type": "text/html", "Set-Cookie": R,
                                           "Location": f"/activation/{R}"}
    redact.flat_headers(plain)["Vary"] = "changed"  # a caller's copy
    assert redact.flat_headers(plain)["Vary"] == "Accept, Cookie"
    assert not any("S3cr3t" in str(key) or "T0k3n" in str(key) for key in redact._FLAT)


def test_bodies_are_cut_escaped_or_summarised():
    text, cut = redact.body(b"a" * 20000, "text/plain", 20000)
    assert cut and len(text) == redact.BODY_LIMIT
    assert redact.body(b"ok\xff\x00\x1b", "application/json") == ("ok\\xff\\x00\\x1b", False)
    assert redact.body(b"%PDF-1.7\x00...", "application/pdf", 1234) == ("[binary body: 1234 bytes, application/pdf]", False)
    assert redact.body(b"", None) == ("", False)


def test_the_bdc_of_an_exchange_is_found_in_its_url_redirect_or_fields():
    assert find_bdc("/declarations/SP953617Z103833701/formulaire", None) == "SP953617Z103833701"
    assert find_bdc("/declaration/x", "/declarations/SP020319L103833702") == "SP020319L103833702"
    assert find_bdc("/api/v1/npo", None, '{"bdc_number": "SP013250C103833703"}') == "SP013250C103833703"
    assert find_bdc("/", None, "<td>SP953617Z103833701</td>") is None  # a listing page binds nothing


@pytest.mark.parametrize(("html", "kept"), [
    ("<p>Immatriculation é</p><input value=s3cret <b name=csrf_token>",
     f'<p>Immatriculation é</p><input value="{R}" <b name=csrf_token>'),
    ('<meta name="x"><p>clé</p><input type="hidden" name="CSRF_TOKEN" value="t">',
     f'<meta name="x"><p>clé</p><input type="hidden" name="CSRF_TOKEN" value="{R}">'),
    ('<input name="to\u212aen" value="v">', f'<input name="to\u212aen" value="{R}">'),  # Kelvin sign folds to k
])
def test_a_credential_tag_is_found_among_others_whatever_its_case_or_letters(html, kept):
    assert redact.redact_text(html, "text/html") == kept



@pytest.mark.parametrize("text", [
    "https://x/reset?token=abc&b=1", "/p?a=1&ACCESS_TOKEN=s3cret#f", "?token=abc?code=42&key=k",
    "<a href=\"/x?cle=v&amp;code=9\">é</a> ? & =", "a=1&b=2", "&&==??token=", "?Signature=s&x=1&Code=c",
    "x?\u212aey=v&co\u0130e=w&é=1", "\n".join(f"/l{i}?p={i}&q=2" for i in range(40)) + "&token=t",
])
def test_query_tokens_are_redacted_as_the_pattern_finds_them(text):
    """The look at each ``?``/``&`` only (a page holds a few) redacts what the pattern's scan would."""
    assert redact.url(text) == redact.TOKEN_QUERY.sub(lambda m: m.group(1) + R, text)


@pytest.mark.parametrize("tag", [
    '<input name="csrf_token">', '<input type="PASSWORD">', "<meta name=mot_de_passe>", "<input name=motdepasse>",
    '<input name="api-key">', '<input name="plate" value="AB-123-CD">', "<meta charset=utf-8>", "<input name=mdp>",
    "<input name=\u212aey>", "<input name=Authorization>", "<input name=cookies>", "<input name=secretaire>",
])
def test_a_tag_is_looked_at_closer_exactly_when_the_hint_pattern_finds_a_hint(tag):
    lowered = tag.lower()
    assert any(word in lowered for word in redact.TAG_WORDS) == bool(redact.TAG_HINT.search(lowered))


def test_html_redaction_around_hints_rewrites_as_the_whole_scan_would():
    """``_html`` rewrites only the stretches around hint words: on seeded random HTML-like texts (tags
    split across stretches, ``<`` and ``>`` anywhere, accents, letters that fold to ASCII in Unicode)
    it gives exactly what the tag pattern's scan of the whole text gives."""
    import random
    pieces = ["<input", "<INPUT", "<meta", "<Meta", "<inputé", "<input«", " name=", " NAME = ", " type=", " value=",
              " content=", '"', "'", ">", "<", "csrf_token", "Password", "mot_de_passe", "api-key", "toKen", "x", "é",
              "\u212aey", "\u0131", "\u0130", "\u017f", " ", "mdp", "<p>", "value=s3cret", "hidden", "motdepasse", "€"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        assert redact._html(text) == redact.HTML_TAG.sub(redact._html_tag, text), text


def _redacted_by_every_pattern(text: str, content_type: str) -> str:
    """What ``redact_text`` keeps, each pattern run over the whole text (no hint looked for first)."""
    if "x-www-form-urlencoded" in content_type:
        text = redact._form(text)
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        text = redact.JSON_FIELD.sub(redact._json_field, text)
    text = redact.HTML_TAG.sub(redact._html_tag, text)
    text = redact.ISSUED_KEY.sub(redact.REDACTED, text)
    text = redact.TOKEN_QUERY.sub(redact._token_value, redact.TOKEN_PATH.sub(redact._token_value, text))
    return redact.ENCODED_TOKEN.sub(redact._encoded_value, text)


def test_hints_looked_for_first_redact_what_every_pattern_would():
    """The hints (one pass over the folded bytes) only skip patterns that cannot match: seeded random
    bodies of every kind come out as the patterns run over the whole text leave them."""
    import random
    pieces = ["<input name=csrf value=x>", "/reset/", "/declaration/", "?token=", "&key=", "?x.token.value=", "value=", " ",
              "é", "\u212a", "ey=", "?", "&", "=", "abc", "<meta content=", '"', ">", '{"password": "p"}', "/activate/t?code=3&",
              "\u0130", "&amp;", "Token", "?Signature=s", "cle=", "?é.token=", "<input ?x.token name=csrf value = y>",
              "/mot-de-passe/", "\n", "/", '"api_key": 1,',
              '"confirmation": "c", ', "<input name=confirmation value=z>", "Confirm",  # a password typed again
              "cs-" + "k" * 43, "sk-", "K" * 43,  # an issued key, whole or in pieces
              # escapes: in values (an ASCII-only encoder's accents) and in keys naming a credential
              "\\u00e9", '"\\u0070assword": "v", ', "\\u0073", '\\\\u0070ass', '": ', '"\\"', "\\u006bey", "\\",
              # URLs percent-encoded inside another one's query (a login's « suivant »)
              "%2F", "%2factivation%2F", "%3F", "%3Freset_token%3D", "%26", "%3d", "%26code%3D", "%23", "100%"]
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        for content_type in ("text/html", "application/json", "text/plain", "application/x-www-form-urlencoded"):
            assert redact.redact_text(text, content_type) == _redacted_by_every_pattern(text, content_type), text
            raw = text.encode()
            assert redact.body(raw, content_type, len(raw), 4096)[0] == _redacted_by_every_pattern(text, content_type)


@pytest.mark.parametrize("key", [r"pass\u0077ord", r"\u0070assword", r"api\u005fkey", r"mot_de_passe\u00e9"])
def test_a_json_key_written_with_escapes_is_judged_by_what_it_means(key):
    """A JSON encoder may escape any character of a key: ``"\\u0070assword"`` is ``"password"``."""
    body = redact.redact_text(f'{{"{key}": "hunter2", "plate": "AB-123-CD"}}', "application/json")
    assert body == f'{{"{key}": "{R}", "plate": "AB-123-CD"}}'
    assert redact.body(f'{{"{key}": "hunter2"}}'.encode(), "application/json")[0] == f'{{"{key}": "{R}"}}'


@pytest.mark.parametrize("sent, kept", [
    ("/connexion?suivant=/%3Factivation_token%3DS3cr3t&x=1", "/connexion?suivant=/%3Factivation_token%3D[REDACTED]&x=1"),
    ("/connexion?suivant=%2Factivation%2FS3cr3t%3Fa%3Db", "/connexion?suivant=%2Factivation%2F[REDACTED]%3Fa%3Db"),
    ("/connexion?suivant=%2Fx%3Freset_token%3DS3cr3t%26n%3D2", "/connexion?suivant=%2Fx%3Freset_token%3D[REDACTED]%26n%3D2"),
    ("/p?suivant=%2fdeclaration%2fS3cr3t.aw.LF", "/p?suivant=%2fdeclaration%2f[REDACTED]"),
    ("width: 100%; a=b", "width: 100%; a=b"),
])
def test_a_link_token_percent_encoded_inside_another_url_is_redacted(sent, kept):
    assert redact.url(sent) == kept
    assert redact.body(f"<a href='{sent}'>x</a>".encode(), "text/html")[0] == f"<a href='{kept}'>x</a>"
    assert redact.headers([("Location", sent)])["Location"] == kept
