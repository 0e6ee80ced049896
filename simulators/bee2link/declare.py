"""Déclaration SPOTICAR: the hand-off from the delivery page, the order page (polls the declaration
status) and the centralisateur's signed callback."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, current_app, redirect
from sqlalchemy import select

from common.web import csrf
from simulators.bee2link import DMS
from simulators.bee2link.handoff import handoff_payload
from simulators.bee2link.store import CallbackDelivery, Event, Order, Vehicle
from simulators.bee2link.views import current_dealer, db, render_screen, vehicle_or_404
from simulators.dms.callback import callback_response
from simulators.dms.handoff import (GARANTISSEUR_NAMES, STATUS_LABELS, Declarations, callback_url,
                                    refresh_state, send_and_record)
from spoticar_handoff import CALLBACK_PATH, CentralisateurUnavailable, HandoffRefused

if TYPE_CHECKING:  # pydantic: imported at the first hand-off, not when the app starts
    from spoticar_handoff.models import DeclarationState

bp = Blueprint("bee2link_declare", __name__)
api = Blueprint("bee2link_api", __name__)
csrf.exempt(api)

DECLARATIONS = Declarations(Order, CallbackDelivery)
NO_ORDER = "Aucune commande sur ce véhicule : la déclaration SPOTICAR part de la commande client."


@bp.post("/vo/vehicules/<int:vehicle_id>/declaration-spoticar")
def declare(vehicle_id: int):
    """Hand the order off; the browser (a new window) then goes to the centralisateur's form."""
    vehicle = vehicle_or_404(vehicle_id)
    order = vehicle.order
    if order is None:
        return render_screen("bee2link/vehicle.html", 409, vehicle=vehicle, panel="services",
                             declare_error=NO_ORDER)
    payload = handoff_payload(order, vehicle.rrdi, callback_url(current_app))
    try:
        receipt, first_time = send_and_record(current_app, DMS, DECLARATIONS, order.id, payload)
    except HandoffRefused as exc:
        return render_screen("bee2link/vehicle.html", 422, vehicle=vehicle, panel="services",
                             declare_error=exc.message, declare_errors=exc.errors)
    except CentralisateurUnavailable as exc:
        return render_screen("bee2link/vehicle.html", 503, vehicle=vehicle, panel="services",
                             declare_error=exc.message + " Votre commande n'a pas été modifiée.")
    if first_time:
        with db().transaction() as session:
            _history(session, order, f"Déclaration SPOTICAR transmise au centralisateur "
                                     f"(N° {receipt.bdc_number})")
    return redirect(receipt.declaration_url, 303)


@bp.get("/vo/commandes/<int:number>")
def order_page(number: int):
    """The order; while its declaration is not final, ask the centralisateur (the callback may be lost)."""
    order = db().session.scalar(select(Order).join(Vehicle).where(
        Order.number == number, Vehicle.rrdi == current_dealer()["rrdi"]))
    if order is None:
        abort(404)
    poll_error = refresh_state(current_app, DMS, DECLARATIONS, order, contract_in_history)
    return render_screen("bee2link/order.html", vehicle=order.vehicle, order=order, poll_error=poll_error,
                         status_labels=STATUS_LABELS,
                         garantisseur_names=GARANTISSEUR_NAMES)


def contract_in_history(session, order: Order, state: DeclarationState) -> None:
    """A new contract number goes into the vehicle's Historique."""
    _history(session, order, f"Contrat de garantie n° {state.contract_number} ({order.bdc_number})")


def _history(session, order: Order, text: str) -> None:
    session.add(Event(vehicle_id=order.vehicle_id, kind="history", text=text))


@api.post(CALLBACK_PATH)
def callback():
    """The centralisateur's signed ``DeclarationState`` for one of our orders."""
    return callback_response(current_app, DMS, DECLARATIONS, contract_in_history)
