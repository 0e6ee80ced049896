"""Nouveau dossier de vente: the vehicle, its customer, the sale and its invoice entered in one screen
(the dossier then offers Garantir), and the same screen to correct the sale before it is declared."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, redirect, request, url_for
from sqlalchemy import func, select

from simulators.dms.sale_form import SaleForm, form_data, new_sale
from simulators.neovo import views
from simulators.neovo.store import Dossier, Piece

bp = Blueprint("neovo_sales", __name__)
VAT = Decimal("1.20")
DECLARED = ("contract_pending", "declared")


def _render(form: SaleForm, dossier: Dossier | None = None, status: int = 200, error: str | None = None):
    return views.render_screen("neovo/sale_form.html", status, form=form, edited=dossier, error=error)


def _invoice_amounts(ttc: Decimal) -> dict:
    ht = (ttc / VAT).quantize(Decimal("0.01"))
    return {"amount_ht": ht, "amount_tva": ttc - ht, "amount_ttc": ttc}


def _dossier_values(form: SaleForm) -> dict:
    sale = form.sale()
    return {"customer": form.customer(), "seller": sale["seller"], "sale_date": sale["sale_date"],
            "delivery_date": sale["delivery_date"], "warranty_level": sale["warranty_level"],
            "sale_origin": sale["origin"], **form.vehicle()}


@bp.route("/dossiers/nouveau", methods=["GET", "POST"])
def dossier_new():
    """A sale dossier entered from scratch, with its invoice (facture)."""
    form, page = new_sale(_render)
    if page:
        return page
    s = views.db().session
    serial = (s.scalar(select(func.count()).select_from(Dossier)) or 0) + 9_000_001
    dossier = Dossier(number=f"V{serial:07d}", rrdi=views.current_dealer()["rrdi"], client_code=str(serial)[-6:],
                      **_dossier_values(form))
    s.add(dossier)
    s.flush()
    s.add(Piece(dossier_id=dossier.id, kind="facture", date=dossier.sale_date, number=f"F{serial}",
                **_invoice_amounts(form.sale()["price_ttc"])))
    s.commit()
    return redirect(url_for("neovo.dossier_page", number=dossier.number), 303)


@bp.route("/dossiers/<number>/vente", methods=["GET", "POST"])
def dossier_edit(number: str):
    """Correct the dossier's sale (until its declaration is done); the invoice follows the price."""
    dossier = views.dossier_or_404(number)
    if request.method == "GET":
        invoice = dossier.invoice
        return _render(SaleForm(formdata=None, data=form_data(dossier, dossier.customer, {
            "seller": dossier.seller, "sale_date": dossier.sale_date, "delivery_date": dossier.delivery_date,
            "price_ttc": f"{invoice.amount_ttc:.2f}" if invoice else "", "origin": dossier.sale_origin,
            "warranty_level": dossier.warranty_level})), dossier)
    form = SaleForm()
    if dossier.declaration_status in DECLARED:
        return _render(form, dossier, 409, "La garantie de ce dossier est déclarée : il ne se modifie plus.")
    if not form.validate():
        return _render(form, dossier, 422)
    for name, value in _dossier_values(form).items():
        setattr(dossier, name, value)
    if dossier.invoice:
        for name, value in _invoice_amounts(form.sale()["price_ttc"]).items():
            setattr(dossier.invoice, name, value)
    views.db().session.commit()
    return redirect(url_for("neovo.dossier_page", number=dossier.number), 303)
