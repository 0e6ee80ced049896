"""The Vente and Reprise blocks of an offer (seed 002): Réserver le véhicule, Envoi vers DS contact,
Supprimer le véhicule (then add another), Ajouter un véhicule à reprendre."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import delete, select

from common.db import utcnow
from common.parsing import ParseError, parse_int
from simulators.pvo2 import context
from simulators.pvo2.forms import TradeInForm, VehicleChoiceForm, WorkshopForm
from simulators.pvo2.store import Order, Reservation, TradeIn, Vehicle, VehicleActivity

bp = Blueprint("offer_vehicle", __name__, url_prefix="/offres")

NO_VEHICLE = context.NO_VEHICLE
OFFER_ONLY = "Seule une offre en cours peut être modifiée ainsi : ce bon de commande est déjà généré."


def page_of(order: Order, errors=(), status: int = 200, comment=None):
    """The page the order is shown on (offer or bon de commande) with ``errors`` above it; a refused
    ``comment`` form keeps what was typed."""
    if order.state == "offre":
        return render_template("pvo2/offer.html", order=order, errors=list(errors), today=dt.date.today(),
                               vehicle_form=_vehicle_form(order) if order.vehicle is None else None,
                               comment_form=comment), status
    from simulators.pvo2.deliveries import order_page
    return order_page(order, errors, status, comment=comment)


def vehicle_extras(vehicle: Vehicle) -> dict:
    """What the Vente block shows beside the vehicle: its reservation, its last DS contact send and
    its statut atelier (with the form to set it)."""
    session = context.db().session

    def last(kind: str) -> VehicleActivity | None:
        return session.scalar(select(VehicleActivity).where(VehicleActivity.vehicle_id == vehicle.id,
                                                            VehicleActivity.kind == kind)
                              .order_by(VehicleActivity.id.desc()).limit(1))

    workshop = last("atelier")
    return {"reservation": session.scalar(select(Reservation).where(Reservation.vehicle_id == vehicle.id)),
            "ds_contact": last("ds_contact"), "workshop": workshop,
            "workshop_form": WorkshopForm(formdata=None, data={"status": workshop.text if workshop else ""})}


def reservation_of(session, vehicle_id: int | None) -> Reservation | None:
    if vehicle_id is None:
        return None
    return session.scalar(select(Reservation).where(Reservation.vehicle_id == vehicle_id))


def reserved_elsewhere(session, order: Order) -> str | None:
    """The refusal when the order's vehicle is held for another offer still in progress."""
    held = reservation_of(session, order.vehicle_id)
    if held is None or held.order_number == order.number:
        return None
    return (f"Ce véhicule est réservé pour l'offre n°{held.order_number} depuis le "
            f"{held.reserved_on:%d/%m/%Y} : annulez cette réservation avant de le vendre sur une autre offre.")


def release(session, order: Order) -> None:
    """Drop the reservations this offer holds (cancelled offer, vehicle removed, bon de commande)."""
    session.execute(delete(Reservation).where(Reservation.order_number == order.number))


def offer_only(order: Order):
    """The refusal (409, on the order's page) of a change only an offer still in progress takes."""
    return page_of(order, [OFFER_ONLY], 409) if order.state != "offre" else None


@bp.post("/<int:number>/reserver")
def reserve(number: int):
    """Réserver le véhicule: hold it for this offer (refused when another offer holds it)."""
    with context.order_transaction(number, offer_only) as (session, order):
        refusal = NO_VEHICLE if order.vehicle is None else reserved_elsewhere(session, order)
        if refusal:
            return page_of(order, [refusal], 409)
        if reservation_of(session, order.vehicle_id) is None:
            session.add(Reservation(vehicle_id=order.vehicle_id, order_number=number, reserved_on=dt.date.today()))
        plate = order.vehicle.plate
    flash(f"Véhicule {plate} réservé pour l'offre n°{number}.", "success")
    return redirect(url_for("offers.show", number=number))


@bp.post("/<int:number>/reservation/annuler")
def unreserve(number: int):
    """Annuler la réservation this offer holds."""
    with context.order_transaction(number, offer_only) as (session, order):
        release(session, order)
    flash("Réservation du véhicule annulée.", "info")
    return redirect(url_for("offers.show", number=number))


