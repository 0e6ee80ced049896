"""Gestion clients: the customer list, and customer creation (particulier or pro) also reached from
the order's "Créer un client" link, which returns to the order with the new client chosen."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select

from common.dates import fr_date
from fixtures import reference
from simulators.tec3h.data import reads as _db
from simulators.tec3h.data import writing
from simulators.tec3h.forms import FormCheck
from simulators.tec3h.store import Customer, Order

bp = Blueprint("customers", __name__)

KINDS = {"particulier": "Particulier", "pro": "Professionnel"}
CIVILITIES = {"M": "Monsieur", "MME": "Madame"}


def _safe_next(value: str | None) -> str | None:
    """Only a local path may be a return address (no open redirect)."""
    if not value:
        return None
    parts = urlsplit(value)
    return value if value.startswith("/") and not value.startswith("//") and not parts.netloc else None


def check_customer(form) -> tuple[dict, dict[str, str]]:
    """The customer fields, or the French messages: a particulier needs Civilité, Nom de naissance
    and Prénoms; a pro needs a Raison sociale and leaves Nom de naissance empty."""
    stock = reference.load("tec3h_stock")
    check = FormCheck(form)
    kind = check.choice("type_client", "Type de client", KINDS)
    pro = kind == "pro"
    if pro and check.raw("nom_naissance"):
        check.fail("nom_naissance", "Pour un client professionnel, laissez le champ Nom de naissance vide.")
    values = dict(
        kind=kind,
        category=check.choice("categorie", "Catégorie de client", stock["customer_categories"], False),
        contact_origin=check.choice("origine", "Origine du contact", stock["contact_origins"], False),
        civility=check.choice("civilite", "Civilité", CIVILITIES, required=not pro),
        birth_name=check.text("nom_naissance", "Nom de naissance", required=not pro, max_length=80),
        usage_name=check.text("nom_usage", "Nom d'usage", max_length=80),
        first_names=check.text("prenoms", "Prénoms", required=not pro, max_length=80),
        profession=check.text("profession", "Profession", max_length=80),
        birth_date=check.date("date_naissance", "Date de naissance", past=True),
        birth_city=check.text("ville_naissance", "Ville de naissance", max_length=80),
        birth_department=check.text("departement_naissance", "Département de naissance", max_length=40),
        birth_country=check.text("pays_naissance", "Pays de naissance", max_length=60),
        company_name=check.text("raison_sociale", "Raison sociale", required=pro),
        siret=check.siret("siret", "N° Siret"),
        vat_number=check.text("tva", "N° TVA", max_length=20),
        id_type=check.choice("type_piece", "Type de pièce", stock["identity_documents"], False),
        id_number=check.text("numero_piece", "N° de la pièce", max_length=30),
        id_issue_date=check.date("date_piece", "Date de délivrance", past=True),
        id_issue_city=check.text("ville_piece", "Ville d'obtention", max_length=80),
        licence_number=check.text("numero_permis", "N° du permis de conduire", max_length=30),
        licence_category=check.choice("categorie_permis", "Catégorie du permis", stock["licence_categories"],
                                      False),
        licence_issue_date=check.date("date_permis", "Date de délivrance du permis", past=True),
        main_driver=form.get("conducteur_principal", "oui") != "non",
        address=check.text("adresse", "Adresse", required=True),
        address2=check.text("adresse2", "Complément d'adresse"),
        postcode=check.postcode("code_postal", "Code postal", required=True),
        city=check.text("ville", "Ville", required=True, max_length=80),
        phone=check.phone("tel_fixe", "Tel Fixe"),
        mobile=check.phone("tel_mobile", "Tel Mobile"),
        email=check.email("email", "Email"),
    )
    if not pro:
        values["company_name"] = values["siret"] = values["vat_number"] = None
    return values, check.errors


def _customer_form_values(customer: Customer) -> dict:
    date = fr_date(customer.birth_date)
    return {"type_client": customer.kind, "categorie": customer.category, "origine": customer.contact_origin,
            "civilite": customer.civility, "nom_naissance": customer.birth_name,
            "nom_usage": customer.usage_name, "prenoms": customer.first_names,
            "profession": customer.profession, "date_naissance": date,
            "ville_naissance": customer.birth_city, "departement_naissance": customer.birth_department,
            "pays_naissance": customer.birth_country, "raison_sociale": customer.company_name,
            "siret": customer.siret, "tva": customer.vat_number, "adresse": customer.address,
            "type_piece": customer.id_type, "numero_piece": customer.id_number,
            "date_piece": fr_date(customer.id_issue_date), "ville_piece": customer.id_issue_city,
            "numero_permis": customer.licence_number, "categorie_permis": customer.licence_category,
            "date_permis": fr_date(customer.licence_issue_date),
            "conducteur_principal": "oui" if customer.main_driver else "non",
            "adresse2": customer.address2, "code_postal": customer.postcode, "ville": customer.city,
            "tel_fixe": customer.phone, "tel_mobile": customer.mobile, "email": customer.email}


def _render_form(form, errors, customer=None, next_url=None):
    stock = reference.load("tec3h_stock")
    return render_template("tec3h/customer_form.html", form=form, errors=errors, customer=customer,
                           next_url=next_url, kinds=KINDS, civilities=CIVILITIES,
                           categories=stock["customer_categories"], origins=stock["contact_origins"],
                           documents=stock["identity_documents"], licences=stock["licence_categories"]), \
        (422 if errors else 200)


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
    next_url = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return _render_form({"type_client": "particulier", "pays_naissance": "France"}, {},
                            next_url=next_url)
    values, errors = check_customer(request.form)
    if errors:
        return _render_form(request.form, errors, next_url=next_url)
    first = reference.load("tec3h_stock")["first_customer_number"]
    with writing() as tx:
        customer = Customer(**values)
        customer.id = max(tx.scalar(select(func.max(Customer.id))) or 0, first - 1) + 1
        tx.add(customer)
    flash(f"Client N° {customer.id} {customer.display_name} enregistré.")
    if next_url:
        sep = "&" if "?" in next_url else "?"
        return redirect(f"{next_url}{sep}{urlencode({'client': customer.id})}")
    return redirect(url_for("customers.customer_list"))


@bp.route("/clients/<int:customer_id>/modifier", methods=["GET", "POST"])
def customer_edit(customer_id: int):
    customer = _db().get(Customer, customer_id) or abort(404)
    if request.method == "GET":
        return _render_form(_customer_form_values(customer), {}, customer)
    values, errors = check_customer(request.form)
    if errors:
        return _render_form(request.form, errors, customer)
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
