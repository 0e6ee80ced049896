"""Stock: the list (plate search, filters, sort, paging, Exporter (CSV)), vehicle creation from the
referential with its autocomplete API, and the vehicle card."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select

from common.dates import parse_fr_date
from fixtures import reference
from simulators.tec3h import referential
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import writing
from simulators.tec3h.forms import VehicleForm
from simulators.tec3h.listing import COLUMNS, PAGE_SIZES, SORTS, StockFilters, csv_response
from common.counters import next_number
from simulators.tec3h.store import Counter, Order, Vehicle, Warranty

bp = Blueprint("stock", __name__)

def plausible_ptac(din_power: int) -> int:
    """A passenger car's PTAC when the card has none: heavier with power (1 500 to 2 600 kg)."""
    return min(2600, 1400 + 4 * din_power) // 10 * 10


def new_vehicle(version: referential.Version, **fields) -> Vehicle:
    """A stock vehicle whose technical data comes from the referential ``version``."""
    fields.setdefault("ptac_kg", plausible_ptac(version.din_power))
    return Vehicle(make=version.make, model=version.model, version_id=version.id, version=version.label,
                   equivalence=version.equivalence, energy=version.energy, gearbox=version.gearbox,
                   din_power=version.din_power, kw_power=version.kw_power,
                   fiscal_power=version.fiscal_power, displacement_cc=version.displacement_cc, **fields)


