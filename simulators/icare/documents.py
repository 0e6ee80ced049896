"""Monthly accounting documents of an establishment, built from its NPO records and contracts
according to its configuration (seed 003, « Dans l'onglet Documents »):

- assurance: one monthly Note de Débit, a line per vehicle sold (Stellantis Insurance premium) and per
  NPO (Stellantis Services);
- gestion déléguée: two debits by Stellantis Services, the claims paid for the dealer, and the
  management fees + NPO;
- auto-assurance (and any other garantisseur): one NPO debit by Stellantis Services.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from common.db import month_key
from fixtures import reference
from simulators.icare.portal_store import IcareDocument
from simulators.icare.store import Contract, IcareDealer, NpoRecord, utcnow

DOCUMENT_TYPES = ["Facture Entretien", "Facture Garantie", "Lettre de déduction", "Note de Crédit",
                  "Note de Débit", "Note de Débit Carence"]
DEBIT = "Note de Débit"


def month_of(day: dt.date) -> dt.date:
    """The first day of ``day``'s month (documents are monthly)."""
    return day.replace(day=1)


def _npo_line(record: NpoRecord) -> dict:
    return {"label": "Stellantis Services — NPO (Nouvelle Prestation Obligatoire)",
            "plate": record.plate or "", "reference": record.reference or record.bdc_number,
            "amount": str(record.fee_ht)}


def _premium_line(contract: Contract) -> dict:
    return {"label": f"Stellantis Insurance — prime {contract.product} {contract.duration_months} mois",
            "plate": contract.plate, "reference": contract.number or contract.bdc_number,
            "amount": str(contract.premium_ttc or Decimal("0.00"))}


def _fee_line(contract: Contract, fee: str) -> dict:
    return {"label": f"Stellantis Services — frais de gestion {contract.product}",
            "plate": contract.plate, "reference": contract.number or contract.bdc_number,
            "amount": fee}


def monthly_debits(configuration: str, contracts: list[Contract], npos: list[NpoRecord]) -> list[dict]:
    """The month's debits for one establishment: [{kind, title, issuer, lines}] (pure function)."""
    billing = reference.load("icare_billing")
    services, insurance = billing["issuers"]["services"], billing["issuers"]["assurance"]
    npo_lines = [_npo_line(r) for r in npos]
    if configuration == "assurance":
        return [{"kind": "assurance", "issuer": insurance,
                 "title": "Prélèvement mensuel : primes des véhicules vendus sur le mois (y compris NPO)",
                 "lines": [_premium_line(c) for c in contracts] + npo_lines}]
    if configuration == "gestion_deleguee":
        return [{"kind": "sinistres", "issuer": services,
                 "title": "Prélèvement mensuel : sinistres réglés pour votre compte", "lines": []},
                {"kind": "frais_npo", "issuer": services,
                 "title": "Prélèvement mensuel : frais de gestion + NPO",
                 "lines": [_fee_line(c, billing["management_fee_ht"]) for c in contracts] + npo_lines}]
    return [{"kind": "npo", "issuer": services, "title": "Prélèvement mensuel : NPO",
             "lines": npo_lines}]


