"""Test-only routes of NeoVO (``common.testing``): a new sold dossier, a dossier as stored."""
from __future__ import annotations

import datetime as dt

from flask import current_app, jsonify, request
from sqlalchemy import func, select

from common.testing import as_record, body, column_names, stored, test_blueprint
from fixtures.factories import Factory
from simulators.dms.store import DeclarationColumns, VehicleColumns
from simulators.neovo.demo import add_dossier
from simulators.neovo.store import Dossier, Piece

bp = test_blueprint("neovo")

DOSSIER_FIELDS = ("id", "number", "rrdi", "client_code", "customer", "seller", "sale_date", "delivery_date",
                  "warranty_level", *column_names(VehicleColumns, DeclarationColumns))


def _record(dossier: Dossier) -> dict:
    return as_record(dossier, DOSSIER_FIELDS)


@bp.get("/dossiers")
def dossiers():
    """The dossiers of site ``?rrdi=``, newest first."""
    rows = current_app.extensions["db"].session.scalars(
        select(Dossier).where(Dossier.rrdi == request.args.get("rrdi", "")).order_by(Dossier.number.desc()))
    return jsonify({"dossiers": [_record(row) for row in rows]})


@bp.get("/dossiers/<number>")
def dossier(number: str):
    """The dossier ``number`` (V0000004…) as stored: vehicle, customer, declaration state."""
    return stored(Dossier, _record, number=number)


@bp.post("/dossiers")
def create_dossier():
    """Body: rrdi (a NeoVO demo site), seed (Faker), optional brand. A new sold dossier with its invoice."""
    data = body()
    with current_app.extensions["db"].transaction() as session:
        # the V0… range: V9… are the dossiers entered on screen (their own counter)
        last = session.scalar(select(func.max(Dossier.number)).where(Dossier.number < "V9")) or "V0000000"
        number = f"V{int(last[1:]) + 1:07d}"
        piece = str(max((int(n) for n in session.scalars(select(Piece.number)) if n.isdigit()), default=600000) + 1)
        add_dossier(session, Factory(int(data.get("seed", 0))), data["rrdi"], number, piece, dt.date.today(),
                    data.get("brand"))
    return stored(Dossier, _record, status=201, number=number)
