"""What every Flask app of the harness shares: config, secret, CSRF, headers, French error pages."""
from __future__ import annotations

import io
import logging
import os
import re
import secrets
import threading
from pathlib import Path

from flask import (
    Flask,
    Request,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Rule

from common import journal
from common.json_checks import (
    DUPLICATE_KEY_MESSAGE,
    MAX_JSON_DEPTH,
    TOO_MANY_VALUES,
    json_encoding_problem,
    json_has_duplicate_key,
    json_has_nul,
    json_too_deep,
    json_too_many_values,
)
from common.parsing import MAX_INT, ParseError

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Requête invalide.",
    401: "Authentification requise.",
    403: "Accès refusé : vous n'avez pas les droits nécessaires.",
    404: "Page introuvable.",
    405: "Méthode non autorisée pour cette adresse.",
    409: "Conflit avec l'état enregistré.",
    413: "Le contenu envoyé est trop volumineux.",
    415: "Type de contenu non pris en charge : JSON attendu (Content-Type: application/json).",
    422: "Données invalides.",
    429: "Trop de tentatives : réessayez dans quelques minutes.",
    500: "Erreur interne : l'incident a été enregistré.",
    502: "Le service distant ne répond pas correctement.",
    503: "Service momentanément indisponible.",
}

# the body of every redirect (``make_app``'s after-request hook), instead of werkzeug's English page
REDIRECT_PAGE = ('<!doctype html>\n<html lang="fr">\n<title>Redirection</title>\n<h1>Redirection</h1>\n'
                 '<p>Vous allez être redirigé automatiquement vers <a href="{link}">{link}</a>. '
                 'Sinon, suivez ce lien.\n')

CSRF_MESSAGE = ("Le formulaire a expiré ou n'est pas authentique : rechargez la page puis "
                "recommencez.")
CONFLICT_MESSAGE = ("Ce formulaire vient d'être enregistré par un autre envoi (double clic, autre onglet) : "
                    "rien n'a été enregistré une seconde fois. Rechargez la page pour voir l'état enregistré.")

csrf = CSRFProtect()

# what every answer carries (``make_app``'s after-request hook, and the lean hand-off path that
# answers without Flask): pages, PDFs and JSON carry personal data, so no copy in a shared browser's
# or proxy's cache ("Cache-Control", left out for static files)
ANSWER_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                 "script-src 'self'; frame-ancestors 'self'; form-action 'self' http: https:")),
)


def _secret_key(config: dict) -> str:
    """``SPOTICAR_SECRET_KEY`` when set (several processes or hosts sign links and sessions alike),
    else a per-data-directory random secret created on first start; never a constant in the repo."""
    if os.environ.get("SPOTICAR_SECRET_KEY"):
        return os.environ["SPOTICAR_SECRET_KEY"]
    path = Path(config["DATA_DIR"]) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json


def error_response(status: int, message: str | None = None, field: str | None = None):
    """A French error: JSON ``{"errors": [...]}`` on the API, the app's error page elsewhere."""
    message = message or HTTP_MESSAGES.get(status, "Erreur.")
    if wants_json():
        return jsonify({"errors": [{"field": field, "message": message}]}), status
    return render_template("common/error.html", status=status, message=message), status


def public_url_for(endpoint: str, **values) -> str:
    """An absolute link to ``endpoint`` for a mail or a DMS: the app's configured ``PUBLIC_URL``, never
    the request's Host header (a forged Host would otherwise receive the reset token).

    Without ``PUBLIC_URL`` (a bare test app), the address the server itself listens on is used."""
    from flask import current_app, url_for
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        base = f"http://127.0.0.1:{request.environ.get('SERVER_PORT', '80')}"
    return base.rstrip("/") + url_for(endpoint, _external=False, **values)


_UNSAFE_IN_PATH = re.compile(r"[\x00-\x1f\x7f\\]")  # control characters and backslashes


def local_path(target: str | None, default: str | None = None) -> str | None:
    """``target`` when it is a path on this site (a login's or a form's return address), else
    ``default``: never another site. Browsers drop tabs and line breaks from a URL and read ``\\`` as
    ``/``, so "/\\evil.example" or "/<TAB>/evil.example" would lead to ``//evil.example``; a line
    break in a ``Location`` header would also be a 500."""
    if not target or not target.startswith("/") or target.startswith("//") or _UNSAFE_IN_PATH.search(target):
        return default
    return target