def claim_documents(claims: list, deductible_ht: Decimal) -> list[dict]:
    """The month's documents born of workshop claims (pure function): the repairer's invoices
    (Facture Garantie / Facture Entretien), Icare's credit of accepted warranty work (Note de
    Crédit) less the deductible (Lettre de déduction), and work during the carence charged back to
    the point of sale (Note de Débit Carence)."""
    services = reference.load("icare_billing")["issuers"]["services"]
    line = lambda c, amount, label: {"label": label, "plate": c.plate, "reference": c.number,  # noqa: E731
                                     "amount": str(amount)}
    granted = [c for c in claims if c.status != "refusee"]
    warranty = [c for c in granted if c.nature == "Garantie"]
    accepted = [c for c in warranty if c.status == "accordee"]
    kinds = [
        ("facture_garantie", "Facture Garantie", "Travaux réalisés au titre de la garantie",
         [line(c, c.amount_ht, f"Garantie — {c.description[:60]}") for c in warranty]),
        ("facture_entretien", "Facture Entretien", "Travaux d'entretien",
         [line(c, c.amount_ht, f"Entretien — {c.description[:60]}") for c in granted if c.nature == "Entretien"]),
        ("credit", "Note de Crédit", "Prises en charge accordées créditées au point de vente",
         [line(c, max(c.amount_ht - deductible_ht, Decimal("0.00")), "Prise en charge accordée") for c in accepted]),
        ("deduction", "Lettre de déduction", "Franchise déduite des prises en charge",
         [line(c, min(deductible_ht, c.amount_ht), "Franchise") for c in accepted]),
        ("carence", "Note de Débit Carence", "Interventions pendant la période de carence, à la charge du point de vente",
         [line(c, c.amount_ht, "Intervention en période de carence") for c in warranty if c.status == "carence"]),
    ]
    return [{"kind": kind, "doc_type": doc_type, "issuer": services, "title": title, "lines": lines}
            for kind, doc_type, title, lines in kinds if lines]


def _month(key: str) -> dt.date:
    return dt.date(int(key[:4]), int(key[5:7]), 1)


def fingerprints(session: Session, dealer: IcareDealer) -> dict[dt.date, tuple]:
    """Per month, what the month's debits are built from, summed up in SQL (count, last id, amounts
    of its contracts and NPO records): contracts and NPO records never change once created, so an
    equal fingerprint means the month's debits are already up to date."""
    prints: dict[dt.date, list] = defaultdict(lambda: [dealer.configuration, None, None])
    dialect = session.get_bind().dialect.name
    month = month_key(Contract.start_date, dialect)
    for key, n, last, amount in session.execute(
            select(month, func.count(Contract.id), func.max(Contract.id), func.sum(Contract.premium_ttc))
            .where(Contract.code_t == dealer.code_t).group_by(month)):
        prints[_month(key)][1] = (n, last, str(amount))
    month = month_key(func.coalesce(NpoRecord.sale_date, func.date(NpoRecord.created_at)), dialect)
    for key, n, last, amount in session.execute(
            select(month, func.count(NpoRecord.id), func.max(NpoRecord.id), func.sum(NpoRecord.fee_ht))
            .where(NpoRecord.code_t == dealer.code_t).group_by(month)):
        prints[_month(key)][2] = (n, last, str(amount))
    return {key: tuple(value) for key, value in prints.items()}


def summary(session: Session, dealer: IcareDealer) -> tuple:
    """The last id of the establishment's contracts and NPO records (one seek in each ``code_t``
    index): rows are only ever added, never changed or deleted, so an equal summary means no month
    changed."""
    return (dealer.configuration, *(session.scalar(select(func.max(model.id)).where(model.code_t == dealer.code_t))
                                    for model in (Contract, NpoRecord)))


