"""Vehicle card → Garantie → Nouvelle garantie Spoticar → "Informations à valider/compléter pour la
garantie" → Envoyer → hand-off to the centralisateur; the contract number comes back by callback
(signed) or by polling. The form is stored before sending: a centralisateur that is down or refuses
loses nothing and the dealer can retry."""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask import session as browser_session
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from common.dates import fr_date
from common.web import csrf
from simulators.dms import events
from simulators.dms import handoff as dms
from simulators.dms.callback import callback_response
from simulators.tec3h import DMS, handoff
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import writing
from simulators.tec3h.forms import WarrantyForm, levels
from simulators.tec3h.store import CallbackDelivery, Order, Vehicle, Warranty
from spoticar_handoff import CALLBACK_PATH, CentralisateurUnavailable, HandoffRefused

bp = Blueprint("warranty", __name__)

DECLARATIONS = dms.Declarations(Warranty, CallbackDelivery, status="status")
EDITABLE = ("draft", "not_sent", "rejected")  # not yet received by the centralisateur
# Received but not declared yet: the dealer may still correct the form and send it again.
CORRECTABLE = ("pending",)
RESENDABLE = ("not_sent", "pending")
STATUS_TEXT = {"draft": "Brouillon", "not_sent": "Non transmise (centralisateur indisponible)",
               "rejected": "Refusée par le centralisateur : à corriger",
               "pending": "Transmise : déclaration à finaliser sur le centralisateur",
               "contract_pending": "Déclarée : contrat en attente chez Icare",
               "declared": "Déclarée", "refused": "Refusée"}


def _order_for(vehicle_id: int) -> tuple[Vehicle, Order | None, Warranty | None]:
    session = _db()
    vehicle = session.get(Vehicle, vehicle_id) or abort(404)
    order = session.scalar(select(Order).where(Order.vehicle_id == vehicle_id).order_by(Order.id.desc()))
    warranty = order and session.scalar(select(Warranty).where(Warranty.order_id == order.id))
    return vehicle, order, warranty


def prefill(order: Order) -> dict:
    """The warranty form pre-filled from the order, its customer and its vehicle."""
    c, v = order.customer, order.vehicle
    return {"civilite": c.civility or "", "nom": c.usage_name or c.birth_name or c.company_name or "",
            "prenom": c.first_names or "", "adresse": c.address or "", "code_postal": c.postcode or "",
            "ville": c.city or "", "adresse2": c.address2 or "", "adresse3": "",
            "telephone": c.phone or "", "portable": c.mobile or "", "email": c.email or "",
            "date_naissance": fr_date(c.birth_date), "lieu_naissance": c.birth_city or "",
            "pays_naissance": (c.birth_country or "") if c.kind != "pro" else "", "nationalite": "",
            "origine_vente": "",
            "profession": c.profession or "", "raison_sociale": c.company_name or "",
            "siret": c.siret or "", "immatriculation": v.plate or "", "marque": v.make, "modele": v.model,
            "date_mec": fr_date(v.first_registration), "carburant": v.energy,
            "puissance": str(v.fiscal_power),
            "date_vente": fr_date(order.sale_date), "km": str(v.mileage_km), "vin": v.vin or "",
            "version": v.version, "puissance_kw": str(v.kw_power), "type_cg": "",
            "cylindres": str(v.displacement_cc or ""), "puissance_din": str(v.din_power),
            "ptac": str(v.ptac_kg or ""),
            "prix_vente": f"{order.total_ttc:.2f}", "prix_reprise": "", "usage": "particulier",
            "niveau": next((n for n in reversed(levels()) if n.startswith("Spoticar")), ""),
            "consent_email": "on"}


def send(warranty_id: int) -> Warranty:
    """Hand the stored form off; on failure the status and message say why, the form stays.
    Nothing is held in the database while the centralisateur answers (its callback may come first)."""
    with writing() as tx:
        stored = tx.get(Warranty, warranty_id)
        form = dict(stored.form)
        payload = handoff.build_payload(stored.order, form, dms.callback_url(current_app))
    receipt = None
    try:
        receipt = dms.send(current_app, DMS, payload)
    except CentralisateurUnavailable as exc:
        changes = {"status": "not_sent", "last_error": exc.message}
    except HandoffRefused as exc:
        changes = {"status": "rejected", "last_error": exc.message, "form": {**form, "_errors": [
            {"field": handoff.FORM_FIELD.get(e.get("field") or ""), "message": e.get("message", "")}
            for e in exc.errors]}}
    else:
        changes = {"last_error": None}
    with writing() as tx:
        stored = tx.get(Warranty, warranty_id)
        if receipt is not None:
            dms.record_receipt(stored, receipt, DECLARATIONS)
        for key, value in changes.items():
            setattr(stored, key, value)
    return stored


def refresh(warranty: Warranty | None) -> None:
    """Poll the centralisateur for a sent declaration not yet final (the callback may be missed);
    ``warranty`` (from this request's reads) shows the new state on its next access."""
    if warranty:  # the card must show quickly even if the centralisateur is slow: 3 s at most
        dms.refresh_state(current_app, DMS, DECLARATIONS, warranty, timeout=3.0)


def _open_declaration_next(warranty: Warranty) -> None:
    """Once sent, the next Garantie page opens the centralisateur's declaration in a new window."""
    if warranty.declaration_url and warranty.status == "pending":
        browser_session["tec3h_open_declaration"] = warranty.id


@bp.get("/vehicules/<int:vehicle_id>/garantie")
def warranty_tab(vehicle_id: int):
    vehicle, order, warranty = _order_for(vehicle_id)
    # right after Envoyer the centralisateur's receipt was just stored: nothing to ask it yet (the
    # page's event stream follows the declaration from here)
    auto_open = bool(warranty) and browser_session.pop("tec3h_open_declaration", None) == warranty.id
    if not auto_open:
        refresh(warranty)
    return render_template("tec3h/warranty_tab.html", vehicle=vehicle, order=order, warranty=warranty,
                           status_text=STATUS_TEXT, auto_open=auto_open)


