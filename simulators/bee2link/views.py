"""Bee2link screens: the VO pipeline, the vehicle card (move, comment), the delivery page."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select

from common.web import error_response
from fixtures import reference
from simulators import bee2link
from simulators.bee2link import pipeline
from simulators.bee2link.forms import CommentForm, MoveForm
from simulators.bee2link.store import Event, Vehicle
from simulators.dms import sites

bp = Blueprint("bee2link", __name__)


def db():
    """This app's ``common.db.Database``."""
    return current_app.extensions["db"]


def current_dealer() -> dict:
    """The site the user works on (session), the first bee2link dealer by default."""
    return sites.current_site(bee2link.dealers())


def vehicle_or_404(vehicle_id: int) -> Vehicle:
    """A vehicle of the current site, or 404 (another site's vehicle reveals nothing)."""
    vehicle = db().session.get(Vehicle, vehicle_id)
    if vehicle is None or vehicle.rrdi != current_dealer()["rrdi"]:
        abort(404)
    return vehicle


def pipeline_bar(rrdi: str) -> tuple[dict, dict]:
    """The bar's counts "today(total)" and latest arrival date per stage, from the store."""
    rows = db().session.execute(select(Vehicle.stage, Vehicle.stage_since).where(Vehicle.rrdi == rrdi)).all()
    return pipeline.counts(rows, dt.date.today()), pipeline.latest_arrivals(rows)


def render_screen(template: str, status: int = 200, **context):
    """Every screen has the sidebar, the pipeline bar and the site header."""
    dealer = current_dealer()
    counts, arrivals = pipeline_bar(dealer["rrdi"])
    vehicle = context.get("vehicle")
    context.setdefault("next_stage", pipeline.next_stage(vehicle.stage) if vehicle else None)
    if vehicle is not None:
        context.setdefault("move_form", MoveForm(formdata=None, data={"etape": vehicle.stage}))
        context.setdefault("comment_form", CommentForm(formdata=None))
    return render_template(template, dealer=dealer, site_form=sites.site_form(bee2link.dealers()),
                           stages=pipeline.STAGES,
                           origins=pipeline.ORIGINS, stock_stages=pipeline.STOCK_STAGES,
                           counts=counts, arrivals=arrivals, today=dt.date.today(),
                           contact=_contact(), **context), status


def _contact() -> dict:
    return next(c for c in reference.support_contacts()["dms_and_cds"] if c["dms"] == "bee2link")


@bp.get("/")
def home():
    """The VO pipeline is Bee2link's home."""
    return redirect(url_for("bee2link.stock"))


@bp.post("/site")
def choose_site():
    """Work on another demo site (header select)."""
    return sites.choose_site(bee2link.dealers(), url_for("bee2link.stock"))


@bp.get("/vo")
def stock():
    """The pipeline; ``?etape=`` lists one stage's vehicles (``&origine=`` for PRÉ-RENTRÉE)."""
    stage = request.args.get("etape") or "livraison"
    origin = request.args.get("origine")
    if not pipeline.is_stage(stage) or (origin and origin not in pipeline.ORIGIN_LABELS):
        return error_response(404, "Étape du pipeline inconnue.")
    query = select(Vehicle).where(Vehicle.rrdi == current_dealer()["rrdi"], Vehicle.stage == stage)
    if origin:
        query = query.where(Vehicle.origin == origin)
    vehicles = db().session.scalars(query.order_by(Vehicle.id)).all()
    return render_screen("bee2link/stock.html", stage=stage, origin=origin, vehicles=vehicles)


@bp.get("/vo/vehicules/<int:vehicle_id>")
def vehicle_card(vehicle_id: int):
    """The vehicle card (fiche): move it along the pipeline, comment, open its order."""
    return render_screen("bee2link/vehicle.html", vehicle=vehicle_or_404(vehicle_id), panel="fiche")


@bp.get("/vo/vehicules/<int:vehicle_id>/livraison")
def delivery(vehicle_id: int):
    """The delivery page (page livraison), whose footer leads to the Services externes."""
    return render_screen("bee2link/vehicle.html", vehicle=vehicle_or_404(vehicle_id), panel="livraison")


@bp.get("/vo/vehicules/<int:vehicle_id>/services-externes")
def external_services(vehicle_id: int):
    """Services externes: the Déclaration SPOTICAR button (opens a new window)."""
    return render_screen("bee2link/vehicle.html", vehicle=vehicle_or_404(vehicle_id), panel="services")


def _posted(vehicle_id: int, form_class, name: str):
    """(vehicle, posted form, None), or the card again with the form's messages (400) as third item."""
    vehicle, form = vehicle_or_404(vehicle_id), form_class()
    if form.validate():
        return vehicle, form, None
    return vehicle, form, render_screen("bee2link/vehicle.html", 400, vehicle=vehicle, panel="fiche", **{name: form})


@bp.post("/vo/vehicules/<int:vehicle_id>/etape")
def move(vehicle_id: int):
    """Move the vehicle to the chosen stage of the pipeline; the move is written in its Historique."""
    vehicle, form, refused = _posted(vehicle_id, MoveForm, "move_form")
    if refused:
        return refused
    target = form.etape.value
    if target != vehicle.stage:
        # One session per request: under SQLite a second writer would wait on this one's lock.
        s = db().session
        s.add(Event(vehicle_id=vehicle.id, kind="history",
                    text=f"Passage de {pipeline.stage_label(vehicle.stage)} à "
                         f"{pipeline.stage_label(target)}"))
        vehicle.stage, vehicle.stage_since = target, dt.date.today()
        s.commit()
    return redirect(url_for("bee2link.vehicle_card", vehicle_id=vehicle.id), 303)


@bp.post("/vo/vehicules/<int:vehicle_id>/commentaires")
def comment(vehicle_id: int):
    """Add a comment to the vehicle's Commentaires (1 to 1000 characters)."""
    vehicle, form, refused = _posted(vehicle_id, CommentForm, "comment_form")
    if refused:
        return refused
    db().session.add(Event(vehicle_id=vehicle.id, kind="comment", text=form.commentaire.value))
    db().session.commit()
    return redirect(url_for("bee2link.vehicle_card", vehicle_id=vehicle.id) + "#commentaires", 303)
