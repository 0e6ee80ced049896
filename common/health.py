"""``/healthz`` (the process answers) and ``/readyz`` (its database and the apps it needs answer).

Every app gets both from ``make_app``. Which apps an app needs comes from configuration
(``READY_NEEDS``, names looked up in ``URLS``), set by the runner from ``harness.apps``.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

bp = Blueprint("health", __name__)

CHECK_TIMEOUT = 2.0


@bp.get("/healthz")
def healthz():
    """Alive: answers as long as the process serves requests; touches nothing else."""
    return jsonify({"status": "ok"})


def _database() -> str:
    db = current_app.extensions.get("db")
    if db is None:
        return "ok"
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # any driver error means "not ready", never a 500
        return f"indisponible : {type(exc).__name__}"


def _app(url: str | None) -> str:
    import httpx  # at the first readiness check, not when every app starts

    from spoticar_handoff.tls import tls_context

    if not url:
        return "adresse non configurée"
    try:
        answer = httpx.get(url.rstrip("/") + "/healthz", timeout=CHECK_TIMEOUT, verify=tls_context())
    except httpx.HTTPError as exc:
        return f"injoignable : {type(exc).__name__}"
    return "ok" if answer.status_code == 200 else f"répond {answer.status_code}"


@bp.get("/readyz")
def readyz():
    """Ready: 200 when the database and every needed app answer, else 503 with what fails."""
    checks = {"database": _database()}
    urls = current_app.config.get("URLS") or {}
    for name in current_app.config.get("READY_NEEDS") or ():
        checks[name] = _app(urls.get(name))
    ready = all(value == "ok" for value in checks.values())
    return jsonify({"status": "ok" if ready else "unavailable", "checks": checks}), 200 if ready else 503