def json_body(model):
    """The request's JSON checked by a pydantic ``model``: ``(instance, None)``, or ``(None, response)``
    with the French 415 / 400 / 422 answer to return as is."""
    from pydantic import ValidationError

    from common.errors import french_errors
    if request.mimetype != "application/json":  # a JSON route answers in JSON whatever was sent
        return None, (jsonify({"errors": [{"field": None, "message": HTTP_MESSAGES[415]}]}), 415)
    raw = request.get_data(cache=True)
    try:  # parsed and validated in one pass by pydantic-core (no json.loads, no dict walked twice)
        return model.model_validate_json(raw), None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if errors[0]["type"] == "json_invalid" or (errors[0]["loc"] == () and raw.strip() == b"null"):
            return None, error_response(400, "Le corps de la requête n'est pas un JSON valide.")
        return None, (jsonify({"errors": french_errors(exc)}), 422)


_BUILDER_LOCK = threading.Lock()  # CPython < 3.11.8 must not compile ASTs in two threads at once (gh-106905)


class LazyBuildRule(Rule):
    """A route whose URL builder (Python code werkzeug generates and compiles for ``url_for``) is
    compiled at its first ``url_for``, not when the route is added: an app has ~30 routes and the
    builders were most of its creation time, while a request uses a few."""

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, /, **values):
            nonlocal compiled
            if compiled is None:
                with _BUILDER_LOCK:
                    compiled = Rule._compile_builder(rule, append_unknown)
            return compiled(rule, **values)
        return build


class AsciiIntConverter(IntegerConverter):
    """``<int:…>`` in every route: ASCII digits only and at most MAX_INT, so "/livraisons/٣" or a
    20-digit number is a 404 rather than a database overflow."""
    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer built once per secret key rather than at every
    request (building one costs more than the rest of opening an empty session)."""

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = app.extensions.get("session_signer")
        if cached is None or cached[0] != keys:
            cached = app.extensions["session_signer"] = (keys, super().get_signing_serializer(app))
        return cached[1]


MAX_URLENCODED_BODY = 256 * 1024  # form 2/3, the longest page form, posts ~10 KB


class _KeptPrefix(io.BytesIO):
    """An uploaded file as an app keeps it (``UPLOAD_KEPT_BYTES``): its first bytes, the rest read off
    the request and dropped — what the app needs to tell a file too large from one it takes."""

    def __init__(self, keep: int):
        super().__init__()
        self._room = keep

    def write(self, data) -> int:
        if self._room > 0:
            kept = data[:self._room]
            super().write(kept)
            self._room -= len(kept)
        return len(data)


class _Request(Request):
    """Flask's request, a URL-encoded form body bounded at ``MAX_URLENCODED_BODY`` (a French 413
    beyond): werkzeug parses such a body whole, with no limit on its fields, so 1 MB of "a=1&" was
    ~1.5 s of CPU for one request (8 MB where the Portail B2B takes screenshots). Multipart bodies
    keep the app's limit and Flask's 1,000 parts at most — or, for a form taking a file
    (``UPLOAD_ENDPOINTS``, ``UPLOAD_MAX_BODY``, ``UPLOAD_KEPT_BYTES``), a larger limit of which each
    file keeps only its first bytes: a file over what the form takes is then the field's own French
    message, with the rest of the form as typed, rather than the server's 413 page losing it all."""

    @property
    def max_content_length(self) -> int | None:
        limit = Request.max_content_length.fget(self)
        mimetype = self.mimetype
        if mimetype == "application/x-www-form-urlencoded":
            return MAX_URLENCODED_BODY if limit is None else min(limit, MAX_URLENCODED_BODY)
        if (mimetype == "multipart/form-data" and current_app and current_app.config.get("UPLOAD_KEPT_BYTES")
                and self.endpoint in current_app.config.get("UPLOAD_ENDPOINTS", ())):
            return current_app.config.get("UPLOAD_MAX_BODY") or limit
        return limit

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        keep = current_app.config.get("UPLOAD_KEPT_BYTES") if current_app else None
        if not keep:
            return super()._get_file_stream(total_content_length, content_type, filename, content_length)
        # kept in memory, twice ``keep`` at most a request whatever its number of files (a form has one)
        room = self.__dict__.get("_upload_room", 2 * keep)
        kept = min(keep, room)
        self._upload_room = room - kept
        return _KeptPrefix(kept)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        Request.max_content_length.fset(self, value)


