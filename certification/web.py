"""The "Certification" pages of the centralisateur (apart from the dealers' pages) and their JSON
twins: open a session, follow it scenario by scenario, skip one with a reason, read the evidence.

``GET /certification/sessions/<id>`` is HTML for a person and, with ``Accept: application/json``
and the session key (``Authorization: Bearer``), the session state for a vendor's automation."""
from __future__ import annotations

import datetime as dt

from flask import (Blueprint, current_app, jsonify, redirect, render_template, request, session,
                   url_for)

from certification import evidence, hooks, sessions
from certification.verdicts import STATUS_LABELS, diff_lines
from common.auth import bearer_token, key_matches
from common.egress import UrlRefused, callback_origins, check_url, refusal
from common.web import csrf
from fixtures import reference
from spoticar_handoff.catalogue import DMS_NAMES
from spoticar_handoff.statuses import STATUSES

bp = Blueprint("certification", __name__, url_prefix="/certification", template_folder="templates")
COOKIE_KEY = "certification_sessions"


def _wants_json() -> bool:
    """JSON when asked for, or sent; and for a client carrying a session key that does not name HTML
    (``Accept: */*``, or none: curl, requests, a DMS's HTTP client) — only a browser asks for a page."""
    accept = request.accept_mimetypes
    if accept.best_match(["text/html", "application/json"]) == "application/json" or request.is_json:
        return True
    return bearer_token() is not None and not any(kind == "text/html" for kind, _ in accept)


def _error(status: int, message: str, field: str | None = None, json_only: bool = False):
    if json_only or _wants_json():
        return jsonify({"errors": [{"field": field, "message": message}]}), status
    return render_template("certification/error.html", status=status, message=message), status


def _public_url() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/")


def _open(data: dict):
    """(session, key, [], 201), or (None, None, French errors, 422 — 429 past a bound on openings)."""
    # pydantic: at the first session opened, not when the app starts
    from pydantic import ValidationError

    from certification.inputs import SessionIn
    from common.errors import french_errors
    try:
        wanted = SessionIn.model_validate(data)
    except ValidationError as exc:
        return None, None, french_errors(exc), 422
    callback = str(wanted.callback_url) if wanted.callback_url else None
    if callback:  # the session calls it back: the SSRF guard applies as to any callback_url
        try:
            check_url(callback, callback_origins(current_app.config, wanted.dms))
        except UrlRefused as exc:
            return None, None, [{"field": "callback_url", "message": refusal(current_app.config, exc)}], 422
    try:
        opened, key = sessions.open_session(current_app, wanted.dms, callback, wanted.wait_seconds, by_client=True)
    except sessions.Refused as exc:
        return None, None, [{"field": None, "message": str(exc)}], exc.status
    return opened, key, [], 201


def _dms_choices() -> dict[str, str]:
    """{dms code: the name its users know it by} for the form's list (the code is what is sent)."""
    titles = reference.dms_titles()
    return {code: titles.get(code, code) for code in DMS_NAMES}


@bp.get("")
def index():
    """Open a session, or resume one with its key."""
    return render_template("certification/index.html", dms_names=_dms_choices(), errors=[], values={})


@bp.post("")
def create_from_page():
    values = {"dms": request.form.get("dms", ""), "callback_url": request.form.get("callback_url") or None}
    opened, key, errors, status = _open(values)
    if errors:
        return render_template("certification/index.html", dms_names=_dms_choices(), errors=errors,
                               values=values), status
    session[COOKIE_KEY] = (session.get(COOKIE_KEY) or [])[-19:] + [opened.id]
    session["certification_new_key"] = key  # shown once on the session page
    return redirect(url_for("certification_api.show", session_id=opened.id))


