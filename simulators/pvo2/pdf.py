"""The PDF bon de commande (seed 002's sections: Vendeur, Client, Véhicule, Garantie, Observations)."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from common.dates import fr_date
from common import formats
from fixtures import reference

STYLES = getSampleStyleSheet()


def _euros(value) -> str:
    return f"{formats.euros(value)} T.T.C."


def _p(text: str, style: str = "Normal") -> Paragraph:
    return Paragraph(escape(text), STYLES[style])


def _table(rows: list[tuple[str, str]]) -> Table:
    table = Table([[_p(k), _p(v)] for k, v in rows], colWidths=[70 * mm, 105 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _document(order, site, seller: dict, document: dict, company: str, options: dict) -> list:
    v, c = order.vehicle, order.customer
    found = reference.product_for_dms_level(v.warranty_level or "")
    months = found[1] if found else None
    brand = document["code"].replace("SPOTICAR-", "SPOTiCAR ").replace("-", " ")
    civility = "M." if c.civility == "M" else "Mme"
    return [
        _p(brand, "Title"),
        _p(f"{document['name']} — AP Version 2020/12"),
        _p("[X] Achat   [ ] Location avec Option d'Achat"),  # Helvetica has no ballot-box glyph
        _p("Bon de commande d'un véhicule", "Heading2"),
        _p(v.warranty_level or "Sans garantie commerciale"),
        _p(f"Avec une garantie commerciale d'une durée de {months} mois - N° {options.get('warranty_number', '')}"
           if months else "Sans garantie commerciale"),
        Spacer(1, 4 * mm),
        _p("CONCESSIONNAIRE/REPARATEUR AGREE/AGENT (ci-après dénommé « Vendeur »)", "Heading3"),
        _table([("Dénomination", f"{site.company_name} — {company}"),
                ("Adresse", f"{site.address} {site.postcode} {site.city}"),
                ("Code RRDI", site.rrdi or "non renseigné"),
                ("Numéro de proposition", str(order.number)),
                ("Conseiller Commercial", seller["name"]), ("Email", seller["email"]),
                # left blank, as on the printed form: filled by hand when an apporteur d'affaires is involved
                ("Cachet de l'Apporteur d'Affaires", ""), ("Code Vendeur", ""), ("Code Apporteur d'Affaires", "")]),
        _p("CLIENT", "Heading3"),
        _table([("NOM/Prénom ou Raison Sociale", f"{civility} {c.last_name} {c.first_name}"),
                ("SIRET / SIREN", ""),
                ("Conjoint/Co-emprunteur", order.co_holder.display_name if order.co_holder else ""),
                ("Adresse", f"{c.address} {c.postcode} {c.city}"),
                ("Téléphone fixe / portable / fax", c.phone), ("E-mail", c.email),
                ("Code ESA", options.get("esa", ""))]),
        _p("VEHICULE", "Heading3"),
        _table([("Marque / Modèle / Version", f"{v.brand} {v.model} {v.version}"),
                ("Genre", v.kind), ("N° de VIN", v.vin), ("N° d'immatriculation", v.plate),
                ("Teinte Extérieure", v.color),
                ("Date de 1re mise en circulation", fr_date(v.first_registration)),
                ("Kilométrage compteur", formats.number(v.mileage_km)),
                ("Puissance fiscale", f"{v.fiscal_power} cv"), ("Boîte de vitesse", v.gearbox),
                ("Energie", v.energy), ("Origine du véhicule", v.provenance),
                ("Usage prévu du Véhicule", options.get("usage", "")),
                ("N° Département souhaité", ""),
                ("Date limite de livraison", fr_date(order.delivery_date)),
                ("Lieu de livraison", site.label),
                ("Début de Garantie Contractuelle", options.get("start", "")),
                ("Fin de Garantie Contractuelle", options.get("end", "")),
                ("Tarif du véhicule", _euros(v.price_ttc)), ("Total Accessoires", _euros(0)),
                ("Sous Total", _euros(v.price_ttc)), ("Total Frais Annexes", _euros(0))]),
        _p("Observations :", "Heading3"),
        _p(f"Label constructeur : {v.label or 'aucun'} — Garantie : {v.warranty_level or 'aucune'}"),
    ]


def order_form_pdf(order, site, seller: dict, documents: list[dict], company: str, options: dict) -> bytes:
    """One bon de commande per chosen document, in one PDF."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=f"Bon de commande n°{order.number}",
                            author=site.label, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm)
    story: list = []
    for index, document in enumerate(documents):
        if index:
            story.append(PageBreak())
        story.extend(_document(order, site, seller, document, company, options))
    doc.build(story)
    return buffer.getvalue()
