"""The stock list's query string (filters, sort, paging, Colonnes) and its columns, shared by the
page and by Exporter (CSV) so both always show the same vehicles in the same order."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Response
from sqlalchemy import exists, func, or_, select

from common import formats
from common.parsing import MAX_YEAR, MIN_YEAR, arg_int
from simulators.tec3h.store import Order, Vehicle, Warranty

PAGE_SIZES = (10, 25, 50)
SOLD = "Vendu"


def sold():
    """SQL condition: the vehicle is sold — marked Vendu, or its sale's warranty is declared."""
    declared = exists().where(Order.vehicle_id == Vehicle.id, Warranty.order_id == Order.id,
                              Warranty.status == "declared")
    return or_(Vehicle.state == SOLD, declared)

SORTS = {"vehicule": ("Véhicule", (Vehicle.make, Vehicle.model, Vehicle.version)),
         "reference": ("Référence", (Vehicle.reference,)),
         "mec": ("1ère MEC", (Vehicle.first_registration.desc(),)),
         "km": ("Km", (Vehicle.mileage_km,)),
         "prix": ("Prix", (Vehicle.price_ttc,))}


def _thousands(value: int | float) -> str:
    return formats.number(round(value))


@dataclass(frozen=True)
class Column:
    """A stock column: its header, its text on the page and in the CSV (None: not exported)."""
    header: str
    html: Callable[[Vehicle], str]
    csv: Callable[[Vehicle], object] | None
    csv_header: str | None = None


COLUMNS: dict[str, Column] = {
    "photo": Column("Photo", lambda v: "", None),
    "reference": Column("Référence", lambda v: v.reference, lambda v: v.reference),
    "vehicule": Column("Véhicule", lambda v: v.title, lambda v: v.title),
    "energie": Column("Énergie", lambda v: v.energy, lambda v: v.energy),
    "transmission": Column("Transmission", lambda v: v.gearbox, lambda v: v.gearbox),
    "immatriculation": Column("Immatriculation", lambda v: v.plate or "", lambda v: v.plate),
    "vin": Column("VIN", lambda v: v.vin or "", lambda v: v.vin),
    "mec": Column("1ère MEC", lambda v: v.first_registration.strftime("%d/%m/%Y"),
                  lambda v: v.first_registration.strftime("%d/%m/%Y")),
    "km": Column("Km", lambda v: f"{_thousands(v.mileage_km)} km", lambda v: v.mileage_km),
    "co2": Column("CO²", lambda v: "" if v.co2 is None else f"{v.co2} g/km", lambda v: v.co2, "CO2 (g/km)"),
    "couleur": Column("Couleur", lambda v: v.color or "", lambda v: v.color),
    "prix": Column("PV TTC", lambda v: f"{_thousands(v.price_ttc)} €",
                   lambda v: formats.euros(v.price_ttc, symbol=False, grouping=False)),
    "etat": Column("État", lambda v: v.state, lambda v: v.state),
}
DEFAULT_COLUMNS = ("photo", "reference", "vehicule", "transmission", "immatriculation", "mec", "km", "co2",
                   "prix", "etat")


def csv_cell(value) -> str:
    """Text for a CSV cell; a leading = + - @ is neutralised so a spreadsheet never runs it."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(header, rows, filename: str) -> Response:
    """A ';'-separated UTF-8 CSV with BOM (what French Excel opens as is), as a download."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return Response("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@dataclass
class StockFilters:
    """The stock list's query string; a number no one could mean is a French 400 (common.parsing)."""
    q: str = ""
    make: str = ""
    energy: str = ""
    state: str = ""
    km_max: int | None = None
    price_max: int | None = None
    year_min: int | None = None
    sort: str = "vehicule"
    per_page: int = 10
    page: int = 1
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))

    @classmethod
    def from_args(cls, args) -> StockFilters:
        sort = args.get("tri", "vehicule")
        chosen = [key for key in COLUMNS if key in args.getlist("col")]
        return cls(q=(args.get("q") or "").strip()[:60], make=args.get("marque", ""),
                   energy=args.get("energie", ""), state=args.get("etat", ""),
                   km_max=arg_int("km_max", maximum=10_000_000), price_max=arg_int("prix_max", maximum=10_000_000),
                   year_min=arg_int("annee_min", minimum=MIN_YEAR, maximum=MAX_YEAR),
                   sort=sort if sort in SORTS else "vehicule",
                   per_page=arg_int("par_page", 10, choices=PAGE_SIZES),
                   page=arg_int("page", 1, minimum=1, maximum=1_000_000),
                   columns=chosen or list(DEFAULT_COLUMNS))

    def query(self):
        stmt = select(Vehicle)
        if self.q:
            compact = self.q.replace("-", "").replace(" ", "").upper()
            like = f"%{self.q}%"
            stmt = stmt.where(or_(func.replace(Vehicle.plate, "-", "").like(f"%{compact}%"),
                                  Vehicle.reference.like(like), Vehicle.vin.like(like)))
        if self.make:
            stmt = stmt.where(Vehicle.make == self.make)
        if self.energy:
            stmt = stmt.where(Vehicle.energy == self.energy)
        if self.state == SOLD:
            stmt = stmt.where(sold())
        elif self.state:
            stmt = stmt.where(Vehicle.state == self.state, ~sold())
        else:  # the list of vehicles for sale: a sold vehicle leaves it (État « Vendu » finds it)
            stmt = stmt.where(~sold())
        if self.km_max is not None:
            stmt = stmt.where(Vehicle.mileage_km <= self.km_max)
        if self.price_max is not None:
            stmt = stmt.where(Vehicle.price_ttc <= self.price_max)
        if self.year_min is not None:
            stmt = stmt.where(Vehicle.model_year >= self.year_min)
        return stmt.order_by(*SORTS[self.sort][1], Vehicle.id)

    def args(self, **changes) -> dict:
        """The query string of this list, with ``changes`` (for paging and the CSV link)."""
        values = {"q": self.q, "marque": self.make, "energie": self.energy, "etat": self.state,
                  "km_max": self.km_max, "prix_max": self.price_max, "annee_min": self.year_min,
                  "tri": self.sort, "par_page": self.per_page, "page": self.page,
                  "col": None if self.columns == list(DEFAULT_COLUMNS) else self.columns, **changes}
        return {k: v for k, v in values.items() if v not in ("", None)}