@bp.post("/reprendre")
def resume():
    key = (request.form.get("key") or "").strip()
    found = sessions.by_key(current_app.extensions["db"], key)
    if found is None:
        return render_template("certification/index.html", dms_names=_dms_choices(), values={},
                               errors=[{"field": "key", "message": "Clé de session inconnue."}]), 403
    session[COOKIE_KEY] = (session.get(COOKIE_KEY) or [])[-19:] + [found.id]
    return redirect(url_for("certification_api.show", session_id=found.id))


api = Blueprint("certification_api", __name__, url_prefix="/certification")
csrf.exempt(api)  # JSON only (a browser form cannot send application/json cross-site); a key guards the rest


@api.post("/sessions")
def create():
    """JSON: ``{"dms", "callback_url"?, "wait_seconds"?}`` → 201 with the session, its key and URL."""
    if request.mimetype != "application/json":
        return _error(415, "Type de contenu non pris en charge : JSON attendu (Content-Type: application/json).")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return _error(400, "Le corps de la requête n'est pas un objet JSON valide.")
    opened, key, errors, status = _open(data)
    if errors:
        return jsonify({"errors": errors}), status
    body = sessions.describe(current_app, sessions.advance(current_app, opened.id), _public_url())
    return jsonify({**body, "key": key, "url": f"{_public_url()}/certification/sessions/{opened.id}"}), 201


def _authorised(session_id: str, json_only: bool = False):
    """(session, None) when the caller holds this session's key or opened it in this browser.
    ``json_only``: a route answering JSON alone (the evidence) refuses in JSON, whatever was asked."""
    found = sessions.get(current_app.extensions["db"], session_id)
    if found is None:
        return None, _error(404, f"Session de certification {session_id} introuvable.", json_only=json_only)
    key = bearer_token()
    if key is not None:
        if not key_matches(key, found.key_digest):
            return None, _error(403, "Cette clé n'ouvre pas cette session de certification.", json_only=json_only)
        return found, None
    if session_id in (session.get(COOKIE_KEY) or []):
        return found, None
    if json_only or _wants_json():
        return None, _error(401, "Clé de session absente (en-tête Authorization: Bearer <clé>).", json_only=json_only)
    return None, (render_template("certification/index.html", dms_names=_dms_choices(), values={},
                                  errors=[{"field": "key", "message": "Saisissez la clé de cette session pour "
                                                                      "la suivre."}]), 401)


PAGE_JUDGING_INTERVAL = 0.5   # seconds
REQUEST_JUDGING_WAIT = 3.0    # seconds a request waits for a judging under way, then reads the state saved


def _advance(session_id: str):
    """The session judged for a request. Never on the request's thread does the session send the DMS its
    test callbacks or callbacks again (eight of them, each answered within 5 s, held a reader up to 40 s
    and its client timed out), nor does the request wait long behind a judging sending them: that goes
    on off the request (``hooks.judge_later``), and the request reads the state saved so far."""
    from certification import actions, plans
    app = current_app._get_current_object()
    judged = sessions.advance(app, session_id, probes=False, wait=REQUEST_JUDGING_WAIT)
    if actions.due(plans.load(judged.plan_version), judged.state):
        hooks.judge_later(app, session_id)
    return judged


def _judged(found):
    """The session judged for a page read. New evidence is judged as it arrives (``hooks``), and a read
    while that judging is under way judges too (so a client reads the effect of its last request);
    otherwise a read judges what time alone decides (a wait over, a quiet period) at most twice a
    second: a vendor's automation polling the state every 100 ms costs no more than that."""
    if not hooks.judging(found.id) and sessions.judged_within(found.id, PAGE_JUDGING_INTERVAL):
        return found
    return _advance(found.id)


@api.get("/sessions/<session_id>")
def show(session_id: str):
    found, failure = _authorised(session_id)
    if failure:
        return failure
    state = sessions.describe(current_app, _judged(found), _public_url())
    if _wants_json():
        return jsonify(state)
    return render_template("certification/session.html", s=state, labels=STATUS_LABELS, diff_lines=diff_lines,
                           new_key=session.pop("certification_new_key", None),
                           readback_statuses=[(str(k.value), v.label) for k, v in STATUSES.items()])


