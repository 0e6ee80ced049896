"""The site (dealer) a DMS simulator user works on: kept in the session, chosen from the header."""
from __future__ import annotations

from flask import redirect, request, session

from common.forms import Form, SelectField
from common.web import error_response

UNKNOWN_SITE = "Site inconnu."


class SiteForm(Form):
    """The header's « Site » select: the app's sites (``sites``), « RRDI – name »."""

    class Meta:
        id_prefix = "site-"

    sites: list = []
    rrdi = SelectField("Site", required=True, blank=None,
                       choices=lambda form: [(s["rrdi"], f"{s['rrdi']} – {s['name']}") for s in form.sites],
                       messages={"required": UNKNOWN_SITE, "choice": UNKNOWN_SITE})


def with_extra_sites(sites: list[dict]) -> list[dict]:
    """``sites`` then those of the app's config ``EXTRA_SITES`` (e.g. a certification session's
    dealer: ``[{"rrdi", "name", "address", …}]``)."""
    from flask import current_app, has_app_context
    return sites + (list(current_app.config.get("EXTRA_SITES") or []) if has_app_context() else [])


def current_site(sites: list[dict]) -> dict:
    """The session's site among ``sites`` (demo dealers), the first one by default."""
    return next((d for d in sites if d["rrdi"] == session.get("rrdi")), sites[0])


def site_form(sites: list[dict], formdata=None) -> SiteForm:
    """The header's form, showing the session's site (``formdata``: what was posted)."""
    form = SiteForm(formdata=formdata, data={"rrdi": current_site(sites)["rrdi"]})
    form.sites = sites
    return form


def choose_site(sites: list[dict], next_url: str):
    """The view body of ``POST /site``: remember the chosen RRDI, refuse one that is not offered."""
    form = site_form(sites, request.form)
    if not form.validate():
        return error_response(400, form.rrdi.errors[0])
    session["rrdi"] = form.rrdi.value
    return redirect(next_url, 303)
