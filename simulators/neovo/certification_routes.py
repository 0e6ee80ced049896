"""Test-only routes (TEST_ROUTES) for the certification driver: enter a sale given in the hand-off v1
shape as a NeoVO dossier with its invoice, correct it."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import func, select

from common.web import csrf
from fixtures import reference
from simulators.dms.certification import VEHICLE_FIELDS, correct
from simulators.neovo.store import Dossier, Piece

bp = Blueprint("neovo_certification", __name__, url_prefix="/__test__/certification")
csrf.exempt(bp)
VAT = Decimal("1.20")


@bp.post("/sales")
def enter_sale():
    """Body: a hand-off-shaped sale. Answers the dossier number (V9…)."""
    sale = request.get_json(force=True)
    v, w = sale["vehicle"], sale["warranty"]
    with current_app.extensions["db"].transaction() as s:
        serial = (s.scalar(select(func.count()).select_from(Dossier)) or 0) + 9_000_000
        number = f"V{serial:07d}"
        dossier = Dossier(number=number, rrdi=sale["dealer"]["rrdi"], client_code=str(serial)[-6:],
                          customer=dict(sale["customer"]), seller=sale["seller"],
                          sale_date=dt.date.fromisoformat(sale["sale"]["sale_date"]),
                          delivery_date=dt.date.fromisoformat(sale["sale"]["delivery_date"]),
                          warranty_level=reference.dms_level(w["product"], w["duration_months"]) or "",
                          first_registration=dt.date.fromisoformat(v["first_registration"]),
                          **{k: v.get(k) for k in VEHICLE_FIELDS})
        s.add(dossier)
        s.flush()
        ttc = Decimal(sale["sale"]["price_ttc"])
        ht = (ttc / VAT).quantize(Decimal("0.01"))
        s.add(Piece(dossier_id=dossier.id, kind="facture", date=dossier.sale_date, number=f"F{serial}",
                    amount_ht=ht, amount_tva=ttc - ht, amount_ttc=ttc))
    return jsonify({"number": number}), 201


@bp.post("/sales/<number>")
def correct_sale(number: str):
    """Body: ``{"vehicle.mileage_km": 12322}`` — the dossier's vehicle values the tester corrects."""
    with current_app.extensions["db"].transaction() as s:
        dossier = s.scalar(select(Dossier).where(Dossier.number == number)) or abort(404)
        if not correct(dossier, request.get_json(force=True)):
            abort(422)
    return jsonify({"number": number})
