"""NeoVO screens: MENU, the dossier page with its sale pieces and links, Garantir (Chrome only)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from common.web import csrf
from fixtures import reference
from simulators import neovo
from simulators.dms import sites
from simulators.dms.callback import callback_response
from simulators.dms.handoff import (GARANTISSEUR_NAMES, STATUS_LABELS, Declarations, callback_url,
                                    refresh_state, send_and_record)
from simulators.neovo.browser import CHROME_MESSAGE, is_chrome
from simulators.neovo.handoff import handoff_payload
from simulators.neovo.store import CallbackDelivery, Dossier
from spoticar_handoff import CALLBACK_PATH, CentralisateurUnavailable, HandoffRefused

bp = Blueprint("neovo", __name__)
api = Blueprint("neovo_api", __name__)
csrf.exempt(api)

# The dossier's links, in the seed's order: (slug, label). Retour and MENU lead back to the MENU.
PIECE_LINKS = (("facture", "Facture"), ("avoir", "Avoir"), ("fac_comp", "Fac_Comp"),
               ("proforma", "Proforma"), ("denonciation", "Dénonciation"),
               ("visualisation", "Visualisation"), ("facturation", "Facturation"))
PIECE_LABELS = dict(PIECE_LINKS)
DECLARATIONS = Declarations(Dossier, CallbackDelivery)


def db():
    """This app's ``common.db.Database``."""
    return current_app.extensions["db"]


def current_dealer() -> dict:
    """The site the user works on (session), the first neovo dealer by default."""
    return sites.current_site(neovo.dealers())


def browser_is_chrome() -> bool:
    """Whether the request's browser is Chrome (User-Agent, then client hints)."""
    return is_chrome(request.headers.get("User-Agent"), request.headers.get("Sec-CH-UA"))


def dossier_or_404(number: str) -> Dossier:
    """A dossier of the current site, or 404."""
    dossier = db().session.scalar(select(Dossier).where(Dossier.number == number))
    if dossier is None or dossier.rrdi != current_dealer()["rrdi"]:
        abort(404)
    return dossier


def render_screen(template: str, status: int = 200, **context):
    """Every screen has the site header and the Reynolds contact; ``chrome`` says if Garantir is allowed."""
    contact = next(c for c in reference.support_contacts()["dms_and_cds"] if c["dms"] == "neovo")
    return render_template(template, dealer=current_dealer(), site_form=sites.site_form(neovo.dealers()),
                           contact=contact,
                           screen_code=reference.load("neovo_dossiers")["screen_code"],
                           chrome=browser_is_chrome(), chrome_message=CHROME_MESSAGE,
                           piece_links=PIECE_LINKS, status_labels=STATUS_LABELS,
                           garantisseur_names=GARANTISSEUR_NAMES, **context), status


@bp.get("/")
def menu():
    """MENU: the current site's sale dossiers."""
    dossiers = db().session.scalars(select(Dossier).where(Dossier.rrdi == current_dealer()["rrdi"])
                                    .order_by(Dossier.number)).all()
    return render_screen("neovo/menu.html", dossiers=dossiers)


@bp.post("/site")
def choose_site():
    """Work on another demo site (header select)."""
    return sites.choose_site(neovo.dealers(), url_for("neovo.menu"))


@bp.get("/dossiers/<number>")
def dossier_page(number: str):
    """The dossier; while its declaration is not final, ask the centralisateur (callback may be lost)."""
    dossier = dossier_or_404(number)
    poll_error = refresh_state(current_app, neovo.DMS, DECLARATIONS, dossier)
    return render_screen("neovo/dossier.html", dossier=dossier, poll_error=poll_error)


@bp.get("/dossiers/<number>/pieces/<slug>")
def piece(number: str, slug: str):
    """One of the dossier's links: Facture, Avoir, Fac_Comp, Proforma, Dénonciation, Visualisation,
    Facturation."""
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
    try:
        receipt, _ = send_and_record(current_app, neovo.DMS, DECLARATIONS, dossier.id,
                                     handoff_payload(dossier, callback_url(current_app)))
    except HandoffRefused as exc:
        return render_screen("neovo/dossier.html", 422, dossier=dossier, declare_error=exc.message,
                             declare_errors=exc.errors)
    except CentralisateurUnavailable as exc:
        return render_screen("neovo/dossier.html", 503, dossier=dossier,
                             declare_error=exc.message + " Le dossier n'a pas été modifié.")
    return redirect(receipt.declaration_url, 303)


@api.post(CALLBACK_PATH)
def callback():
    """The centralisateur's signed ``DeclarationState`` for one of our dossiers."""
    return callback_response(current_app, neovo.DMS, DECLARATIONS)
