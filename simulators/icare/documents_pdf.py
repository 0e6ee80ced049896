"""PDF of an accounting document (reportlab): issuer, establishment, period, lines and total."""
from __future__ import annotations

import io

from common import formats
from simulators.icare.portal_store import IcareDocument
from simulators.icare.store import IcareDealer

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]


def period_label(doc: IcareDocument) -> str:
    """« novembre 2026 »: the month a document covers, in French."""
    return f"{MONTHS[doc.month.month - 1]} {doc.month.year}"


euros = formats.euros  # 1 234,50 €


def render(doc: IcareDocument, dealer: IcareDealer) -> bytes:
    """The document as PDF bytes."""
    from reportlab.lib.pagesizes import A4  # reportlab is imported at the first PDF, not at start
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    pdf.setTitle(f"{doc.doc_type} {doc.number}")
    width, height = A4
    y = height - 20 * mm

    def line(text: str, size: int = 10, x: float = 20 * mm, bold: bool = False) -> None:
        nonlocal y
        if y < 20 * mm:
            pdf.showPage()
            y = height - 20 * mm
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(x, y, text)
        y -= size * 0.5 * mm + 2 * mm

    line(doc.issuer, 14, bold=True)
    line("Services.Spoticar — Icare, gestionnaire des garanties")
    y -= 4 * mm
    line(f"{doc.doc_type} n° {doc.number}", 16, bold=True)
    line(f"Période : {period_label(doc)}")
    line(doc.title)
    y -= 4 * mm
    line(f"{dealer.name} — code T {dealer.code_t} — RRDI {dealer.rrdi}", bold=True)
    line(f"{dealer.address}, {dealer.postcode} {dealer.city}")
    y -= 4 * mm
    line("Libellé", bold=True)
    for item in doc.lines:
        line(f"{item['label']}  |  {item['plate']}  |  {item['reference']}  |  {euros(item['amount'])}", 9)
    if not doc.lines:
        line("Aucune ligne sur la période.", 9)
    y -= 4 * mm
    line(f"Total du prélèvement : {euros(doc.total)}", 12, bold=True)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
