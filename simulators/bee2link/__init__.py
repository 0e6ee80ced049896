"""Bee2link simulator: the VO pipeline, vehicle cards with their orders, and the Déclaration SPOTICAR
hand-off from the delivery page's Services externes (seed 000, "Souscription via Bee2link")."""
from __future__ import annotations

from flask import Flask

from common import keys
from common.dates import fr_date
from simulators.bee2link.handoff import euros
from simulators.bee2link.store import Base
from simulators.dms.app import DmsApp, sites_line

DMS = "bee2link"


# The seed's DS4 order n°4586 and a Faker stock along the pipeline for 020319L and 013250C.
APP = DmsApp(__name__, DMS, Base, sites="bee2link_stock", filters={"euros": euros, "fr_date": fr_date},
             blueprints=(f"{__name__}.views:bp", f"{__name__}.sales:bp", f"{__name__}.declare:bp",
                         f"{__name__}.declare:api", "simulators.dms.sale_form:templates"),
             seeder=f"{__name__}.demo:seed_stock")
dealers, create_app, seed_demo = APP.dealers, APP.create_app, APP.seed_demo


def demo_info(app: Flask) -> list[str]:
    """What ``up`` prints for Bee2link: paths, demo sites and order, API key."""
    return [f"Pipeline VO : /vo (sites : {sites_line(dealers())})",
            "Commande de démo : DS DS4 BlueHDI 120 S&S BVM6 Chic, commande n°4586 (/vo/commandes/4586)",
            f"Clé API centralisateur : {keys.dms_key(app.config, DMS)}"]
