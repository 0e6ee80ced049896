"""Réception APV (the top menu's last entry, seeds 000–002): the after-sales reception finds a
vehicle's Spoticar warranty — by plate, VIN or contract number — among the dealer's declared sales,
says whether it covers the vehicle today, and points to Services.Spoticar's PRISE EN CHARGE ATELIER
where the claim is filed."""
from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import or_, select

from centralisateur.session import current_dealer, login_required
from centralisateur.store import Declaration
from common.forms import Form, TextField

bp = Blueprint("apv", __name__)

DECLARED = ("declared", "contract_pending")


class ReceptionForm(Form):
    """The vehicle at the workshop's reception."""

    class Meta:
        id_prefix = "apv-"

    recherche = TextField("Immatriculation, VIN ou N° de contrat", required=True, max_length=40)


def _plate(text: str) -> str:
    """"ab123cd" / "AB 123 CD" → "AB-123-CD" (as declared); other texts upper-cased as they are."""
    compact = re.sub(r"[\s-]", "", text).upper()
    found = re.fullmatch(r"([A-Z]{2})([0-9]{3})([A-Z]{2})", compact)
    return "-".join(found.groups()) if found else compact


def find_warranties(rrdi: str, query: str) -> list[Declaration]:
    """The dealer's declared sales whose contract number, plate or VIN is ``query`` (exactly)."""
    wanted, compact = _plate(query), re.sub(r"\s", "", query).upper()
    stmt = (select(Declaration)
            .where(Declaration.dealer_rrdi == rrdi, Declaration.status.in_(DECLARED),
                   or_(Declaration.contract_number == compact, Declaration.form["plate"].as_string() == wanted,
                       Declaration.form["vin"].as_string() == compact))
            .order_by(Declaration.declared_at.desc()))
    return list(current_app.extensions["db"].session.scalars(stmt))


def period(declaration: Declaration) -> tuple[dt.date | None, dt.date | None]:
    """The declared warranty's first and last days."""
    form = declaration.form or {}
    return tuple(dt.date.fromisoformat(form[k]) if form.get(k) else None for k in ("start_date", "end_date"))


def coverage(declaration: Declaration, today: dt.date) -> str:
    """« Garantie en cours » or why not, from the declared period."""
    start, end = period(declaration)
    if start and today < start:
        return f"Garantie pas encore commencée (début le {start:%d/%m/%Y})"
    if end and today > end:
        return f"Garantie expirée le {end:%d/%m/%Y}"
    return "Garantie en cours"


@bp.get("/reception-apv")
@login_required
def reception():
    """Réception APV: search by plate, VIN or N° de contrat (the form keeps what was typed)."""
    searched = "recherche" in request.args
    form = ReceptionForm(formdata=request.args if searched else None)
    found = None
    if searched and form.validate():
        found = find_warranties(current_dealer().rrdi, form.recherche.value)
    portal = (current_app.config.get("ICARE_PORTAL_URL") or current_app.config["URLS"].get("icare") or "").rstrip("/")
    return render_template("centralisateur/apv.html", form=form, found=found, today=dt.date.today(),
                           coverage=coverage, period=period, portal=portal), 422 if form.error_list else 200
