"""Accueil (the dealer's declarations), Déclarer Vente (hand-offs waiting) and Support."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, select

from centralisateur.profile import GARANTISSEUR_NAMES
from centralisateur.session import current_dealer, login_required
from centralisateur.store import Declaration
from common.parsing import arg_int
from fixtures import reference

bp = Blueprint("home", __name__)

STATUS_LABELS = {"pending": "À déclarer", "contract_pending": "Contrat en attente",
                 "declared": "Déclarée", "refused": "Refusée"}
PAGE_SIZE = 50


@bp.get("/")
@login_required
def index():
    db = current_app.extensions["db"]
    page = arg_int("page", 1, minimum=1, maximum=1_000_000)
    base = select(Declaration).where(Declaration.dealer_rrdi == current_dealer().rrdi)
    total = db.session.scalar(select(func.count(Declaration.id))
                              .where(Declaration.dealer_rrdi == current_dealer().rrdi))
    rows = db.session.scalars(base.order_by(Declaration.id.desc())
                              .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("centralisateur/home.html", declarations=rows, total=total, page=page,
                           pages=max(1, -(-total // PAGE_SIZE)), statuses=STATUS_LABELS,
                           dms_titles=reference.dms_titles(),
                           garantisseurs=GARANTISSEUR_NAMES)


@bp.get("/declarer")
@login_required
def to_declare():
    db = current_app.extensions["db"]
    rows = db.session.scalars(select(Declaration).where(
        Declaration.dealer_rrdi == current_dealer().rrdi, Declaration.status == "pending")
        .order_by(Declaration.id.desc())).all()
    return render_template("centralisateur/to_declare.html", declarations=rows,
                           dms_titles=reference.dms_titles())


@bp.get("/support")
@login_required
def support():
    return render_template("centralisateur/support.html", contacts=reference.support_contacts())
