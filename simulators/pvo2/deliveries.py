"""Livraisons and the order (bon de commande) page: delivery date, Clôturer, Déclaration de garantie."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, url_for
from sqlalchemy import select

from simulators.dms import events
from simulators.pvo2 import context, declaring
from simulators.pvo2.forms import DeclareForm, DeliveryForm
from simulators.pvo2.offers import label_refusal
from simulators.pvo2.psa import PsaInsuranceError, declare_psa_insurance
from simulators.pvo2.store import Order
from spoticar_handoff import HandoffError, HandoffRefused

bp = Blueprint("deliveries", __name__, url_prefix="/livraisons")
streams = Blueprint("delivery_events", __name__)  # under events.PREFIX, which the journal leaves out

NOT_CLOSED = ("La déclaration de garantie se fait sur un BDC clôturé : renseignez la date de livraison "
              "(Livraison prévue le) puis cliquez sur Clôturer.")
STATUS_TEXT = {"pending": "Transmise au centralisateur : déclaration à compléter",
               "contract_pending": "Déclarée : contrat en attente de création chez Icare",
               "declared": "Garantie déclarée",
               "refused": "Refusée par le centralisateur"}


@bp.get("/")
def index():
    """Livraisons: every bon de commande, clôturé or not."""
    with context.db().transaction() as session:
        orders = list(session.scalars(select(Order).where(Order.state.in_(("bdc", "cloture")))
                                      .order_by(Order.number.desc())).unique())
        return render_template("pvo2/deliveries.html", orders=orders)


def order_page(order: Order, errors=(), status: int = 200, declare: DeclareForm | None = None,
               delivery: DeliveryForm | None = None, comment=None):
    """Commande N°… with ``errors`` listed; a refused form (``declare``, ``delivery``, ``comment``) keeps
    what was chosen or typed."""
    delivery = delivery or DeliveryForm(formdata=None, data={"delivery_date": order.delivery_date,
                                                             "delivery_time": order.delivery_time})
    return render_template("pvo2/order.html", order=order, errors=list(errors), status_text=STATUS_TEXT,
                           declare=declare or DeclareForm(formdata=None), delivery=delivery,
                           not_closed=NOT_CLOSED, comment_form=comment), status


@bp.get("/<int:number>")
def order(number: int):
    """Commande N°…: polls the centralisateur so the contract number shows up even without callback."""
    with context.db().transaction() as session:
        row = context.order_or_404(session, number)
    if row.state == "offre":
        return redirect(url_for("offers.show", number=number))
    declaring.refresh(row)  # outside any transaction: no lock held during HTTP
    with context.db().transaction() as session:
        return order_page(context.order_or_404(session, number))


@bp.post("/<int:number>/livraison")
def set_delivery(number: int):
    """Modification de la date de livraison (JJ/MM/AAAA, not before the bon de commande)."""
    with context.order_transaction(number) as (session, row):
        form = DeliveryForm()
        if form.validate() and row.bdc_on and form.delivery_date.value < row.bdc_on:
            form.add_error("delivery_date", "Livraison prévue le : la livraison ne peut pas précéder la date "
                                            "du bon de commande.")
        errors = [message for _, message in form.error_list]
        if row.state not in ("bdc", "cloture"):
            errors.append("Générez d'abord le bon de commande.")
        if errors:
            return order_page(row, errors, 422, delivery=form)
        row.delivery_date, row.delivery_time = form.delivery_date.value, form.delivery_time.value or ""
    flash("Date de livraison enregistrée.", "success")
    return redirect(url_for("deliveries.order", number=number))


@bp.post("/<int:number>/cloturer")
def close(number: int):
    """Clôturer the bon de commande: needs the delivery date."""
    with context.order_transaction(number) as (session, row):
        if row.state != "bdc":
            return order_page(row, ["Ce bon de commande est déjà clôturé."], 409)
        if row.delivery_date is None:
            return order_page(row, ["Renseignez la date de livraison (Livraison prévue le) avant de clôturer "
                               "le bon de commande."], 422)
        row.state, row.closed_on = "cloture", dt.date.today()
    flash(f"BDC n°{number} clôturé.", "success")
    return redirect(url_for("deliveries.order", number=number))


@bp.post("/<int:number>/annuler")
def cancel(number: int):
    """Annuler la commande: a bon de commande not declared yet; its vehicle is for sale again."""
    with context.order_transaction(number) as (session, row):
        if row.bdc_number or row.policy_number:
            return order_page(row, ["Cette commande a une déclaration de garantie : elle ne peut plus être "
                               "annulée ici."], 409)
        if row.state not in ("bdc", "cloture"):
            return redirect(url_for("offers.show", number=number))
        row.state = "annulee"
    flash(f"Commande n°{number} annulée : le véhicule est de nouveau à vendre.", "info")
    return redirect(url_for("deliveries.index"))


@bp.post("/<int:number>/declarer")
def declare(number: int):
    """Déclarer: Spoticar → hand-off then the centralisateur's form; PSA Insurance → policy number.

    Any refusal leaves the order exactly as it was and shows the reason.
    """
    form = DeclareForm()
    choice = form.garantisseur.value if form.validate() else ""
    with context.order_transaction(number) as (session, row):
        site = context.site(session)
        failure = _declaration_refusal(row, site, choice)
        if failure:
            return order_page(row, [failure[0]], failure[1], form)
    try:  # no transaction held while the remote system answers
        if choice == "spoticar":
            receipt = declaring.declare_spoticar(row, site)
        else:
            policy = declare_psa_insurance(row, site)
    except HandoffRefused as exc:
        return order_page(row, _reasons(exc), 422, form)
    except (HandoffError, PsaInsuranceError) as exc:
        return order_page(row, [exc.message], 422 if exc.status and exc.status < 500 else 503, form)
    with context.order_transaction(number) as (session, row):
        if choice == "spoticar":
            declaring.record_receipt(row, receipt)
        else:
            row.garantisseur, row.policy_number = "psa_insurance", policy
    if choice == "spoticar":
        return redirect(receipt.declaration_url, code=303)
    flash(f"Déclaration PSA Insurance effectuée (numéro de police : {policy}).", "success")
    return redirect(url_for("deliveries.order", number=number))


def _declaration_refusal(row: Order, site, choice: str) -> tuple[str, int] | None:
    """Why PVO2 itself refuses to declare (before calling anyone), with the HTTP status."""
    if row.state not in ("bdc", "cloture"):
        return "Générez d'abord le bon de commande.", 409
    if row.state != "cloture" or row.delivery_date is None:
        return NOT_CLOSED, 409
    if not choice:
        return "Garantisseur : choisissez un garantisseur.", 422
    if not site.rrdi:
        return declaring.RRDI_MISSING, 422
    refusal = label_refusal(row.vehicle)
    if refusal:
        return refusal, 422
    return None


def _reasons(exc: HandoffRefused) -> list[str]:
    lines = ["Déclaration refusée par le centralisateur :"]
    lines += [e.get("message", "") for e in exc.errors] or [exc.message]
    return lines


FINAL = ("declared", "refused")


def declaration_state(order: Order | None) -> dict:
    """What the order page shows of its Spoticar declaration (JSON of the event stream)."""
    if order is None or not order.bdc_number:
        return {"status": None}
    return {"status": order.declaration_status, "status_text": STATUS_TEXT.get(order.declaration_status, ""),
            "bdc_number": order.bdc_number, "declaration_url": order.declaration_url,
            "contract_number": order.contract_number or None}


@bp.get("/<int:number>/declaration/etat")
def declaration_state_json(number: int):
    """Commande N°…'s declaration as JSON: what the order page polls when it cannot follow the event
    stream (no EventSource, or the server has no stream to spare)."""
    with context.db().transaction() as session:
        row = context.order_or_404(session, number)
    if row.bdc_number and row.declaration_status not in FINAL:
        declaring.refresh(row)  # outside any transaction: no lock held during HTTP
    with context.db().transaction() as session:
        return jsonify(declaration_state(context.order_or_404(session, number)))


@streams.get(events.PREFIX + "livraisons/<int:number>/declaration")
def declaration_events(number: int):
    """Commande N°…'s declaration as server-sent events, followed from Déclarer on: the contract
    number shows on the order as soon as the centralisateur's callback is stored (no reload); the
    centralisateur is still asked now and then in case the callback never comes."""
    with context.db().transaction() as session:
        context.order_or_404(session, number)
    app = current_app._get_current_object()

    def read() -> dict:
        with app.extensions["db"].read_sessionmaker() as session:  # a fresh snapshot each time
            return declaration_state(session.scalar(select(Order).where(Order.number == number)))

    def ask_centralisateur() -> None:
        with context.db().transaction() as session:
            row = context.order_or_404(session, number)
        declaring.refresh(row)

    return events.stream(app, read, lambda state: state["status"] in FINAL or bool(state.get("contract_number")),
                         ask_centralisateur)
