"""NeoVO screens: MENU, the dossier page with its sale pieces and links, Garantir (Chrome only)."""
from __future__ import annotations

from contextlib import closing

from flask import (Blueprint, abort, current_app, jsonify, redirect, render_template, request, session,
                   url_for)
from sqlalchemy import select

from centralisateur.client import CentralisateurUnavailable, HandoffRefused
from common.dms_handoff import (CALLBACK_PATH, STATUS_LABELS, apply_state, callback_url, handoff_client,
                                received_callback)
from common.web import csrf, error_response
from fixtures import reference
from simulators import neovo
from simulators.neovo.browser import CHROME_MESSAGE, is_chrome
from simulators.neovo.handoff import handoff_payload
from simulators.neovo.store import Dossier

bp = Blueprint("neovo", __name__)
api = Blueprint("neovo_api", __name__)
csrf.exempt(api)

# The dossier's links, in the seed's order: (slug, label). Retour and MENU lead back to the MENU.
PIECE_LINKS = (("facture", "Facture"), ("avoir", "Avoir"), ("fac_comp", "Fac_Comp"),
               ("proforma", "Proforma"), ("denonciation", "Dénonciation"),
               ("visualisation", "Visualisation"), ("facturation", "Facturation"))
PIECE_LABELS = dict(PIECE_LINKS)
FINAL = ("declared", "refused")


def db():
    return current_app.extensions["db"]


def current_dealer() -> dict:
    sites = neovo.dealers()
    return next((d for d in sites if d["rrdi"] == session.get("rrdi")), sites[0])


def browser_is_chrome() -> bool:
    return is_chrome(request.headers.get("User-Agent"), request.headers.get("Sec-CH-UA"))


def dossier_or_404(number: str) -> Dossier:
    dossier = db().session.scalar(select(Dossier).where(Dossier.number == number))
    if dossier is None or dossier.rrdi != current_dealer()["rrdi"]:
        abort(404)
    return dossier


def render_screen(template: str, status: int = 200, **context):
    contact = next(c for c in reference.support_contacts()["dms_and_cds"] if c["dms"] == "neovo")
    return render_template(template, dealer=current_dealer(), sites=neovo.dealers(), contact=contact,
                           screen_code=reference.load("neovo_dossiers")["screen_code"],
                           chrome=browser_is_chrome(), chrome_message=CHROME_MESSAGE,
                           piece_links=PIECE_LINKS, status_labels=STATUS_LABELS, **context), status


@bp.get("/")
def menu():
    dossiers = db().session.scalars(select(Dossier).where(Dossier.rrdi == current_dealer()["rrdi"])
                                    .order_by(Dossier.number)).all()
    return render_screen("neovo/menu.html", dossiers=dossiers)


@bp.post("/site")
def choose_site():
    rrdi = request.form.get("rrdi", "")
    if rrdi not in {d["rrdi"] for d in neovo.dealers()}:
        return error_response(400, "Site inconnu.")
    session["rrdi"] = rrdi
    return redirect(url_for("neovo.menu"), 303)


@bp.get("/dossiers/<number>")
def dossier_page(number: str):
    """The dossier; while its declaration is not final, ask the centralisateur (callback may be lost)."""
    dossier = dossier_or_404(number)
    poll_error = None
    if dossier.bdc_number and (dossier.declaration_status not in FINAL or not dossier.contract_number):
        db().session.commit()  # no lock held while asking: the centralisateur may be calling us back
        try:
            with closing(handoff_client(current_app, neovo.DMS)) as client:
                apply_state(dossier, client.status(dossier.bdc_number))
            db().session.commit()
        except (CentralisateurUnavailable, HandoffRefused) as exc:
            poll_error = exc.message
    return render_screen("neovo/dossier.html", dossier=dossier, poll_error=poll_error)


@bp.get("/dossiers/<number>/pieces/<slug>")
def piece(number: str, slug: str):
    if slug not in PIECE_LABELS:
        abort(404)
    return render_screen("neovo/piece.html", dossier=dossier_or_404(number), slug=slug,
                         label=PIECE_LABELS[slug])


@bp.post("/dossiers/<number>/garantir")
def garantir(number: str):
    """Send the sale by web service, then redirect to DECLARATION VENTE SPOTICAR (Chrome only)."""
    dossier = dossier_or_404(number)
    if not browser_is_chrome():  # refused on the server, not only hidden in the page
        return render_screen("neovo/dossier.html", 403, dossier=dossier, declare_error=CHROME_MESSAGE)
    payload = handoff_payload(dossier, callback_url(current_app))
    db().session.commit()  # no lock held while the centralisateur works
    try:
        with closing(handoff_client(current_app, neovo.DMS)) as client:
            receipt = client.send(payload)
    except HandoffRefused as exc:
        return render_screen("neovo/dossier.html", 422, dossier=dossier, declare_error=exc.message,
                             declare_errors=exc.errors)
    except CentralisateurUnavailable as exc:
        return render_screen("neovo/dossier.html", 503, dossier=dossier,
                             declare_error=exc.message + " Le dossier n'a pas été modifié.")
    dossier.bdc_number, dossier.declaration_url = receipt.bdc_number, receipt.declaration_url
    dossier.declaration_status = dossier.declaration_status or receipt.status.value
    db().session.commit()
    return redirect(receipt.declaration_url, 303)


@api.post(CALLBACK_PATH)
def callback():
    """The centralisateur's signed ``DeclarationState`` for one of our dossiers."""
    state = received_callback(current_app, neovo.DMS)
    if state is None:
        return error_response(401, "Signature X-Spoticar-Signature absente ou invalide.")
    dossier = db().session.scalar(select(Dossier).where(Dossier.bdc_number == state.bdc_number))
    if dossier is None:
        return error_response(404, f"Numéro de bon de commande inconnu : {state.bdc_number}.")
    apply_state(dossier, state)
    db().session.commit()
    return jsonify({"bdc_number": dossier.bdc_number, "status": dossier.declaration_status})
