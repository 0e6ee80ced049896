"""PRISE EN CHARGE ATELIER: file a claim (demande de prise en charge) on one of the establishment's
contracts, and search its claims — the rights « Déposer / Rechercher des demandes de prise en
charge » of seed 003. A claim is decided at once, the way the gestionnaire's rules would: refused
outside the contract's period, charged back to the dealer during the carence, else accepted."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import IdColumn, Money, Plate
from fixtures import reference
from simulators.icare.portal_session import (current_membership, current_user, db_session, right_required,
                                             write)
from simulators.icare.store import Base, Contract, utcnow
from simulators.icare.workshop_forms import ClaimForm

bp = Blueprint("icare_claims", __name__, url_prefix="/prise-en-charge")

STATUSES = {"accordee": "Accordée", "carence": "Accordée — à la charge du point de vente (carence)",
            "refusee": "Refusée"}


class Claim(IdColumn, Base):
    """A demande de prise en charge atelier on one contract."""
    __tablename__ = "icare_claims"
    number: Mapped[str | None] = mapped_column(String(12), unique=True)
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"), index=True)
    contract_number: Mapped[str] = mapped_column(String(11))
    plate: Mapped[Plate]
    nature: Mapped[str] = mapped_column(String(20))
    work_date: Mapped[dt.date]
    mileage_km: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    amount_ht: Mapped[Money]
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300), default="")
    filed_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


def decide(contract: Contract, work_date: dt.date, nature: str, carence_days: int) -> tuple[str, str]:
    """(status, reason) of a claim (pure function)."""
    if contract.status != "actif":
        return "refusee", f"Le contrat n° {contract.number} n'est pas actif."
    if not contract.start_date <= work_date <= contract.end_date:
        return "refusee", (f"L'intervention du {work_date:%d/%m/%Y} est hors de la période de garantie "
                           f"(du {contract.start_date:%d/%m/%Y} au {contract.end_date:%d/%m/%Y}).")
    if nature == "Garantie" and (work_date - contract.start_date).days < carence_days:
        return "carence", (f"Intervention pendant les {carence_days} premiers jours du contrat (carence) : "
                           "refacturée au point de vente par une Note de Débit Carence.")
    return "accordee", ""


@bp.route("/nouvelle", methods=["GET", "POST"])
@right_required("depot_pec")
def new():
    """Déposer une demande de prise en charge on a contract of this establishment."""
    code_t = current_membership().code_t
    form = ClaimForm(data={"contract_number": request.args.get("contrat", "")[:11]})
    if request.method == "GET":
        return render_template("icare/claim_new.html", form=form)
    contract = None
    if form.validate():
        contract = db_session().scalar(select(Contract).where(Contract.code_t == code_t,
                                                              Contract.number == form.contract_number.value))
        if contract is None:
            form.add_error("contract_number", f"Aucun contrat n° {form.contract_number.value} pour cet établissement.")
    if form.error_list:
        return render_template("icare/claim_new.html", form=form), 422
    values = form.values()
    carence = int(reference.load("icare_billing")["carence_days"])
    status, reason = decide(contract, values["work_date"], values["nature"], carence)
    with write() as tx:
        # the same claim sent again (a double click, a second tab): the one filed, never a second one
        number = tx.scalar(select(Claim.number).where(
            Claim.code_t == code_t, Claim.contract_number == contract.number, Claim.nature == values["nature"],
            Claim.work_date == values["work_date"], Claim.mileage_km == values["mileage_km"],
            Claim.amount_ht == values["amount_ht"], Claim.description == values["description"]))
        if number is not None:
            return redirect(url_for("icare_claims.search", q=number, depose=1))
        claim = Claim(code_t=code_t, contract_number=contract.number, plate=contract.plate,
                      nature=values["nature"], work_date=values["work_date"],
                      mileage_km=values["mileage_km"], description=values["description"],
                      amount_ht=values["amount_ht"], status=status, reason=reason,
                      filed_by=current_user().email)
        tx.add(claim)
        tx.flush()
        claim.number = f"PEC{claim.id:08d}"
        number = claim.number
    return redirect(url_for("icare_claims.search", q=number, depose=1))


@bp.get("")
@right_required("recherche_pec", "depot_pec")
def search():
    """Rechercher des demandes de prise en charge: by n° de dossier, contract or plate."""
    membership = current_membership()
    can_search = membership.has("recherche_pec")
    q = (request.args.get("q") or "").strip().upper()[:20]
    claims = []
    if can_search or q:
        query = select(Claim).where(Claim.code_t == membership.code_t)
        if not can_search:  # a user who may only file sees the claim just filed
            query = query.where(Claim.filed_by == current_user().email)
        if q:
            compact = q.replace("-", "").replace(" ", "")
            query = query.where(or_(Claim.number == q, Claim.contract_number == compact,
                                    Claim.plate == q, Claim.plate.ilike(f"%{q}%")))
        claims = list(db_session().scalars(query.order_by(Claim.id.desc()).limit(200)))
    return render_template("icare/workshop.html", claims=claims, q=q, statuses=STATUSES,
                           filed=request.args.get("depose") == "1", can_search=can_search,
                           can_file=membership.has("depot_pec"))