@bp.post("/<int:number>/ds-contact")
def ds_contact(number: int):
    """Envoi vers DS contact: the vehicle goes to DS contact (recorded in the vehicle's Activité)."""
    with context.order_transaction(number) as (session, order):
        if order.vehicle is None:
            return page_of(order, [NO_VEHICLE], 409)
        kind = "offre" if order.state == "offre" else "bon de commande"
        session.add(VehicleActivity(vehicle_id=order.vehicle_id, at=utcnow(), kind="ds_contact",
                                    text=f"Envoyé vers DS contact ({kind} n°{number})"))
        plate, state = order.vehicle.plate, order.state
    flash(f"Véhicule {plate} envoyé vers DS contact.", "success")
    return redirect(url_for("offers.show" if state == "offre" else "deliveries.order", number=number))


@bp.post("/<int:number>/statut-atelier")
def workshop_status(number: int):
    """Renseigner le statut atelier of a bon de commande's vehicle (kept in the vehicle's Activité)."""
    form = WorkshopForm()
    with context.order_transaction(number) as (session, order):
        if order.state not in context.SOLD_STATES:
            return page_of(order, ["Le statut atelier se renseigne sur un bon de commande."], 409)
        if not form.validate():
            return page_of(order, [m for _, m in form.error_list], 422)
        session.add(VehicleActivity(vehicle_id=order.vehicle_id, at=utcnow(), kind="atelier",
                                    text=form.status.value))
    flash(f"Statut atelier : {form.status.value}.", "success")
    return redirect(url_for("deliveries.order", number=number) + "#atelier")


@bp.post("/<int:number>/supprimer-vehicule")
def remove_vehicle(number: int):
    """Supprimer le véhicule: the offer keeps its customer and waits for another vehicle."""
    with context.order_transaction(number, offer_only) as (session, order):
        release(session, order)
        order.vehicle_id = None
    flash("Véhicule supprimé de l'offre : ajoutez le véhicule à vendre.", "info")
    return redirect(url_for("offers.show", number=number))


def _vehicle_form(order: Order, formdata=None) -> VehicleChoiceForm:
    form = VehicleChoiceForm(formdata=formdata) if formdata is not None else VehicleChoiceForm(formdata=None)
    form.vehicles = list(context.db().session.scalars(
        select(Vehicle).where(context.for_sale()).order_by(Vehicle.brand, Vehicle.model)))
    return form


@bp.post("/<int:number>/vehicule")
def add_vehicle(number: int):
    """Ajouter le véhicule à vendre on an offer whose vehicle was removed."""
    with context.order_transaction(number, offer_only) as (session, order):
        if order.vehicle is not None:
            return page_of(order, ["Cette offre a déjà un véhicule : supprimez-le d'abord."], 409)
        form = _vehicle_form(order, request.form)
        if form.validate():
            try:
                vehicle_id = parse_int(form.vehicle_id.value, grouping=False)
            except ParseError:
                vehicle_id = None
            if vehicle_id is None or session.get(Vehicle, vehicle_id) is None:
                form.add_error("vehicle_id", "Véhicule : choisissez un véhicule du stock.")
            elif (sale := context.sale_of(session, vehicle_id)) is not None:
                form.add_error("vehicle_id", f"Véhicule : {context.sold_message(sale)}")
        if form.error_list:
            return render_template("pvo2/offer.html", order=order, today=dt.date.today(), vehicle_form=form,
                                   errors=[message for _, message in form.error_list]), 422
        order.vehicle_id = vehicle_id
    flash("Véhicule ajouté à l'offre.", "success")
    return redirect(url_for("offers.show", number=number))


@bp.route("/<int:number>/reprise", methods=["GET", "POST"])
def trade_in(number: int):
    """Ajouter un véhicule à reprendre: the reprise is listed on the offer and taken off the Reste à payer."""
    with context.order_transaction(number, offer_only) as (session, order):
        form = TradeInForm() if request.method == "POST" else TradeInForm(formdata=None)
        if request.method == "GET" or not form.validate():
            return render_template("pvo2/trade_in.html", order=order, form=form,
                                   errors=[m for _, m in form.error_list]), 422 if form.error_list else 200
        values = form.values()
        session.add(TradeIn(order_id=order.id, plate=values["plate"], brand=values["brand"],
                            model=values["model"], first_registration=values["first_registration"],
                            mileage_km=values["mileage_km"], value_ttc=values["value_ttc"]))
    flash(f"Véhicule à reprendre {values['plate']} ajouté.", "success")
    return redirect(url_for("offers.show", number=number))
