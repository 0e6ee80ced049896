"""The order as a PDF (reportlab): PDF Proposition / Bon de commande."""
from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from common.dates import fr_date
from simulators.tec3h.store import Order


def _money(value) -> str:
    return f"{value:,.2f} €".replace(",", " ").replace(".", ",")


def order_pdf(order: Order, dealer: dict, lines: list[dict]) -> bytes:
    """A one-page bon de commande with the dealer, customer, vehicle, lines and total."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    pdf.setTitle(f"{order.status} N° {order.number}")
    y = A4[1] - 2 * cm

    def line(text: str, size: int = 10, gap: float = 0.55):
        nonlocal y
        pdf.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
        pdf.drawString(2 * cm, y, text)
        y -= gap * cm

    title = "BON DE COMMANDE" if order.status == "Commande" else "PROPOSITION"
    line(f"{title} N° {order.number}", 14, 0.9)
    line(f"{dealer.get('name', '')} ({dealer.get('rrdi', '')})")
    line(f"{dealer.get('address', '')} {dealer.get('postcode', '')} {dealer.get('city', '')}", gap=0.9)
    c = order.customer
    line("Client", 12)
    line(f"N° {c.id} {c.display_name}")
    line(f"{c.address or ''} {c.postcode or ''} {c.city or ''}")
    line(f"{c.email or ''} {c.mobile or c.phone or ''}", gap=0.9)
    v = order.vehicle
    line("Véhicule", 12)
    line(f"{v.title} - {v.mileage_km} km")
    line(f"Immatriculation : {v.plate or ''}   VIN : {v.vin or ''}   Réf. : {v.reference}", gap=0.9)
    line("Désignation / Total TTC", 12)
    line(f"{v.title} : {_money(order.vehicle_price_ttc)}")
    for item in lines:
        line(f"{item['designation']} : {_money(item['ttc'])}")
    line(f"Total TTC : {_money(order.total_ttc)}", 12, 0.9)
    line(f"Date de vente : {fr_date(order.sale_date) or '-'}   "
         f"Date de livraison : {fr_date(order.delivery_date) or '-'}")
    line(f"Commercial : {order.seller}   Mode paiement : {order.payment_mode}")
    line("Vente en France Métropolitaine")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
