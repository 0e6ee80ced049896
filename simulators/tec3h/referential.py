"""The Tec3H vehicle referential (makes → models → versions), read from fixtures/data.

Pure functions: which models and versions are valid at a Mise en circulation date, and the
word-by-word narrowing of the Version autocomplete ("130 allure" = both words, any order).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from fixtures import reference

ENERGIES = ("Essence", "Diesel", "Hybride", "Hybride rechargeable", "Électrique", "GPL")


@dataclass(frozen=True)
class Version:
    """One version of the referential, with its model and make."""
    id: str
    make: str
    model: str
    label: str
    energy: str
    din_power: int
    kw_power: int
    fiscal_power: int
    displacement_cc: int | None
    gearbox: str
    equivalence: str
    valid_from: str
    valid_to: str | None
    search_text: str
    category: str = ""              # Catégorie (Berline, Break, SUV…), the model's body
    doors: int | None = None        # Nombre de portes
    seats: int | None = None        # Nombre de places
    catalogue_price: Decimal | None = None  # Prix catalogue (new, TTC)
    nedc: dict | None = None        # NEDC consumption, l/100 km: mixed, urban, extra_urban (none: électrique)
    tank_l: int | None = None       # fuel tank, litres: the Autonomie

    def valid_at(self, date: dt.date) -> bool:
        """True when the month of ``date`` lies in the version's production months."""
        month = f"{date.year:04d}-{date.month:02d}"
        return self.valid_from <= month and (self.valid_to is None or month <= self.valid_to)

    def as_json(self) -> dict:
        return {"id": self.id, "label": self.label, "energy": self.energy, "din_power": self.din_power,
                "kw_power": self.kw_power, "fiscal_power": self.fiscal_power,
                "displacement_cc": self.displacement_cc, "gearbox": self.gearbox,
                "equivalence": self.equivalence,
                "description": f"{self.label} - {self.energy} - {self.din_power} ch"}


def fold(text: str) -> str:
    """Lower-case, accents removed: what the autocomplete compares."""
    return reference.normalize_brand(text).lower()


@cache
def _index() -> tuple[dict[str, dict], dict[str, Version]]:
    data = reference.load("tec3h_referential")
    makes, versions = {}, {}
    for make in data["makes"]:
        makes[make["name"]] = make
        for model in make["models"]:
            for v in model["versions"]:
                text = fold(f"{v['label']} {v['energy']} {v['din_power']}ch {v['gearbox']}")
                versions[v["id"]] = Version(
                    v["id"], make["name"], model["name"], v["label"], v["energy"], v["din_power"],
                    v["kw_power"], v["fiscal_power"], v["displacement_cc"], v["gearbox"],
                    v["equivalence"], v["from"], v["to"], text, model.get("category", ""),
                    model.get("doors"), model.get("seats"),
                    Decimal(v["catalogue_price"]) if v.get("catalogue_price") else None,
                    v.get("nedc"), model.get("tank_l"))
    return makes, versions


def makes() -> list[str]:
    return sorted(_index()[0])


def find_make(name: str) -> str | None:
    """The referential's spelling of a make ("PEUGEOT" → "Peugeot"), None when unknown."""
    wanted = fold(name)
    return next((m for m in _index()[0] if fold(m) == wanted), None)


def models(make: str, date: dt.date | None = None, query: str = "") -> list[str]:
    """Models of ``make`` sold at ``date`` whose name contains every typed word."""
    found = _index()[0].get(make)
    if not found:
        return []
    words = fold(query).split()
    month = f"{date.year:04d}-{date.month:02d}" if date else None
    return [m["name"] for m in found["models"]
            if (month is None or (m["from"] <= month and (m["to"] is None or month <= m["to"])))
            and all(w in fold(m["name"]) for w in words)]


def versions(make: str, model: str, date: dt.date | None = None, query: str = "",
             energy: str | None = None) -> list[Version]:
    """Versions of ``make`` ``model`` valid at ``date``, narrowed by the typed words in any order."""
    words = fold(query).split()
    wanted_energy = fold(energy) if energy else None
    return [v for v in _index()[1].values()
            if v.make == make and v.model == model
            and (date is None or v.valid_at(date))
            and (wanted_energy is None or fold(v.energy) == wanted_energy)
            and all(w in v.search_text for w in words)]


def version(version_id: str) -> Version | None:
    return _index()[1].get(version_id or "")


def all_versions() -> list[Version]:
    return list(_index()[1].values())


@dataclass(frozen=True)
class Nedc:
    """The NEDC block of the vehicle card: l/100 km (mixte, urbain, extra urbain), km/l, Autonomie."""
    mixed: float
    urban: float
    extra_urban: float
    km_per_l: float
    range_km: int | None


def nedc(version: Version | None) -> Nedc | None:
    """The NEDC figures of ``version`` (None for a version without: électrique, or unknown):
    Mixte (km/l) = 100 / Mixte; Autonomie = the tank's litres at the Mixte consumption."""
    if version is None or not version.nedc:
        return None
    mixed = version.nedc["mixed"]
    return Nedc(mixed, version.nedc["urban"], version.nedc["extra_urban"], round(100 / mixed, 1),
                round(version.tank_l * 100 / mixed) if version.tank_l else None)


def standard_equipment(version: Version | None) -> list[str]:
    """Équipements de série of ``version``'s model (by its category; empty when unknown)."""
    if version is None:
        return []
    return reference.load("tec3h_referential")["standard_equipment"].get(version.category, [])
