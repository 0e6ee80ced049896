"""The lean hand-off path: ``POST /api/v1/handoffs`` answered without Flask's request machinery in
the common case — a DMS key, a sale the centralisateur accepts (201, or 200 for an order sent again).

Flask's per-request work (request and app contexts, the session cookie, CSRF, before/after hooks,
URL matching, the Response object) was about a third of a hand-off's CPU, for an answer whose every
byte is known in advance. This WSGI layer sits inside the journal's capture (``common.journal``:
trace context, journal entry and access log as for any request) and in front of Flask:

- it answers only what the Flask view would answer with a receipt, through the same functions
  (``api.client_named``, ``api.prepare``, ``api.write``, ``api.receipt_body``) and the same headers
  (``common.web.ANSWER_HEADERS``);
- anything else — another route or method, a query string, no or another content type, a size over
  the limit, a certification session's key, a body the view would refuse (NUL, nesting, a key twice, JSON,
  validation, eligibility, callback URL, dealer) — goes to Flask untouched (the body it read is handed on), so every error
  keeps its one French wording. A refusal found by the write job wrote nothing, so the view running
  it again answers the same.
"""
from __future__ import annotations

import io
import json
import logging

from sqlalchemy.exc import IntegrityError

from centralisateur import api, api_store
from common.auth import key_digest
from common.keys import demo_key_allowed
from common.json_checks import json_has_duplicate_key, json_has_nul, json_too_deep, json_too_many_values
from common.web import ANSWER_HEADERS, HTTP_MESSAGES

log = logging.getLogger(__name__)
PATH = "/api/v1/handoffs"
_STATUS = {201: "201 CREATED", 200: "200 OK", 500: "500 INTERNAL SERVER ERROR"}
# the app's error handler's answer (``common.web``): jsonify's compact JSON and final newline
_FAILED = json.dumps({"errors": [{"field": None, "message": HTTP_MESSAGES[500]}]}, ensure_ascii=False,
                     separators=(",", ":")).encode() + b"\n"


# The hooks Flask runs for this route, by name, and what stands for each here: CSRF (the API is
# exempt), NUL characters, nesting and keys twice (``json_has_nul``, ``json_too_deep``,
# ``json_has_duplicate_key``, no query), the key
# (``api.client_named``; a certification key goes to the view), static caching (not static), the
# headers (``ANSWER_HEADERS``), certification's tagging (its sessions go to the view). A hook
# added since is not here: ``unknown_hooks`` names it and the path stands aside (every hand-off
# through Flask, as correct and slower) until it is accounted for.
ACCOUNTED = {"before": {"csrf_protect", "_refuse_nul", "_bound_json_depth", "_authenticate"},
             "after": {"_cacheable", "_headers", "finish"}, "teardown": set(), "url_value": set()}


def unknown_hooks(app) -> list[str]:
    """The request hooks of ``app`` that apply to ``POST /api/v1/handoffs`` and the lean path does not
    account for (empty: it may answer)."""
    found = {"before": app.before_request_funcs, "after": app.after_request_funcs,
             "teardown": app.teardown_request_funcs, "url_value": app.url_value_preprocessors}
    return [f"{kind}:{hook.__name__}" for kind, hooks in found.items()
            for scope in (None, "api") for hook in hooks.get(scope, ())
            if hook.__name__ not in ACCOUNTED[kind]]


class LeanHandoffs:
    """WSGI middleware around the Flask app's ``wsgi_app``: see the module's docstring."""

    def __init__(self, app, wsgi_app):
        self.app = app
        self.wsgi_app = wsgi_app
        self.active: bool | None = None  # decided at the first hand-off, once every hook is registered
        self._model = self._invalid = None  # ``HandoffIn`` and pydantic's ``ValidationError``: see ``_decide``

    def _decide(self) -> bool:
        unknown = unknown_hooks(self.app)
        if unknown:  # a check this path does not make: Flask answers every hand-off
            log.warning("lean hand-off path off: request hooks %s not accounted for", unknown)
        # pydantic: loaded by the first hand-off (or up's warm-up once every app answers), kept here — an
        # import statement in ``_sale`` looked its module's ``__path__`` up at every hand-off (an
        # AttributeError made and dropped, its message formatted)
        from pydantic import ValidationError

        from spoticar_handoff.models import HandoffIn
        self._model, self._invalid = HandoffIn, ValidationError
        self.active = not unknown
        return self.active

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST" or not (
                self.active if self.active is not None else self._decide()):
            return self.wsgi_app(environ, start_response)
        try:
            sale = self._sale(environ)
        except Exception:  # the view meets the same case and answers it (a French 500 at worst)
            log.debug("lean hand-off: left to the view", exc_info=True)
            sale = None
        if sale is None:
            return self.wsgi_app(environ, start_response)
        try:
            stored = api.write(self.app, sale)
        except IntegrityError:  # a vanished dealer or a twin order: the view's own recovery
            return self.wsgi_app(environ, start_response)
        except Exception:  # noqa: BLE001  logged by _failed
            return self._failed(start_response)
        if not isinstance(stored, api_store.Stored):  # a dealer refusal: nothing written, the view words it
            return self.wsgi_app(environ, start_response)
        try:
            body = api.receipt_body(self.app, stored, sale.payload)
        except Exception:  # noqa: BLE001  recorded already: answered as the app's error handler would, never run again
            return self._failed(start_response)
        return self._answer(start_response, 201 if stored.created else 200, body)

    @staticmethod
    def _answer(start_response, status: int, body: bytes):
        start_response(_STATUS[status], [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                                         *ANSWER_HEADERS])
        return [body]

    def _failed(self, start_response):
        log.exception("unexpected error on POST %s", PATH)
        return self._answer(start_response, 500, _FAILED)

    def _sale(self, environ) -> api_store.Sale | None:
        """The sale to record when the view would record it; None when the view must answer (the
        body read here is put back for it)."""
        app = self.app
        mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
        length = environ.get("CONTENT_LENGTH", "")
        if mimetype != "application/json" or not length.isdigit() or not 0 < int(length) <= app.config[
                "MAX_CONTENT_LENGTH"] or environ.get("QUERY_STRING") \
                or environ.get("HTTP_CONTENT_ENCODING"):  # a hand-off takes no query, nor a coding (the view's 415)
            return None
        scheme, _, key = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key or not demo_key_allowed(key, app.config["DEMO_MODE"]):
            return None
        dms = api.client_named(app, key_digest(key))
        if dms is None:  # no key, a bad one, or a certification session's: the view's own checks
            return None
        raw = environ["wsgi.input"].read(int(length))
        environ["wsgi.input"] = io.BytesIO(raw)  # the view reads it again if it answers
        if json_has_nul(raw) or json_too_deep(raw) or json_too_many_values(raw) or json_has_duplicate_key(raw):
            return None
        try:
            handoff = self._model.model_validate_json(raw)
        except self._invalid:
            return None
        if handoff.source_dms != dms:
            return None
        sale, _refused, _bad_callback = api.prepare(app, dms, handoff)
        return None if sale.refused else sale