class _Flask(Flask):
    """Flask with our request and route classes from its creation on: the static files' route Flask
    adds in its constructor is a lazy one too (its two builders were ~0.3 ms of each app's creation)."""

    request_class = _Request
    url_rule_class = LazyBuildRule


def make_app(import_name: str, config: dict | None, defaults: dict | None = None) -> Flask:
    """Build a Flask app with the harness's security defaults; ``config`` wins over ``defaults``."""
    app = _Flask(import_name)
    app.url_map.converters["int"] = AsciiIntConverter
    app.session_interface = _SessionInterface()
    app.config.update(
        DEMO_MODE=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=1 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,
        JSON_SORT_KEYS=False,
        URLS={},
    )
    # Every app runs on the same host: browsers share cookies across ports, so each app needs its own
    # session cookie name or two apps would overwrite each other's session and CSRF token.
    app.config["SESSION_COOKIE_NAME"] = f"{import_name.rsplit('.', 1)[-1]}_session"
    app.config.update(defaults or {})
    app.config.update(config or {})
    if "SESSION_COOKIE_SECURE" not in {**(defaults or {}), **(config or {})}:
        # served to users over TLS (a proxy in front): the session cookie never travels in clear
        app.config["SESSION_COOKIE_SECURE"] = str(app.config.get("PUBLIC_URL") or "").startswith("https://")
    if not app.config.get("DATA_DIR"):
        raise ValueError("DATA_DIR is required (where the app keeps its state)")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    # common/templates is a second template root, so every app can extend "common/base.html".
    from jinja2 import ChoiceLoader, FileSystemLoader
    app.jinja_loader = ChoiceLoader([
        app.jinja_loader, FileSystemLoader(str(Path(__file__).parent / "templates"))])
    csrf.init_app(app)
    from common import formats
    formats.install(app)  # |euros, |number, |km, |size, |fr_date, |month_year, |phone
    from common import forms
    forms.init_app(app)
    from common import static
    static.install(app)  # ?v=<hash> on static links, cached by the browser
    _install_error_handlers(app)
    app.before_request(_refuse_nul)
    app.before_request(_bound_json_depth)
    from common.health import bp as health
    app.register_blueprint(health)
    # behind a TLS-terminating proxy (TRUSTED_PROXIES): REMOTE_ADDR is the client, never a forged header
    # (inside the journal's capture, which keeps the request as it came)
    from common.proxies import ForwardedClient, trusted_proxies
    app.extensions["trusted_proxies"] = proxies = trusted_proxies(app.config)
    app.wsgi_app = ForwardedClient(app.wsgi_app, proxies)
    journal.install(app)

    @app.after_request
    def _headers(response):
        static = (request.endpoint or "").endswith("static")
        for name, value in ANSWER_HEADERS:
            if not (static and name == "Cache-Control"):
                response.headers.setdefault(name, value)
        location = response.headers.get("Location")
        if location and location.startswith(request.host_url):
            # built from the request's Host header (werkzeug's "//" and trailing-slash redirects): a
            # forged Host would lead the browser — or a cache — to another site; the path alone stays,
            # in the header and in the link of the redirect's page
            location = response.headers["Location"] = "/" + location[len(request.host_url):].lstrip("/\\")
        if location and 300 <= response.status_code < 400 and response.mimetype == "text/html":
            # every redirect (flask.redirect, werkzeug's own "//" and trailing-slash ones, whose page
            # comes as an iterable) has werkzeug's English page as its body: the French one instead,
            # same status and Location
            from markupsafe import escape
            response.set_data(REDIRECT_PAGE.format(link=escape(location)))
        return response

    return app


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _bound_json_depth():
    """Refuse deeply nested JSON before any parser recurses into it, and JSON naming a key twice in an
    object (every app, every route, whatever the declared content type)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
        return None
    if request.mimetype in _FORM_TYPES:
        return None
    raw = request.get_data(cache=True)
    if json_too_deep(raw):
        return error_response(400, f"JSON trop imbriqué : au plus {MAX_JSON_DEPTH} niveaux.")
    if json_too_many_values(raw):  # before any parse: each value costs the parsers memory and time
        return error_response(413, TOO_MANY_VALUES)
    if json_has_duplicate_key(raw):
        return error_response(400, DUPLICATE_KEY_MESSAGE)
    return None


NUL_MESSAGE = ("La requête contient un caractère nul (U+0000) : aucun champ ne l'accepte. "
               "Retirez-le puis recommencez.")
ENCODING_MESSAGE = ("Content-Encoding non pris en charge : {encoding}. Envoyez le corps de la requête sans "
                    "compression (Content-Encoding: identity, ou pas d'en-tête Content-Encoding).")


def encoded_body(content_encoding: str | None) -> str | None:
    """The coding a request body says it is in, when it is not the plain bytes every app reads (RFC 9110
    §8.4: a server refuses a coding it does not apply, 415); None for none or ``identity``. A gzipped
    hand-off was told its body was no UTF-8, and a body « in br » was read as plain."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    odd = [c for c in codings if c != "identity"]
    return ", ".join(odd) if odd else None


