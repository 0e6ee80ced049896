"""Stock and the vehicle card: Label constructeur, Garantie level, Provenance."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from fixtures import reference
from simulators.pvo2 import context
from simulators.pvo2.store import Vehicle

bp = Blueprint("stock", __name__, url_prefix="/stock")


@bp.get("/")
def index():
    """The stock list (vehicles for sale), searchable by plate, stock number or model."""
    query = (request.args.get("q") or "").strip()
    with context.db().transaction() as session:
        stmt = select(Vehicle).where(context.for_sale()).order_by(Vehicle.entry_date.desc())
        if query:
            like = f"%{query}%"
            stmt = stmt.where(or_(Vehicle.plate.ilike(like), Vehicle.stock_number.ilike(like),
                                  Vehicle.model.ilike(like), Vehicle.brand.ilike(like)))
        vehicles = list(session.scalars(stmt))
        return render_template("pvo2/stock.html", vehicles=vehicles, query=query)


def card_errors(label: str, level: str, provenance: str) -> list[str]:
    """Why a vehicle card cannot be saved (empty when it can)."""
    levels = context.warranty_levels()
    errors = []
    if label and label not in levels:
        errors.append("Label constructeur : valeur inconnue.")
    if level and not any(level in names for names in levels.values()):
        errors.append("Garantie : niveau de garantie inconnu.")
    elif label in levels and level and level not in levels[label]:
        errors.append(f"Garantie : le niveau « {level} » ne correspond pas au label {label}.")
    if provenance not in reference.load("pvo2_demo")["provenances"]:
        errors.append("Provenance : valeur inconnue.")
    return errors


@bp.route("/<int:vehicle_id>", methods=["GET", "POST"])
def card(vehicle_id: int):
    """The vehicle card (Informations véhicule)."""
    with context.db().transaction() as session:
        vehicle = context.vehicle_or_404(session, vehicle_id)
        options = {"levels": context.warranty_levels(),
                   "provenances": list(reference.load("pvo2_demo")["provenances"])}
        if request.method == "GET":
            return render_template("pvo2/vehicle.html", v=vehicle, values={}, errors=[], **options)
        label = request.form.get("label", "").strip()
        level = request.form.get("warranty_level", "").strip()
        provenance = request.form.get("provenance", "").strip()
        errors = card_errors(label, level, provenance)
        if errors:
            return render_template("pvo2/vehicle.html", v=vehicle, values=request.form, errors=errors,
                                   **options), 422
        vehicle.label, vehicle.warranty_level, vehicle.provenance = label, level, provenance
    flash("Fiche véhicule enregistrée.", "success")
    return redirect(url_for("stock.card", vehicle_id=vehicle_id))