def _state(warranty: Warranty | None) -> dict:
    if not warranty:
        return {"status": None}
    return {"status": warranty.status, "status_text": STATUS_TEXT.get(warranty.status, ""),
            "bdc_number": warranty.bdc_number, "contract_number": warranty.contract_number}


WAITING = ("pending", "contract_pending")  # sent, the contract number still to come


@bp.get("/vehicules/<int:vehicle_id>/garantie/etat")
def warranty_state(vehicle_id: int):
    """JSON for the card's polling script (the fallback of the event stream): status and contract number."""
    _vehicle, _order, warranty = _order_for(vehicle_id)
    refresh(warranty)
    return jsonify(_state(warranty))


@bp.get(events.PREFIX + "vehicules/<int:vehicle_id>/garantie")
def warranty_events(vehicle_id: int):
    """The card's state as server-sent events: the contract number shows as soon as the
    centralisateur's callback is stored; the centralisateur is still asked now and then in case
    the callback never comes."""
    vehicle_id = (_db().get(Vehicle, vehicle_id) or abort(404)).id
    _db().rollback()  # the stream lasts: no read snapshot kept open meanwhile
    app = current_app._get_current_object()

    def read() -> dict:
        with app.extensions["db"].read_sessionmaker() as session:  # a fresh snapshot each time
            order = session.scalar(select(Order).where(Order.vehicle_id == vehicle_id).order_by(Order.id.desc()))
            return _state(order and session.scalar(select(Warranty).where(Warranty.order_id == order.id)))

    def ask_centralisateur() -> None:
        refresh(_order_for(vehicle_id)[2])
        _db().rollback()

    return events.stream(app, read, lambda state: state["status"] not in WAITING, ask_centralisateur)


@bp.route("/vehicules/<int:vehicle_id>/garantie/spoticar", methods=["GET", "POST"])
def warranty_form(vehicle_id: int):
    """Nouvelle garantie Spoticar: the pre-filled form, Envoyer."""
    vehicle, order, warranty = _order_for(vehicle_id)
    if order is None or order.status != "Commande":
        flash("Enregistrez d'abord un bon de commande (Statut Commande) pour ce véhicule : la garantie "
              "est pré-remplie à partir de la commande.", "error")
        return redirect(url_for("warranty.warranty_tab", vehicle_id=vehicle_id))
    if warranty and warranty.status not in EDITABLE + CORRECTABLE:
        return redirect(url_for("warranty.warranty_tab", vehicle_id=vehicle_id))
    if request.method == "GET":
        stored = dict(warranty.form) if warranty else prefill(order)
        remote = stored.pop("_errors", [])
        form = WarrantyForm(formdata=None, data=stored)
        for error in remote:
            if error["field"] in form:
                form.add_error(error["field"], error["message"])
        return _render(vehicle, order, form, warranty, remote)
    form = WarrantyForm()
    if not form.validate():
        return _render(vehicle, order, form, warranty, [])
    typed = form.typed()
    try:
        with writing() as tx:  # stored before sending: nothing is lost if the centralisateur fails
            stored = tx.scalar(select(Warranty).where(Warranty.order_id == order.id))
            if stored is None:
                stored = Warranty(order_id=order.id, form=typed, status="draft")
                tx.add(stored)
            # a second click on Envoyer sends nothing; a correction of a pending one is sent again
            already_sent = stored.status not in EDITABLE and not (
                stored.status in CORRECTABLE and _corrected(stored.form, typed))
            if not already_sent:
                stored.form = typed
            tx.flush()
    except IntegrityError:  # two first clicks at once: one stored, the other goes to the tab
        already_sent = True
    if already_sent:
        return redirect(url_for("warranty.warranty_tab", vehicle_id=vehicle_id))
    warranty = send(stored.id)
    _open_declaration_next(warranty)
    if warranty.status == "rejected":
        remote = warranty.form.get("_errors", [])
        for error in remote:
            if error["field"] in form:
                form.add_error(error["field"], error["message"])
        return _render(vehicle, order, form, warranty, remote)
    return redirect(url_for("warranty.warranty_tab", vehicle_id=vehicle_id))


def _corrected(stored: dict, typed: dict) -> bool:
    """The dealer changed something the centralisateur has not received yet."""
    return any(stored.get(name, "") != value for name, value in typed.items())


def _render(vehicle, order, form, warranty, remote):
    # reopening the form after a refusal shows it to correct (200); only a refused submission is 422
    refused = request.method == "POST" and (form.error_list or remote)
    return render_template("tec3h/warranty_form.html", vehicle=vehicle, order=order, form=form,
                           remote=remote, warranty=warranty), (422 if refused else 200)


@bp.post("/garanties/<int:warranty_id>/renvoyer")
def warranty_retry(warranty_id: int):
    """Réessayer / Renvoyer au centralisateur: send the stored form again — not sent yet, or sent and
    not yet declared (same DMS order: the centralisateur answers with the same bon de commande)."""
    warranty = _db().get(Warranty, warranty_id) or abort(404)
    vehicle_id = warranty.order.vehicle_id
    if warranty.status in RESENDABLE:
        _open_declaration_next(send(warranty.id))
    return redirect(url_for("warranty.warranty_tab", vehicle_id=vehicle_id))


@bp.post(CALLBACK_PATH)
@csrf.exempt
def callback():
    """The centralisateur's signed DeclarationState: record the status and the contract number."""
    return callback_response(current_app, DMS, DECLARATIONS)
