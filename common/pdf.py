"""Real PDF documents (reportlab): a title, then sections of "label : value" lines."""
from __future__ import annotations

import io
from collections.abc import Sequence

Section = tuple[str, Sequence[tuple[str, str]]]


def sectioned_pdf(title: str, sections: Sequence[Section], subtitle: str = "",
                  footer: Sequence[str] = (), notes: tuple[str, Sequence[str]] | None = None) -> bytes:
    """An A4 document; long sections flow onto further pages. ``notes``: a heading and paragraphs
    printed whole (wrapped, never cut). Text is drawn, not rasterised, so a PDF reader (and the
    tests) can extract it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(title)
    width, height = A4
    left, y = 18 * mm, height - 20 * mm

    def ensure(space: float):
        nonlocal y
        if y - space < 20 * mm:
            pdf.showPage()
            y = height - 20 * mm

    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(left, y, title)
    y -= 7 * mm
    if subtitle:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(left, y, subtitle)
        y -= 6 * mm
    for heading, lines in sections:
        ensure(14 * mm)
        y -= 3 * mm
        pdf.setFillColorRGB(0.12, 0.16, 0.31)
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(left, y, heading)
        pdf.setFillColorRGB(0, 0, 0)
        y -= 6 * mm
        for label, value in lines:
            ensure(6 * mm)
            pdf.setFont("Helvetica-Bold", 9)
            pdf.drawString(left + 2 * mm, y, f"{label} :")
            pdf.setFont("Helvetica", 9)
            pdf.drawString(left + 62 * mm, y, str(value if value not in (None, "") else "")[:95])
            y -= 5 * mm
    text_width = width - 2 * left
    if notes:
        heading, paragraphs = notes
        ensure(14 * mm)
        y -= 4 * mm
        pdf.setFont("Helvetica-Bold", 11)
        pdf.drawString(left, y, heading)
        y -= 6 * mm
        for paragraph in paragraphs:
            for line in simpleSplit(paragraph, "Helvetica", 9, text_width):
                ensure(5 * mm)
                pdf.setFont("Helvetica", 9)
                pdf.drawString(left, y, line)
                y -= 4.5 * mm
            y -= 1.5 * mm
    if footer:
        y -= 4 * mm
        for paragraph in footer:
            for line in simpleSplit(paragraph, "Helvetica-Oblique", 8, text_width):
                ensure(5 * mm)
                pdf.setFont("Helvetica-Oblique", 8)
                pdf.drawString(left, y, line)
                y -= 4.5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
