"""The reference data the hand-off rules need (brands, usages, warranty products), shipped inside the
SDK as JSON so a vendor who pip-installs it has them without our fixtures."""
from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

DMS_NAMES = ("bee2link", "neovo", "pvo2", "tec3h")  # the DMS a hand-off may come from (``source_dms``)


@cache
def load(name: str) -> dict:
    """The parsed ``spoticar_handoff/data/<name>.json`` (cached: treat as read-only)."""
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def has(name: str) -> bool:
    """Whether the SDK ships the data file ``name``."""
    return (DATA_DIR / f"{name}.json").is_file()


def normalize_brand(value: str) -> str:
    """Upper-case, accents removed, blanks folded: "Citroën" → "CITROEN", "lynk  & co" → "LYNK & CO"."""
    value = value or ""
    if value.isascii():  # most names: nothing to decompose (every hand-off normalises two)
        return " ".join(value.upper().split())
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.upper().split())


@cache  # frozen: built once, every hand-off asks
def admitted_brands() -> frozenset[str]:
    """Brands admitted for the Spoticar warranty (normalised names)."""
    return frozenset(load("brands")["admitted"])


@cache
def stellantis_brands() -> frozenset[str]:
    """Every Stellantis brand: always admitted, listed or not."""
    return frozenset(load("brands")["stellantis"])


def excluded_usages() -> dict[str, str]:
    """Usage code → French label of the usages the warranty excludes (taxi, auto-école…)."""
    return dict(load("usages")["excluded"])


def all_usages() -> dict[str, str]:
    """Every usage code the hand-off accepts, with its French label."""
    data = load("usages")
    return {**data["eligible"], **data["excluded"]}


def warranty_labels() -> dict[str, str]:
    """Warranty label code → name (SPOTICAR, DS CERTIFIED, ALFA ROMEO CERTIFIED)."""
    return dict(load("warranty_products")["labels"])


def warranty_products() -> list[dict]:
    """Every warranty product: label, product name, durations, DMS level names."""
    return list(load("warranty_products")["products"])


def warranty_product(product: str) -> dict | None:
    """The catalogue entry of a product name, or None."""
    return _products_by_name().get(product)


@cache  # every hand-off naming a product looks it up
def _products_by_name() -> dict[str, dict]:
    found: dict[str, dict] = {}
    for p in load("warranty_products")["products"]:
        found.setdefault(p["product"], p)  # the first entry of a name, as a scan of the list finds
    return found


def product_for_dms_level(level: str) -> tuple[dict, int] | None:
    """The product and duration behind a DMS warranty level such as "Spoticar-Premium 12 Mois"."""
    wanted = " ".join(level.lower().split())
    for product in warranty_products():
        for name, months in product["dms_levels"].items():
            if name.lower() == wanted:
                return product, months
    return None


def loyalty_products() -> list[str]:
    """The "Produit fidélisation" values ("Aucun" included)."""
    return list(load("warranty_products")["loyalty_products"])
