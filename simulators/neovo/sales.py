"""Nouveau dossier de vente: the vehicle, its customer, the sale and its invoice entered in one screen
(the dossier then offers Garantir), and the same screen to correct the sale before it is declared."""
from __future__ import annotations

import functools
from decimal import Decimal

from flask import Blueprint, url_for
from sqlalchemy import select

from simulators.dms.sale_form import DECLARED, SaleForm, blank_sale, form_data, sale_screen
from simulators.neovo import views
from common.counters import next_number
from simulators.neovo.store import Counter, Dossier, Piece

bp = Blueprint("neovo_sales", __name__)
VAT = Decimal("1.20")


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
    return sale_screen(_render, _add_dossier, blank_sale())


def _add_dossier(form: SaleForm, s) -> str:
    rrdi, values = views.current_dealer()["rrdi"], _dossier_values(form)
    # the same sale sent again (a double click, a second tab): the dossier stored, never a second one
    same = s.scalar(select(Dossier.number).where(Dossier.rrdi == rrdi, Dossier.vin == values["vin"],
                                                 Dossier.sale_date == values["sale_date"]))
    if same is not None:
        return url_for("neovo.dossier_page", number=same)
    # V9…: dossiers entered on screen (the demo's and the test routes' are V0…); above every id, so
    # above each number the former count-based rule gave
    serial = next_number(s, Counter, "dossier", Dossier.id + 9_000_000, start=9_000_001)
    dossier = Dossier(number=f"V{serial:07d}", rrdi=rrdi, client_code=str(serial)[-6:], **values)
    s.add(dossier)
    s.flush()
    s.add(Piece(dossier_id=dossier.id, kind="facture", date=dossier.sale_date, number=f"F{serial}",
                **_invoice_amounts(form.sale()["price_ttc"])))
    return url_for("neovo.dossier_page", number=dossier.number)


@bp.route("/dossiers/<number>/vente", methods=["GET", "POST"])
def dossier_edit(number: str):
    """Correct the dossier's sale (until its declaration is done); the invoice follows the price."""
    dossier = views.dossier_or_404(number)
    invoice = dossier.invoice
    return sale_screen(functools.partial(_render, dossier=dossier), functools.partial(_correct, dossier),
                       form_data(dossier, dossier, f"{invoice.amount_ttc:.2f}" if invoice else ""),
                       "La garantie de ce dossier est déclarée : il ne se modifie plus."
                       if dossier.declaration_status in DECLARED else None)


def _correct(dossier: Dossier, form: SaleForm, s) -> str:
    dossier = s.get(Dossier, dossier.id)  # in the write transaction
    for name, value in _dossier_values(form).items():
        setattr(dossier, name, value)
    if dossier.invoice:
        for name, value in _invoice_amounts(form.sale()["price_ttc"]).items():
            setattr(dossier.invoice, name, value)
    return url_for("neovo.dossier_page", number=dossier.number)