@api.get("/sessions/<session_id>/evidence")
def evidence_entries(session_id: str):
    """Every exchange recorded for the session (journal entries), for reports and reviewers."""
    found, failure = _authorised(session_id, json_only=True)
    if failure:
        return failure
    created = found.created_at.replace(tzinfo=dt.timezone.utc)
    app = current_app._get_current_object()
    return jsonify({"entries": evidence.shown(app, found.id, evidence.entries(app, found.id, created))})


@api.get("/sessions/<session_id>/attestation")
def attestation(session_id: str):
    """What the centralisateur attests of a session, for the CDS operator checking a report handed over
    (no key: it holds no personal data). That is its identity, its verdicts, and the fingerprint of the
    report built from the centralisateur's own record of the session. The record is the exchanges kept as
    the session was judged (``certification.evidence``), whatever the journal has pruned since; and the
SHA-256 of all of that report (``attestation.content``) and of the evidence.har of those exchanges
(``certify verify`` checks the files handed over)."""
    from certification import attestation as attest, report
    found = sessions.get(current_app.extensions["db"], session_id)
    if found is None:
        return _error(404, f"Session de certification {session_id} introuvable.")
    app = current_app._get_current_object()
    state = sessions.describe(app, _advance(found.id), _public_url())
    entries = evidence.shown(app, found.id, evidence.entries(app, found.id, found.created_at.replace(
        tzinfo=dt.timezone.utc)))
    return jsonify(attest.statement(report.build(state, entries), har=report.har_file(state, entries)))


@api.post("/sessions/<session_id>/readback")
def readback(session_id: str):
    """The order as the DMS shows it after the session's callbacks sent again: the driver's reading
    (JSON ``{"contract_number", "status"}`` with the key) or the tester's (the page's form)."""
    found, failure = _authorised(session_id)
    if failure:
        return failure
    if request.is_json:
        data = request.get_json(silent=True)
    else:
        csrf.protect()
        data = {k: request.form.get(k) or None for k in ("contract_number", "status")}
    from pydantic import ValidationError

    from certification.inputs import ReadbackIn
    from common.errors import french_errors
    try:
        wanted = ReadbackIn.model_validate(data if isinstance(data, dict) else {})
    except ValidationError as exc:
        if request.is_json:
            return jsonify({"errors": french_errors(exc)}), 422
        return _error(422, french_errors(exc)[0]["message"])
    refused = sessions.readback(current_app, found.id, wanted.contract_number or None, wanted.status)
    if refused:
        return _error(409, refused)
    if request.is_json:
        return jsonify(sessions.describe(current_app, _advance(found.id), _public_url()))
    return redirect(url_for("certification_api.show", session_id=found.id))


@api.post("/sessions/<session_id>/skip")
def skip(session_id: str):
    """Skip the current scenario: JSON ``{"reason"}`` with the key, or the page's form."""
    found, failure = _authorised(session_id)
    if failure:
        return failure
    if request.is_json:
        data = request.get_json(silent=True)
        reason = data.get("reason") if isinstance(data, dict) else None
        if not isinstance(reason, str | None):  # a list or an object is no reason (nor a 500)
            return _error(422, "La raison doit être un texte.", "reason")
        reason = (reason or "").strip()
    else:
        csrf.protect()
        reason = (request.form.get("reason") or "").strip()
    if not 3 <= len(reason) <= 500:
        return _error(422, "Indiquez la raison (3 à 500 caractères).", "reason")
    refused = sessions.skip(current_app, found.id, reason)
    if refused:
        return _error(409, refused)
    if request.is_json:
        return jsonify(sessions.describe(current_app, _advance(found.id), _public_url()))
    return redirect(url_for("certification_api.show", session_id=found.id))
