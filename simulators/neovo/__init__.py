"""NeoVO (Reynolds) simulator: sale dossiers and their "Garantir" link, which hands the sale off to the
centralisateur by web service — Chrome only (seed 000, "Souscription via NeoVO")."""
from __future__ import annotations

from decimal import Decimal

from flask import Flask

from common import formats, keys
from common.dates import fr_date
from simulators.dms.app import DmsApp, sites_line
from simulators.neovo.store import Base

DMS = "neovo"


def amount(value: Decimal | None) -> str:
    """16176.5 → "16176,50", as NeoVO's pieces table shows amounts (no grouping, no symbol)."""
    return formats.euros(value, symbol=False, grouping=False)


# Dossier V0000004 of the seed and Faker dossiers for 038421N and 069870K.
APP = DmsApp(__name__, DMS, Base, sites="neovo_dossiers", filters={"amount": amount, "fr_date": fr_date},
             blueprints=(f"{__name__}.views:bp", f"{__name__}.sales:bp", f"{__name__}.views:api",
                         "simulators.dms.sale_form:templates"), seeder=f"{__name__}.demo:seed_dossiers")
dealers, create_app, seed_demo = APP.dealers, APP.create_app, APP.seed_demo


def demo_info(app: Flask) -> list[str]:
    """What ``up`` prints for NeoVO: paths, demo sites and dossier, API key."""
    return [f"MENU des dossiers : / (sites : {sites_line(dealers())})",
            "Dossier de démo : /dossiers/V0000004 (PEUGEOT 208 1.6 BlueHDi 75ch Active 5p) → Garantir",
            "Navigateur : Chrome uniquement pour Garantir",
            f"Clé API centralisateur : {keys.dms_key(app.config, DMS)}"]