def generate(session: Session, dealer: IcareDealer, known: dict | None = None) -> dict:
    """Create or refresh the documents of every month in which the establishment sold a vehicle or
    filed a workshop claim. ``known``: what an earlier call returned, once its transaction committed;
    the debits of a month whose fingerprint is unchanged are not rebuilt, and when nothing was added
    since, no month is even summed up again. Returns what to remember for the next call."""
    from simulators.icare.claims import Claim
    known = known or {}
    quick = summary(session, dealer)
    documented = set(session.scalars(select(IcareDocument.month).where(IcareDocument.code_t == dealer.code_t)))
    if known.get("summary") == quick and set(known["months"]) <= documented:
        prints, stale = known["months"], set()
    else:
        prints = fingerprints(session, dealer)
        stale = {m for m, fp in prints.items() if known.get("months", {}).get(m) != fp or m not in documented}
    contracts, npos, claims = defaultdict(list), defaultdict(list), defaultdict(list)
    for c in session.scalars(select(Claim).where(Claim.code_t == dealer.code_t)):
        claims[month_of(c.work_date)].append(c)
    if stale:  # only the stale months' rows are loaded
        first, last = min(stale), max(stale)
        upto = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        for c in session.scalars(select(Contract).where(Contract.code_t == dealer.code_t,
                                                        Contract.start_date >= first, Contract.start_date < upto)
                                 .order_by(Contract.id)):
            if month_of(c.start_date) in stale:
                contracts[month_of(c.start_date)].append(c)
        day = func.coalesce(NpoRecord.sale_date, func.date(NpoRecord.created_at))
        for r in session.scalars(select(NpoRecord).where(NpoRecord.code_t == dealer.code_t, day >= first,
                                                         day < upto).order_by(NpoRecord.id)):
            if month_of(r.sale_date or r.created_at.date()) in stale:
                npos[month_of(r.sale_date or r.created_at.date())].append(r)
    months = stale | set(claims)
    existing = {(d.month, d.kind): d for d in session.scalars(
        select(IcareDocument).where(IcareDocument.code_t == dealer.code_t, IcareDocument.month.in_(months)))}
    deductible = Decimal(reference.load("icare_billing")["deductible_ht"])
    for month in sorted(months):
        debits = monthly_debits(dealer.configuration, contracts[month], npos[month]) \
            if contracts[month] or npos[month] else []
        for debit in debits + claim_documents(claims[month], deductible):
            total = sum((Decimal(line["amount"]) for line in debit["lines"]), Decimal("0.00"))
            doc = existing.get((month, debit["kind"]))
            if doc is None:
                doc = IcareDocument(code_t=dealer.code_t, doc_type=debit.get("doc_type", DEBIT), kind=debit["kind"],
                                    month=month)
                session.add(doc)
            if doc.lines != debit["lines"] or doc.total != total:
                doc.lines, doc.total, doc.updated_at = debit["lines"], total, utcnow()
            doc.title, doc.issuer = debit["title"], debit["issuer"]
            if doc.number is None:
                session.flush()
                doc.number = f"{month.year % 100:02d}{month.month:02d}{doc.id:06d}"
    return {"summary": quick, "months": prints}


def search(session: Session, code_t: str, doc_type: str | None, number: str | None,
           start: dt.date | None, end: dt.date | None, counts: dict | None = None) -> list[tuple[IcareDocument, int]]:
    """(document, number of lines) of the establishment's documents matching every criterion given,
    newest month first; the lines themselves are not loaded (thousands a month at 100k sales).
    ``counts``: a cache of line counts by (id, updated_at) kept between calls, so the JSON of a
    document is only measured again once it changed."""
    counts = {} if counts is None else counts
    if len(counts) > 10_000:  # one entry per version of a document: forget the old ones now and then
        counts.clear()
    query = select(IcareDocument).options(defer(IcareDocument.lines)).where(IcareDocument.code_t == code_t)
    if doc_type:
        query = query.where(IcareDocument.doc_type == doc_type)
    if number:
        query = query.where(IcareDocument.number == number)
    if start:
        query = query.where(IcareDocument.month >= start)
    if end:
        query = query.where(IcareDocument.month <= end)
    docs = list(session.scalars(query.order_by(IcareDocument.month.desc(), IcareDocument.id)))
    unknown = [d.id for d in docs if (d.id, d.updated_at) not in counts]
    if unknown:
        lines = func.json_array_length(IcareDocument.lines)
        for doc_id, updated, n in session.execute(select(IcareDocument.id, IcareDocument.updated_at, lines)
                                                  .where(IcareDocument.id.in_(unknown))):
            counts[(doc_id, updated)] = n
    return [(doc, counts[(doc.id, doc.updated_at)]) for doc in docs]
