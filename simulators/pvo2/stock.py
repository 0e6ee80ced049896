"""Stock and the vehicle card: Label constructeur, Garantie level, Provenance."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from pydantic_core import PydanticCustomError

from spoticar_handoff.fields import normalize_plate
from common.parsing import ParseError, parse_int
from fixtures import reference
from simulators.pvo2 import context
from simulators.pvo2.store import Order, Vehicle

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


def plate_and_ptac(plate: str, ptac: str) -> tuple[str | None, int | None, list[str], set[str]]:
    """(plate normalized, PTAC in kg, errors, invalid fields) of the card's editable identity."""
    errors, invalid, value, kg = [], set(), None, None
    try:
        value = normalize_plate(plate) if plate else None
    except PydanticCustomError as exc:
        errors.append(f"Immatriculation : {exc.message()}")
        invalid.add("plate")
    if not plate:
        errors.append("Immatriculation : champ obligatoire.")
        invalid.add("plate")
    try:
        kg = parse_int(ptac, label="PTAC (kg)", minimum=300, maximum=60_000)
    except ParseError as exc:
        errors.append(exc.message)
        invalid.add("ptac_kg")
    return value, kg, errors, invalid


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
        offers = list(session.scalars(select(Order).where(Order.vehicle_id == vehicle_id)
                                      .order_by(Order.number)))
        options = {"levels": context.warranty_levels(), "offers": offers,
                   "sold": any(o.state in context.SOLD_STATES for o in offers),
                   "provenances": list(reference.load("pvo2_demo")["provenances"])}
        if request.method == "GET":
            return render_template("pvo2/vehicle.html", v=vehicle, values={}, errors=[], invalid=set(),
                                   **options)
        label = request.form.get("label", "").strip()
        level = request.form.get("warranty_level", "").strip()
        provenance = request.form.get("provenance", "").strip()
        plate, ptac, errors, invalid = plate_and_ptac(request.form.get("plate", "").strip(),
                                                      request.form.get("ptac_kg", "").strip())
        errors += card_errors(label, level, provenance)
        mileage = vehicle.mileage_km
        if "mileage_km" in request.form:  # Kilométrage compteur, corrected before the declaration
            try:
                mileage = parse_int(request.form["mileage_km"].strip(), label="Kilométrage compteur", minimum=0,
                                    maximum=2_000_000)
            except ParseError as exc:
                errors.append(exc.message)
                invalid.add("mileage_km")
        if errors:
            return render_template("pvo2/vehicle.html", v=vehicle, values=request.form, errors=errors,
                                   invalid=invalid, **options), 422
        vehicle.label, vehicle.warranty_level, vehicle.provenance = label, level, provenance
        vehicle.plate, vehicle.ptac_kg, vehicle.mileage_km = plate, ptac, mileage
    flash("Fiche véhicule enregistrée.", "success")
    return redirect(url_for("stock.card", vehicle_id=vehicle_id))
