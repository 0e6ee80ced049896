"""Gestion clients: the customer list, and customer creation (particulier or pro) also reached from
the order's "Créer un client" link, which returns to the order with the new client chosen."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select

from common.web import local_path
from fixtures import reference
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import writing
from simulators.tec3h.forms import CIVILITIES, CO_HOLDER, KINDS, CustomerForm  # noqa: F401 (re-exported)
from common.counters import next_number
from simulators.tec3h.store import Counter, Customer, Order

bp = Blueprint("customers", __name__)



def check_customer(form: CustomerForm) -> dict | None:
    """The customer's stored values, or None with the French messages left on ``form``: a particulier
    needs Civilité, Nom de naissance and Prénoms; a pro needs a Raison sociale and leaves Nom de
    naissance empty."""
    if not form.check():
        return None
    v = form.values()
    pro = v["type_client"] == "pro"
    return dict(
        kind=v["type_client"], category=v["categorie"], contact_origin=v["origine"], civility=v["civilite"],
        birth_name=v["nom_naissance"], usage_name=v["nom_usage"], first_names=v["prenoms"],
        profession=v["profession"], birth_date=v["date_naissance"], birth_city=v["ville_naissance"],
        birth_department=v["departement_naissance"], birth_country=v["pays_naissance"],
        company_name=v["raison_sociale"] if pro else None, siret=v["siret"] if pro else None,
        vat_number=v["tva"] if pro else None, id_type=v["type_piece"], id_number=v["numero_piece"],
        id_issue_date=v["date_piece"], id_issue_city=v["ville_piece"], licence_number=v["numero_permis"],
        licence_category=v["categorie_permis"], licence_issue_date=v["date_permis"],
        main_driver=form.conducteur_principal.data != "non", address=v["adresse"],
        address2=v["adresse2"], postcode=v["code_postal"], city=v["ville"], phone=v["tel_fixe"],
        mobile=v["tel_mobile"], email=v["email"], sex=v["sexe"],
        co_holder={n[3:]: (v[n].isoformat() if hasattr(v[n], "isoformat") else v[n]) for n in CO_HOLDER
                   if v[n]} | {"conducteur_principal": form.co_conducteur_principal.data == "oui"}
        if any(v[n] for n in CO_HOLDER) else None)


def _customer_form_values(customer: Customer) -> dict:
    return {"type_client": customer.kind, "categorie": customer.category, "origine": customer.contact_origin,
            "civilite": customer.civility, "nom_naissance": customer.birth_name,
            "nom_usage": customer.usage_name, "prenoms": customer.first_names,
            "profession": customer.profession, "date_naissance": customer.birth_date,
            "ville_naissance": customer.birth_city, "departement_naissance": customer.birth_department,
            "pays_naissance": customer.birth_country, "raison_sociale": customer.company_name,
            "siret": customer.siret, "tva": customer.vat_number, "adresse": customer.address,
            "type_piece": customer.id_type, "numero_piece": customer.id_number,
            "date_piece": customer.id_issue_date, "ville_piece": customer.id_issue_city,
            "numero_permis": customer.licence_number, "categorie_permis": customer.licence_category,
            "date_permis": customer.licence_issue_date,
            "conducteur_principal": "oui" if customer.main_driver else "non",
            "adresse2": customer.address2, "code_postal": customer.postcode, "ville": customer.city,
            "tel_fixe": customer.phone, "tel_mobile": customer.mobile, "email": customer.email,
            "sexe": customer.sex, **_co_holder_values(customer.co_holder or {})}


def _co_holder_values(co: dict) -> dict:
    values = {f"co_{k}": v for k, v in co.items() if f"co_{k}" in CO_HOLDER}
    for key in ("co_date_naissance", "co_date_piece"):
        if values.get(key):
            values[key] = dt.date.fromisoformat(values[key])
    values["co_conducteur_principal"] = "oui" if co.get("conducteur_principal") else "non"
    return values


def _render_form(form: CustomerForm, customer=None, next_url=None):
    return render_template("tec3h/customer_form.html", form=form, customer=customer, next_url=next_url), \
        (422 if form.error_list else 200)


@bp.get("/clients")
def customer_list():
    q = (request.args.get("q") or "").strip()[:60]
    stmt = select(Customer).order_by(Customer.id.desc())
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Customer.birth_name.ilike(like), Customer.usage_name.ilike(like),
                              Customer.first_names.ilike(like), Customer.company_name.ilike(like),
                              Customer.email.ilike(like), Customer.city.ilike(like)))
    return render_template("tec3h/customers.html", customers=_db().scalars(stmt.limit(200)).all(), q=q)


@bp.route("/clients/nouveau", methods=["GET", "POST"])
def customer_new():
    next_url = local_path(request.values.get("next"))
    if request.method == "GET":
        return _render_form(CustomerForm(formdata=None, data={"type_client": "particulier",
                                                              "pays_naissance": "France"}),
                            next_url=next_url)
    form = CustomerForm()
    values = check_customer(form)
    if values is None:
        return _render_form(form, next_url=next_url)
    first = reference.load("tec3h_stock")["first_customer_number"]
    with writing() as tx:
        customer = Customer(**values)
        customer.id = next_number(tx, Counter, "customer", Customer.id, start=first)
        tx.add(customer)
    flash(f"Client N° {customer.id} {customer.display_name} enregistré.")
    if request.form.get("ensuite") == "nouveau":  # « Ajouter un nouveau client »: a blank form again
        return redirect(url_for("customers.customer_new", next=next_url) if next_url
                        else url_for("customers.customer_new"))
    if next_url:
        sep = "&" if "?" in next_url else "?"
        return redirect(f"{next_url}{sep}{urlencode({'client': customer.id})}")
    return redirect(url_for("customers.customer_list"))


@bp.route("/clients/<int:customer_id>/modifier", methods=["GET", "POST"])
def customer_edit(customer_id: int):
    customer = _db().get(Customer, customer_id) or abort(404)
    if request.method == "GET":
        return _render_form(CustomerForm(formdata=None, data=_customer_form_values(customer)), customer)
    form = CustomerForm()
    values = check_customer(form)
    if values is None:
        return _render_form(form, customer)
    with writing() as tx:
        stored = tx.get(Customer, customer_id)
        for key, value in values.items():
            setattr(stored, key, value)
    flash(f"Client N° {customer.id} modifié.")
    return redirect(url_for("customers.customer_list"))


@bp.post("/clients/<int:customer_id>/supprimer")
def customer_delete(customer_id: int):
    with writing() as tx:
        customer = tx.get(Customer, customer_id) or abort(404)
        has_orders = tx.scalar(select(Order.id).where(Order.customer_id == customer_id).limit(1))
        if not has_orders:
            tx.delete(customer)
    if has_orders:
        flash(f"Le client N° {customer_id} a des bons de commande : il ne peut pas être supprimé.",
              "error")
    else:
        flash(f"Client N° {customer_id} supprimé.")
    return redirect(url_for("customers.customer_list"))
