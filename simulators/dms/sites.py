"""The site (dealer) a DMS simulator user works on: kept in the session, chosen from the header."""
from __future__ import annotations

from flask import redirect, request, session

from common.web import error_response


def with_extra_sites(sites: list[dict]) -> list[dict]:
    """``sites`` then those of the app's config ``EXTRA_SITES`` (e.g. a certification session's
    dealer: ``[{"rrdi", "name", "address", …}]``)."""
    from flask import current_app, has_app_context
    return sites + (list(current_app.config.get("EXTRA_SITES") or []) if has_app_context() else [])


def current_site(sites: list[dict]) -> dict:
    """The session's site among ``sites`` (demo dealers), the first one by default."""
    return next((d for d in sites if d["rrdi"] == session.get("rrdi")), sites[0])


def choose_site(sites: list[dict], next_url: str):
    """The view body of ``POST /site``: remember the chosen RRDI, refuse one that is not offered."""
    rrdi = request.form.get("rrdi", "")
    if rrdi not in {d["rrdi"] for d in sites}:
        return error_response(400, "Site inconnu.")
    session["rrdi"] = rrdi
    return redirect(next_url, 303)
