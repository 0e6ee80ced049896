"""Stock and the vehicle card: Label constructeur, Garantie level, Provenance."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from simulators.pvo2 import context
from simulators.pvo2.forms import StockSearchForm, VehicleCardForm
from simulators.pvo2.store import Order, Vehicle

bp = Blueprint("stock", __name__, url_prefix="/stock")


@bp.get("/")
def index():
    """The stock list (vehicles for sale), searchable by plate, stock number or model."""
    search = StockSearchForm(formdata=request.args)
    query = search.q.data if search.validate() else ""
    with context.db().transaction() as session:
        stmt = select(Vehicle).where(context.for_sale()).order_by(Vehicle.entry_date.desc())
        if query:
            like = f"%{query}%"
            stmt = stmt.where(or_(Vehicle.plate.ilike(like), Vehicle.stock_number.ilike(like),
                                  Vehicle.model.ilike(like), Vehicle.brand.ilike(like)))
        vehicles = list(session.scalars(stmt))
        return render_template("pvo2/stock.html", vehicles=vehicles, search=search), 422 if search.error_list else 200


@bp.route("/<int:vehicle_id>", methods=["GET", "POST"])
def card(vehicle_id: int):
    """The vehicle card (Informations véhicule)."""
    with context.db().transaction() as session:
        vehicle = context.vehicle_or_404(session, vehicle_id)
        offers = list(session.scalars(select(Order).where(Order.vehicle_id == vehicle_id)
                                      .order_by(Order.number)))
        options = {"offers": offers, "sold": any(o.state in context.SOLD_STATES for o in offers)}
        if request.method == "GET":
            form = VehicleCardForm(formdata=None, obj=vehicle)
            return render_template("pvo2/vehicle.html", v=vehicle, form=form, **options)
        form = VehicleCardForm()
        if not form.check():
            return render_template("pvo2/vehicle.html", v=vehicle, form=form, **options), 422
        values = form.values()
        vehicle.label, vehicle.warranty_level = values["label"] or "", values["warranty_level"] or ""
        vehicle.provenance, vehicle.plate, vehicle.ptac_kg = values["provenance"], values["plate"], values["ptac_kg"]
        if values["mileage_km"] is not None:
            vehicle.mileage_km = values["mileage_km"]
    flash("Fiche véhicule enregistrée.", "success")
    return redirect(url_for("stock.card", vehicle_id=vehicle_id))
