"""Eligibility rules of seed 000 (SPEC §3): small pure functions over plain values.

Each returns ``None`` when the vehicle passes, or a ``Refusal`` naming the rule in French. The
centralisateur applies them to a hand-off, Icare to a PSA Insurance policy, a DMS may check first.
"""
from __future__ import annotations

from dataclasses import dataclass

from spoticar_handoff import catalogue


@dataclass(frozen=True)
class Refusal:
    """Why a vehicle is not eligible."""
    field: str      # the hand-off field the rule looked at (vehicle.brand, vehicle.din_power, …)
    rule: str       # brand | power | usage | ptac
    message: str


def brand_refusal(brand: str | None) -> Refusal | None:
    """Admitted brands (case and accents ignored) and every Stellantis brand, listed or not."""
    name = catalogue.normalize_brand(brand or "")
    if name in catalogue.admitted_brands() or name in catalogue.stellantis_brands():
        return None
    return Refusal("vehicle.brand", "brand",
                   f"Véhicule non éligible : la marque {brand or '(vide)'} ne fait pas partie des marques "
                   "admises pour la garantie Spoticar.")


def _over(limit_name: str, value: int | None) -> int | None:
    """The catalogue's limit ``limit_name`` when ``value`` is above it (the limit itself is admitted)."""
    limit = catalogue.load("brands")[limit_name]
    return limit if value is not None and value > limit else None


def power_refusal(din_power: int | None) -> Refusal | None:
    """At most ``max_din_power`` ch DIN (800), inclusive."""
    limit = _over("max_din_power", din_power)
    return None if limit is None else Refusal(
        "vehicle.din_power", "power",
        f"Véhicule non éligible : la puissance de {din_power} ch DIN dépasse la puissance maximale admise de "
        f"{limit} ch DIN.")


def usage_refusal(usage: str | None) -> Refusal | None:
    """Taxis, driving schools, rentals… are excluded, even when used so only temporarily."""
    label = catalogue.load("usages")["excluded"].get(usage or "particulier")  # read only: no copy
    if label is None:
        return None
    return Refusal("vehicle.usage", "usage",
                   f"Véhicule non éligible : les véhicules utilisés, même temporairement, comme {label} "
                   "sont exclus.")


def ptac_refusal(ptac_kg: int | None) -> Refusal | None:
    """At most 3.5 t of PTAC, inclusive."""
    return None if _over("max_ptac_kg", ptac_kg) is None else Refusal(
        "vehicle.ptac_kg", "ptac",
        f"Véhicule non éligible : le poids maximal autorisé (PTAC) de {ptac_kg} kg est supérieur à 3,5 t.")


def refusals(brand: str | None, din_power: int | None, usage: str | None,
             ptac_kg: int | None) -> list[Refusal]:
    """Every rule the vehicle breaks (empty when it is eligible)."""
    found = [brand_refusal(brand), power_refusal(din_power), usage_refusal(usage), ptac_refusal(ptac_kg)]
    return [r for r in found if r is not None]
