"""Portal pages behind the login: ACCUEIL, search, LISTE DEVIS ET CONTRATS, PRISE EN CHARGE ATELIER,
EASICARE."""
from __future__ import annotations

import re

from flask import Blueprint, render_template, request
from sqlalchemy import func, or_, select

from common.parsing import ParseError, parse_date
from common.forms import formats
from fixtures import reference
from simulators.icare.portal_session import current_membership, db_session, login_required, right_required
from simulators.icare.store import Contract, NpoRecord

bp = Blueprint("icare_portal", __name__)

SEARCH_LABEL = "Immatriculation, n° contrat, n° accord"
CONTRACT_RE = re.compile(r"^[0-9]{11}$")
ACCORD_RE = re.compile(r"^SP[0-9A-Z]{7}[0-9]{9}$")
SEARCH_HELP = ("Saisissez une immatriculation (ex. : AA-123-AA), un n° de contrat (11 chiffres) ou un "
               "n° d'accord (ex. : SP953617Z103833712).")


def parse_search(text: str) -> tuple[str, str] | None:
    """("plate"|"number"|"accord", normalized value) for what a user typed, None if unusable."""
    value = re.sub(r"\s+", "", (text or "").upper())[:40]
    if formats.is_valid("plate", value):
        return "plate", formats.run("plate", value)
    if CONTRACT_RE.match(value):
        return "number", value
    if ACCORD_RE.match(value):
        return "accord", value
    return None


# what a row of the contract tables (``icare/_contract_rows.html``) shows
LISTED = (Contract.number, Contract.bdc_number, Contract.plate, Contract.customer_civility,
          Contract.customer_last_name, Contract.customer_first_name, Contract.brand, Contract.model,
          Contract.product, Contract.duration_months, Contract.start_date, Contract.end_date, Contract.status)


def _contracts(code_t: str):
    return select(Contract).where(Contract.code_t == code_t).order_by(Contract.id.desc())


@bp.get("/accueil")
@login_required
def home():
    """ACCUEIL: the establishment, its latest contracts count and the support contacts."""
    code_t = current_membership().code_t
    db = db_session()
    count = db.scalar(select(func.count(Contract.id)).where(Contract.code_t == code_t))
    npo = db.scalar(select(func.count(NpoRecord.id)).where(NpoRecord.code_t == code_t))
    return render_template("icare/home.html", contract_count=count, npo_count=npo,
                           support=reference.load("support_contacts")["src_gestionnaire"])


@bp.get("/recherche")
@right_required("recherche")
def search():
    """The header search: a contract by plate, contract number or accord (bdc) number."""
    text = request.args.get("q", "")
    parsed = parse_search(text)
    if parsed is None:
        return render_template("icare/search.html", q=text[:40], error=SEARCH_HELP, contracts=[]), 400
    kind, value = parsed
    column = {"plate": Contract.plate, "number": Contract.number, "accord": Contract.bdc_number}[kind]
    code_t = current_membership().code_t
    contracts = db_session().scalars(_contracts(code_t).where(column == value)).all()
    return render_template("icare/search.html", q=text[:40], contracts=contracts, kind=kind, value=value)


ADVANCED = {"immatriculation": "Immatriculation", "contrat": "N° contrat", "accord": "N° accord",
            "vin": "VIN", "client": "Nom du client", "produit": "Produit", "du": "Début de garantie du",
            "au": "au"}


@bp.get("/recherche-avancee")
@right_required("recherche")
def advanced_search():
    """Recherche avancée: every criterion given must match (dates JJ/MM/AAAA on the start date)."""
    args = {k: (request.args.get(k) or "").strip()[:40] for k in ADVANCED}
    errors, dates = [], {}
    for key in ("du", "au"):
        try:
            dates[key] = parse_date(args[key], label=ADVANCED[key])
        except ParseError as exc:
            errors.append(exc.message)
    if not any(args.values()) or errors:
        return render_template("icare/advanced_search.html", args=args, fields=ADVANCED, errors=errors,
                               contracts=None, products=_products()), 400 if errors else 200
    query = _contracts(current_membership().code_t)
    compact = lambda v: re.sub(r"[\s-]", "", v.upper())  # noqa: E731
    if args["immatriculation"]:
        query = query.where(func.replace(Contract.plate, "-", "") == compact(args["immatriculation"]))
    for key, column in (("contrat", Contract.number), ("accord", Contract.bdc_number), ("vin", Contract.vin)):
        if args[key]:
            query = query.where(column == compact(args[key]))
    if args["client"]:
        query = query.where(Contract.customer_last_name.ilike(f"%{args['client']}%"))
    if args["produit"]:
        query = query.where(Contract.product == args["produit"])
    if dates.get("du"):
        query = query.where(Contract.start_date >= dates["du"])
    if dates.get("au"):
        query = query.where(Contract.start_date <= dates["au"])
    return render_template("icare/advanced_search.html", args=args, fields=ADVANCED, errors=[],
                           contracts=db_session().scalars(query.limit(200)).all(), products=_products())


def _products() -> list[str]:
    return [p["product"] for p in reference.warranty_products()]


@bp.get("/contrats")
@right_required("recherche")
def contract_list():
    """LISTE DEVIS ET CONTRATS: the establishment's contracts, newest first (optional filter)."""
    text = (request.args.get("filtre") or "").strip()[:40]
    # the listed columns only, as rows: loading 200 whole Contract objects was most of the page
    query = select(*LISTED).where(Contract.code_t == current_membership().code_t).order_by(Contract.id.desc())
    if text:
        like = f"%{text.upper()}%"
        query = query.where(or_(Contract.plate.like(like), Contract.number.like(like),
                                Contract.bdc_number.like(like), Contract.customer_last_name.ilike(like)))
    return render_template("icare/contracts.html", contracts=db_session().execute(query.limit(200)).all(),
                           filtre=text)


@bp.get("/contrats/<number>")
@right_required("recherche")
def contract_detail(number: str):
    """One contract of the establishment."""
    contract = db_session().scalar(_contracts(current_membership().code_t)
                                   .where(Contract.number == number[:11]))
    if contract is None:
        return render_template("icare/message.html", title="Contrat introuvable",
                               message=f"Aucun contrat n° {number[:11]} pour cet établissement."), 404
    return render_template("icare/contract.html", contract=contract)


@bp.get("/easicare")
@login_required
def easicare():
    """EASICARE: the answers to the login page's question."""
    return render_template("icare/easicare.html")
