"""DOCUMENTS: search the establishment's accounting documents and download them as PDF."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

from flask import Blueprint, Response, current_app, render_template, request

from simulators.icare import documents, documents_pdf
from simulators.icare.portal_session import current_dealer, db_session, right_required, write
from simulators.icare.portal_store import IcareDocument
from simulators.icare.store import IcareDealer

bp = Blueprint("icare_documents", __name__, url_prefix="/documents")

PERIOD_RE = re.compile(r"^(0?[1-9]|1[0-2])/([0-9]{4})$")


def _period(text: str, label: str, errors: list[str]) -> dt.date | None:
    if not text:
        return None
    match = PERIOD_RE.match(text)
    if not match or not 2000 <= int(match.group(2)) <= 2100:
        errors.append(f"{label} : saisissez un mois au format MM/AAAA (ex. : 01/2026).")
        return None
    return dt.date(int(match.group(2)), int(match.group(1)), 1)


@bp.get("")
@right_required("documents")
def search():
    """Search by type, number and period (MM/AAAA to MM/AAAA); lists everything when empty."""
    args = {k: (request.args.get(k) or "").strip()[:40] for k in ("type", "numero", "du", "au")}
    errors: list[str] = []
    doc_type = args["type"] or None
    if doc_type and doc_type not in documents.DOCUMENT_TYPES:
        errors.append("Type de document inconnu : choisissez-le dans la liste.")
    if args["numero"] and not re.fullmatch(r"[0-9]+", args["numero"], re.ASCII):
        errors.append("Le n° de facture ne contient que des chiffres (ex. : 2204003143).")
    start = _period(args["du"], "Période du", errors)
    end = _period(args["au"], "Période au", errors)
    if start and end and start > end:
        errors.append("La période de début doit précéder la période de fin.")
    if errors:
        return render_template("icare/documents.html", args=args, errors=errors, results=None,
                               types=documents.DOCUMENT_TYPES), 400
    # what this process last built, per establishment: unchanged months are not rebuilt
    known = current_app.extensions.setdefault("icare_document_prints", {})
    code_t = current_dealer().code_t
    with write() as tx:  # the month's debits are refreshed, then searched in the same snapshot
        # the dealer's row locked (PostgreSQL): one refresh at a time, so ``known`` matches the store
        dealer = tx.get(IcareDealer, code_t, with_for_update=True)
        prints = documents.generate(tx, dealer, known.get(code_t))
        results = documents.search(tx, code_t, doc_type, args["numero"] or None, start, end,
                                   current_app.extensions.setdefault("icare_document_lines", {}))
    known[code_t] = prints  # only once committed
    return render_template("icare/documents.html", args=args, errors=[], results=results,
                           types=documents.DOCUMENT_TYPES, period_label=documents_pdf.period_label,
                           euros=documents_pdf.euros)


@bp.get("/<number>.pdf")
@right_required("documents")
def download(number: str):
    """The PDF of one of the establishment's documents."""
    dealer = current_dealer()
    doc = db_session().query(IcareDocument).filter_by(code_t=dealer.code_t, number=number[:12]).first()
    if doc is None:
        return render_template("icare/message.html", title="Document introuvable",
                               message=f"Aucun document n° {number[:12]} pour cet établissement."), 404
    response = Response(documents_pdf.render(doc, dealer), mimetype="application/pdf")
    name = f"{doc.doc_type.replace(' ', '_')}_{doc.number}.pdf"
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # RFC 6266: an ASCII fallback, then the accented name (filename*, RFC 5987)
    response.headers["Content-Disposition"] = (f"attachment; filename=\"{plain}\"; "
                                               f"filename*=UTF-8''{quote(name)}")
    return response
