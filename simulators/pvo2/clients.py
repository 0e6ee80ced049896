"""Client → Modifier(z), on an offer or its bon de commande: the client's identity, état civil and FOCUS
consent, and the sale's origin — what the Spoticar declaration (form 2/3) asks and the hand-off sends."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from simulators.pvo2 import context
from simulators.pvo2.forms import CustomerForm

bp = Blueprint("clients", __name__)

STORED = ("civility", "last_name", "first_name", "address", "postcode", "city", "phone", "email", "birth_name",
          "birth_date", "birth_place", "birth_country", "nationality", "residence_country", "consent")


def _back(order) -> str:
    target = "offers.show" if order.state == "offre" else "deliveries.order"
    return url_for(target, number=order.number)


@bp.route("/offres/<int:number>/client", methods=["GET", "POST"])
def edit(number: int):
    """The client of offer/order ``number``; a declared order's client is no longer changed here."""
    with context.db().transaction() as session:
        order = context.order_or_404(session, number)
        customer = order.customer
        if request.method == "GET":
            data = {name: getattr(customer, name) for name in STORED}
            form = CustomerForm(formdata=None, data={**data, "consent": customer.consent or [],
                                                     "origin": order.origin})
            return render_template("pvo2/client.html", order=order, form=form, back=_back(order), errors=[])
        form = CustomerForm()
        form.validate()
        errors = [message for _, message in form.error_list]
        if order.declaration_status in ("contract_pending", "declared") or order.policy_number:
            errors.append("Cette commande a une déclaration de garantie : son client ne peut plus être modifié ici.")
        if errors:
            return render_template("pvo2/client.html", order=order, form=form, back=_back(order),
                                   errors=errors), 422
        values = form.values()
        for name in STORED:
            value = values.get(name)
            setattr(customer, name, value if value is not None or name == "birth_date" else "")
        customer.consent = values.get("consent") or []
        order.origin = values.get("origin") or ""
        back = _back(order)
    flash("Client enregistré.", "success")
    return redirect(back)