@bp.get("/stock")
def stock_list():
    filters = StockFilters.from_args(request.args)
    session = _db()
    total = session.scalar(select(func.count()).select_from(filters.query().order_by(None).subquery()))
    pages = max((total + filters.per_page - 1) // filters.per_page, 1)
    filters.page = min(filters.page, pages)
    rows = session.scalars(filters.query().limit(filters.per_page)
                           .offset((filters.page - 1) * filters.per_page)).all()
    stock = reference.load("tec3h_stock")
    return render_template("tec3h/stock.html", rows=rows, filters=filters, total=total, pages=pages,
                           makes=referential.makes(), energies=referential.ENERGIES,
                           states=stock["states"], sorts=SORTS, page_sizes=PAGE_SIZES, columns=COLUMNS)


@bp.get("/stock/export.csv")
def stock_export():
    """Exporter (CSV): every vehicle of the filtered list (all pages), ';'-separated, UTF-8 with BOM."""
    filters = StockFilters.from_args(request.args)
    columns = [COLUMNS[key] for key in filters.columns if COLUMNS[key].csv]
    rows = ([c.csv(v) for c in columns] for v in _db().scalars(filters.query()))
    return csv_response([c.csv_header or c.header for c in columns], rows, "stock-tec3h.csv")


@bp.get("/stock/liste.pdf")
def stock_pdf():
    """Listes PDF: the filtered list (all pages) as a PDF, one section per vehicle."""
    from common.pdf import sectioned_pdf
    filters = StockFilters.from_args(request.args)
    columns = [COLUMNS[key] for key in filters.columns if COLUMNS[key].csv and key != "vehicule"]
    sections = [(v.title, [(c.csv_header or c.header, c.csv(v)) for c in columns])
                for v in _db().scalars(filters.query().limit(500))]
    body = sectioned_pdf("Stock — liste des véhicules", sections, subtitle=f"{len(sections)} véhicule(s)")
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="stock-tec3h.pdf"'})


@bp.get("/referentiel/modeles")
def referential_models():
    """Autocomplete of Modèle: the make's models sold at the Mise en circulation date."""
    make = referential.find_make(request.args.get("marque", ""))
    date = parse_fr_date(request.args.get("mec", ""))
    return jsonify({"models": referential.models(make, date, request.args.get("q", ""))[:30]
                    if make else []})


@bp.get("/referentiel/versions")
def referential_versions():
    """Autocomplete of Version: valid at the Mise en circulation, narrowed by the typed words."""
    make = referential.find_make(request.args.get("marque", ""))
    date = parse_fr_date(request.args.get("mec", ""))
    if not make or not request.args.get("modele") or date is None:
        return jsonify({"versions": [], "message": "Choisissez d'abord la Marque, la Mise en "
                                                   "circulation et le Modèle."})
    found = referential.versions(make, request.args["modele"], date, request.args.get("q", "")[:80],
                                 request.args.get("energie") or None)
    return jsonify({"versions": [v.as_json() for v in found[:50]]})


def _check_vehicle(form: VehicleForm, version_id: str) -> dict | None:
    """The new vehicle's values, or None with the messages left on ``form``; Modèle and Version must
    be the referential's."""
    form.validate()
    v = form.values()
    make, mec, model, label = v["marque"], v["mec"], v["modele"], v["version"]
    version = None
    if make and model and not form.modele.errors and model not in referential.models(make, mec):
        form.add_error("modele", "Choisissez un modèle proposé par le référentiel (pas de saisie manuelle).")
    elif make and model and mec and label:
        version = referential.version(version_id)
        if version is None:  # without JavaScript: an exact label of the referential is accepted
            exact = [x for x in referential.versions(make, model, mec)
                     if referential.fold(x.label) == referential.fold(label)]
            version = exact[0] if len(exact) == 1 else None
        if version is None or version.make != make or version.model != model or not version.valid_at(mec):
            form.add_error("version", "Choisissez une version proposée par le référentiel pour cette "
                                      "Mise en circulation (pas de saisie manuelle).")
            version = None
        elif v["energie"] and version.energy != v["energie"]:
            form.add_error("energie", f"L'énergie de cette version est {version.energy}.")
    year = v["annee_modele"]
    if year and mec and not mec.year - 2 <= year <= mec.year + 1:
        form.add_error("annee_modele", "L'Année du modèle doit être proche de la Mise en circulation.")
    plate = v["immatriculation"]
    if plate and _db().scalar(select(Vehicle.id).where(Vehicle.plate == plate)):
        form.add_error("immatriculation", PLATE_TAKEN.format(plate=plate))
    if form.error_list:
        return None
    return dict(version=version, first_registration=mec, model_year=year, plate=plate, vin=v["vin"],
                mileage_km=v["km"] or 0, co2=v["co2"], price_ttc=v["prix"] or Decimal(0), color=v["couleur"],
                interior_color=v["couleur_interieure"], commercial_color=v["couleur_commerciale"],
                key_count=v["nombre_cles"], first_hand=bool(v["premiere_main"]),
                **({"ptac_kg": v["ptac"]} if v["ptac"] else {}))


PLATE_TAKEN = "Un véhicule immatriculé {plate} est déjà en stock."


@bp.route("/vehicules/nouveau", methods=["GET", "POST"])
def vehicle_new():
    """Création d'un véhicule: Marque*, Énergie*, Mise en circulation*, Année du modèle*, Modèle*,
    Version* from the referential; Equivalence constructeur comes from the chosen version."""
    form = VehicleForm()
    if request.method == "POST":
        values = _check_vehicle(form, request.form.get("version_id", ""))
        if values is not None:
            with writing() as tx:
                # the plate checked again in the write transaction: the same form sent twice at once
                # (a double click) is written one after the other, the second finding the first
                taken = values["plate"] and tx.scalar(select(Vehicle.id).where(Vehicle.plate == values["plate"]))
                if not taken:
                    number = next_number(tx, Counter, "vehicle", Vehicle.id, start=1)
                    vehicle = new_vehicle(values.pop("version"), reference=str(700000 + number), **values)
                    tx.add(vehicle)
                    tx.flush()
                    vehicle_id = vehicle.id
            if not taken:
                return redirect(url_for("stock.vehicle_card", vehicle_id=vehicle_id))
            form.add_error("immatriculation", PLATE_TAKEN.format(plate=values["plate"]))
    return render_template("tec3h/vehicle_form.html", form=form,
                           chosen=referential.version(request.form.get("version_id", ""))), \
        (422 if form.error_list else 200)


@bp.get("/vehicules/<int:vehicle_id>")
def vehicle_card(vehicle_id: int):
    session = _db()
    vehicle = session.get(Vehicle, vehicle_id) or abort(404)
    order = session.scalar(select(Order).where(Order.vehicle_id == vehicle_id).order_by(Order.id.desc()))
    warranty = order and session.scalar(select(Warranty).where(Warranty.order_id == order.id))
    from simulators.tec3h.warranty import refresh
    refresh(warranty)  # the contract number shows even if the centralisateur's callback was missed
    version = referential.version(vehicle.version_id)
    return render_template("tec3h/vehicle_card.html", vehicle=vehicle, order=order, warranty=warranty,
                           version=version, nedc=referential.nedc(version),
                           equipment=referential.standard_equipment(version))
