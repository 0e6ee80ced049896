"""The sale as Bee2link and NeoVO record it before a Spoticar declaration: the vehicle, the customer
(état civil and FOCUS consent included), the sale's dates, price, origin and warranty level — one form
on the common form layer for both screens (Bee2link « Saisie d'une vente VO », NeoVO « Nouveau dossier
de vente »), read back into the records the hand-off is built from."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, redirect, request

from common.forms import (CheckboxesField, DateField, EmailField, Form, IntegerField, MoneyField, PhoneField,
                          PlateField, PostcodeField, SelectField, TextField, VinField)
from fixtures import reference


# Registered by the apps using the form: it only lends them the ``dms/sale_fields.html`` macro.
templates = Blueprint("dms_sale_form", __name__, template_folder="templates")


def _choices(name: str):
    return lambda form: reference.load("declaration_form")[name]


def _levels(form) -> list[str]:
    return [name for product in reference.warranty_products() for name in product["dms_levels"]]


# The hand-off ``vehicle`` fields the DMS record keeps (``simulators.dms.store.VehicleColumns``).
VEHICLE_FIELDS = ("brand", "model", "version", "energy", "plate", "vin", "din_power", "fiscal_power", "kw_power",
                  "mileage_km", "usage", "ptac_kg")
CUSTOMER = ("civility", "last_name", "first_name", "birth_name", "birth_date", "birth_place", "birth_country",
            "nationality", "residence_country", "email", "phone", "mobile", "address", "postcode", "city",
            "consent")
SALE = ("seller", "sale_date", "delivery_date", "price_ttc", "origin", "warranty_level")


class SaleForm(Form):
    """Every field of a sale the DMS keeps for its declaration (labels as the declaration asks them)."""

    class Meta:
        id_prefix = "vente-"

    plate = PlateField("Immatriculation", required=True)
    vin = VinField("VIN", required=True)
    brand = TextField("Marque", required=True, max_length=40)
    model = TextField("Modèle", required=True, max_length=60)
    version = TextField("Version", required=True)
    energy = SelectField("Énergie", required=True, choices=_choices("energies"))
    first_registration = DateField("Date de 1re mise en circulation", required=True, past=True)
    din_power = IntegerField("Puissance DIN (ch)", required=True, min=1, max=2000)
    fiscal_power = IntegerField("Puissance fiscale (CV)", required=True, min=1, max=200)
    kw_power = IntegerField("Puissance (kW)", required=True, min=1, max=1500)
    mileage_km = IntegerField("Kilométrage", required=True, min=0, max=2_000_000)
    usage = SelectField("Usage du véhicule", required=True, choices=lambda form: reference.all_usages(),
                        blank=None)
    ptac_kg = IntegerField("PTAC (kg)", required=True, min=300, max=60_000)
    civility = SelectField("Civilité", required=True, choices=_choices("civilities"))
    last_name = TextField("Nom", required=True, max_length=80)
    first_name = TextField("Prénom", required=True, max_length=80)
    birth_name = TextField("Nom de naissance", max_length=80)
    birth_date = DateField("Date de naissance", past=True)
    birth_place = TextField("Lieu de naissance", max_length=80)
    birth_country = TextField("Pays de naissance", max_length=60)
    nationality = TextField("Nationalité", max_length=60)
    residence_country = TextField("Pays de résidence", max_length=60)
    email = EmailField("Email")
    phone = PhoneField("Téléphone fixe", input_type="tel")
    mobile = PhoneField("Téléphone portable", input_type="tel")
    address = TextField("Adresse", required=True)
    postcode = PostcodeField("Code postal", required=True)
    city = TextField("Ville", required=True, max_length=80)
    consent = CheckboxesField("Consentement du client (FOCUS)", choices=_choices("consents"))
    seller = TextField("Vendeur", required=True, max_length=80)
    sale_date = DateField("Date de vente", required=True)
    delivery_date = DateField("Date de livraison", required=True)
    price_ttc = MoneyField("Prix de vente TTC", required=True)
    origin = SelectField("Origine de la vente", required=True, choices=_choices("sale_origins"))
    warranty_level = SelectField("Niveau de garantie", required=True, choices=_levels)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.delivery_date.value < self.sale_date.value:
            self.add_error("delivery_date", "La date de livraison ne peut pas précéder la date de vente.")
            return False
        return ok

    def vehicle(self) -> dict:
        """The vehicle's columns (``simulators.dms.store.VehicleColumns``)."""
        values = self.values()
        return {name: values[name] for name in (*VEHICLE_FIELDS, "first_registration")}

    def customer(self) -> dict:
        """The customer as the DMS stores it: the hand-off's ``customer`` (JSON values)."""
        values = self.values()
        out = {name: values[name] for name in CUSTOMER}
        out["birth_date"] = out["birth_date"].isoformat() if out["birth_date"] else None
        out["consent"] = list(out["consent"] or [])
        return out

    def sale(self) -> dict:
        values = self.values()
        return {name: values[name] for name in SALE}


DECLARED = ("contract_pending", "declared")  # declaration statuses after which a sale no longer changes


def blank_sale() -> dict:
    """What a new sale's form shows: usage particulier, sold and delivered today."""
    today = dt.date.today()
    return {"usage": "particulier", "sale_date": today, "delivery_date": today}


def sale_screen(render, store, shown: dict, refusal: str | None = None):
    """A sale's screen, new or to correct, drawn by the DMS's ``render(form, status=…, error=…)``: a GET
    shows ``shown``; a POST is refused with 409 and ``refusal`` when there is one (its declaration is
    done), with 422 and the typed values when the form is invalid; else ``store(form, tx)`` writes the
    records in ``tx`` and says where to go (303 once committed: a reload posts nothing again). ``tx`` is a
    write transaction, one at a time (``common.db.Database.transaction``): the same form sent twice at
    once is stored one after the other, so ``store`` sees what the first one wrote."""
    if request.method == "GET":
        return render(SaleForm(formdata=None, data=shown))
    form = SaleForm()
    if refusal:
        return render(form, status=409, error=refusal)
    if not form.validate():
        return render(form, status=422)
    with current_app.extensions["db"].transaction() as tx:
        target = store(form, tx)
    return redirect(target, 303)


def form_data(vehicle, sale, price_ttc: str) -> dict:
    """What the form shows for a sale already recorded (to correct it before declaring): ``vehicle``
    has the vehicle's columns, ``sale`` the customer (JSON) and the sale's own columns (Bee2link's order,
    NeoVO's dossier); ``price_ttc`` as typed."""
    data = {name: getattr(vehicle, name) for name in (*VEHICLE_FIELDS, "first_registration")}
    data.update(sale.customer)
    data.update({name: getattr(sale, name) for name in ("seller", "sale_date", "delivery_date", "warranty_level")},
                origin=sale.sale_origin, price_ttc=price_ttc)
    if isinstance(data.get("birth_date"), str):
        data["birth_date"] = dt.date.fromisoformat(data["birth_date"])
    return data
