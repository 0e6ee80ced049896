"""Déclaration SPOTICAR: the hand-off from the delivery page, the order page (polls the declaration
status) and the centralisateur's signed callback."""
from __future__ import annotations

from contextlib import closing

from flask import Blueprint, abort, current_app, jsonify, redirect
from sqlalchemy import select

from centralisateur.client import CentralisateurUnavailable, HandoffRefused
from centralisateur.contract import DeclarationState
from common import dms_handoff
from common.dms_handoff import CALLBACK_PATH, STATUS_LABELS, callback_url, handoff_client, received_callback
from common.web import csrf, error_response
from simulators.bee2link import DMS
from simulators.bee2link.handoff import handoff_payload
from simulators.bee2link.store import Event, Order, Vehicle
from simulators.bee2link.views import current_dealer, db, render_screen, vehicle_or_404

bp = Blueprint("bee2link_declare", __name__)
api = Blueprint("bee2link_api", __name__)
csrf.exempt(api)

NO_ORDER = "Aucune commande sur ce véhicule : la déclaration SPOTICAR part de la commande client."
FINAL = ("declared", "refused")


@bp.post("/vo/vehicules/<int:vehicle_id>/declaration-spoticar")
def declare(vehicle_id: int):
    """Hand the order off; the browser (a new window) then goes to the centralisateur's form."""
    vehicle = vehicle_or_404(vehicle_id)
    order = vehicle.order
    if order is None:
        return render_screen("bee2link/vehicle.html", 409, vehicle=vehicle, panel="services",
                             declare_error=NO_ORDER)
    payload = handoff_payload(order, vehicle.rrdi, callback_url(current_app))
    db().session.commit()  # end the read transaction: no lock held while the centralisateur works
    try:
        with closing(handoff_client(current_app, DMS)) as client:
            receipt = client.send(payload)
    except HandoffRefused as exc:
        return render_screen("bee2link/vehicle.html", 422, vehicle=vehicle, panel="services",
                             declare_error=exc.message, declare_errors=exc.errors)
    except CentralisateurUnavailable as exc:
        return render_screen("bee2link/vehicle.html", 503, vehicle=vehicle, panel="services",
                             declare_error=exc.message + " Votre commande n'a pas été modifiée.")
    if order.bdc_number != receipt.bdc_number:
        db().session.add(Event(vehicle_id=vehicle.id, kind="history",
                               text=f"Déclaration SPOTICAR transmise au centralisateur (N° {receipt.bdc_number})"))
    order.bdc_number, order.declaration_url = receipt.bdc_number, receipt.declaration_url
    order.declaration_status = order.declaration_status or receipt.status.value
    db().session.add(order)
    db().session.commit()
    return redirect(receipt.declaration_url, 303)


@bp.get("/vo/commandes/<int:number>")
def order_page(number: int):
    """The order; while its declaration is not final, ask the centralisateur (the callback may be lost)."""
    order = db().session.scalar(select(Order).join(Vehicle).where(
        Order.number == number, Vehicle.rrdi == current_dealer()["rrdi"]))
    if order is None:
        abort(404)
    poll_error = None
    if order.bdc_number and (order.declaration_status not in FINAL or not order.contract_number):
        db().session.commit()  # no lock held while asking: the centralisateur may be calling us back
        try:
            with closing(handoff_client(current_app, DMS)) as client:
                state = client.status(order.bdc_number)
            apply_state(order, state)
            db().session.commit()
        except (CentralisateurUnavailable, HandoffRefused) as exc:
            poll_error = exc.message
    return render_screen("bee2link/order.html", vehicle=order.vehicle, order=order, poll_error=poll_error,
                         status_labels=STATUS_LABELS)


def apply_state(order: Order, state: DeclarationState) -> None:
    """Record what the centralisateur says; a new contract number goes into the Historique."""
    if dms_handoff.apply_state(order, state):
        db().session.add(Event(vehicle_id=order.vehicle_id, kind="history",
                               text=f"Contrat de garantie n° {state.contract_number} ({order.bdc_number})"))


@api.post(CALLBACK_PATH)
def callback():
    """The centralisateur's signed ``DeclarationState`` for one of our orders."""
    state = received_callback(current_app, DMS)
    if state is None:
        return error_response(401, "Signature X-Spoticar-Signature absente ou invalide.")
    order = db().session.scalar(select(Order).where(Order.bdc_number == state.bdc_number))
    if order is None:
        return error_response(404, f"Numéro de bon de commande inconnu : {state.bdc_number}.")
    apply_state(order, state)
    db().session.commit()
    return jsonify({"bdc_number": order.bdc_number, "status": order.declaration_status})