def _refuse_nul():
    """Refuse a NUL character in the path, the query, a form field or a JSON body (every app, every
    route): PostgreSQL cannot hold one in a text, so a search, a login or a record with it was a 500
    there (SQLite took it)."""
    # ``find``: ``bytes in bytes`` makes and drops a TypeError at each call (common.json_checks.json_has_nul)
    if "\x00" in request.path or (request.query_string.find(b"%00") != -1
                                  and any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True))):
        return error_response(400, NUL_MESSAGE)
    has_body = request.content_length or request.headers.get("Transfer-Encoding")
    coding = encoded_body(request.headers.get("Content-Encoding")) if has_body else None
    if coding:
        return error_response(415, ENCODING_MESSAGE.format(encoding=coding))
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.content_length:
        return None
    if request.mimetype in _FORM_TYPES:  # files may hold NUL bytes (a screenshot): the fields may not
        # (the form is parsed once per request: CSRFProtect has usually read it already)
        if any("\x00" in k or "\x00" in v for k, v in request.form.items(multi=True)):
            return error_response(400, NUL_MESSAGE)
        return None
    raw = request.get_data(cache=True)
    # JSON written in UTF-16 or UTF-32 (its zero bytes are no NUL the sender typed), behind a byte
    # order mark or in ISO-8859-1: told to write UTF-8, rather than « a NUL character » or « no JSON »
    problem = json_encoding_problem(raw) if request.is_json else None
    if problem:
        return error_response(400, problem)
    if json_has_nul(raw):
        return error_response(400, NUL_MESSAGE)
    return None


def _unique_violation(exc: IntegrityError) -> bool:
    """Whether ``exc`` is a unique-key clash (SQLite's message, PostgreSQL's SQLSTATE 23505)."""
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)


def _install_error_handlers(app: Flask) -> None:
    @app.errorhandler(ParseError)
    def _parse(exc: ParseError):  # a query parameter no parser could read (common.parsing.arg_*)
        return error_response(400, exc.message, exc.field)

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return error_response(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        response = make_response(error_response(exc.code or 500))
        if exc.code == 405:  # RFC 9110: a 405 names the methods the address accepts
            response.headers["Allow"] = dict(exc.get_headers()).get("Allow", "")
        return response

    @app.errorhandler(IntegrityError)
    def _conflict(exc: IntegrityError):
        # a uniqueness race the view did not foresee (the same form sent twice at once, PostgreSQL's
        # check-then-insert): the first one was stored, this one stored nothing. Any other integrity
        # failure (NOT NULL, foreign key) is our bug, not a double send: the generic answer below.
        if not _unique_violation(exc):
            return _unexpected(exc)
        log.warning("integrity conflict on %s %s: %s", request.method, request.path, exc.orig)
        return error_response(409, CONFLICT_MESSAGE)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # never a stack trace to a user or a DMS
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500)
