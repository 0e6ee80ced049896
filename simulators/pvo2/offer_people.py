"""The Client and Co-titulaire blocks of an offer or a bon de commande (Modifiez, Ajoutez) and
Envoyer: the document mailed to the customer (kept in PVO2's outbox, never sent)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from common.dates import fr_date
from common.outbox import MailAttachment
from simulators.pvo2 import context
from simulators.pvo2.forms import ClientForm, CoHolderForm
from simulators.pvo2.offer_vehicle import NO_VEHICLE, page_of
from simulators.pvo2.store import CoHolder, Order, outbox

bp = Blueprint("offer_people", __name__, url_prefix="/offres")

DECLARED = ("La déclaration de garantie de cette commande est faite : le client et le co-titulaire ne "
            "peuvent plus être modifiés dans PVO².")


def _back(order: Order) -> str:
    target = "offers.show" if order.state == "offre" else "deliveries.order"
    return url_for(target, number=order.number)


def _not_editable(order: Order):
    """The refusal (409) of a change to the people of a cancelled or declared order."""
    reason = ("Cette offre est annulée." if order.state == "annulee" else
              DECLARED if order.bdc_number or order.policy_number else None)
    return page_of(order, [reason], 409) if reason else None


@bp.route("/<int:number>/client", methods=["GET", "POST"])
def customer(number: int):
    """Client Modifiez: the customer's identity, address and contact, pre-filled."""
    with context.order_transaction(number, _not_editable) as (session, order):
        c = order.customer
        form = ClientForm() if request.method == "POST" else ClientForm(formdata=None, data={
            **{name: getattr(c, name) for name in ClientForm.STORED}, "consent": c.consent or [],
            "origin": order.origin})
        if request.method == "GET" or not form.validate():
            return render_template("pvo2/person_form.html", order=order, form=form, back=_back(order),
                                   title="Client", errors=[m for _, m in form.error_list]), \
                422 if form.error_list else 200
        for name, value in form.stored().items():
            setattr(c, name, value)
        order.origin = form.origin.value or ""
        back = _back(order)
    flash("Client enregistré.", "success")
    return redirect(back)


@bp.route("/<int:number>/co-titulaire", methods=["GET", "POST"])
def co_holder(number: int):
    """Co-titulaire Ajoutez (or Modifier once there is one)."""
    with context.order_transaction(number, _not_editable) as (session, order):
        holder = order.co_holder
        data = ({"civility": holder.civility, "last_name": holder.last_name, "first_name": holder.first_name,
                 "birth_date": holder.birth_date, "phone": holder.phone} if holder else {})
        form = CoHolderForm() if request.method == "POST" else CoHolderForm(formdata=None, data=data)
        if request.method == "GET" or not form.validate():
            return render_template("pvo2/person_form.html", order=order, form=form, back=_back(order),
                                   title="Co-titulaire", errors=[m for _, m in form.error_list]), \
                422 if form.error_list else 200
        values = form.values()
        if holder is None:
            holder = CoHolder(order_id=order.id)
            session.add(holder)
        holder.civility, holder.last_name, holder.first_name = (values["civility"], values["last_name"],
                                                                values["first_name"])
        holder.birth_date, holder.phone = values["birth_date"], values["phone"] or ""
        back = _back(order)
    flash("Co-titulaire enregistré.", "success")
    return redirect(back)


@bp.post("/<int:number>/envoyer")
def send(number: int):
    """Envoyer: the offer (or bon de commande) as a PDF, mailed to the customer's email."""
    from simulators.pvo2.pdf import order_form_pdf
    from simulators.pvo2.printing import default_document, documents, warranty_period
    with context.order_transaction(number) as (session, order):
        email = order.customer.email
        refusal = ("Cette offre est annulée." if order.state == "annulee" else
                   NO_VEHICLE if order.vehicle is None else
                   None if email else "Envoyer : le client n'a pas d'adresse email. Renseignez-la avec "
                                      "Client Modifiez, puis envoyez.")
        if refusal:
            return page_of(order, [refusal], 409 if order.state == "annulee" or order.vehicle is None else 422)
        site = context.site(session)
        what = "offre" if order.state == "offre" else "bon de commande"
        code = default_document(order)
        start, end = warranty_period(order)
        pdf = order_form_pdf(order, site, context.seller(), [d for d in documents() if d["code"] == code],
                             site.label, {"esa": "", "start": fr_date(start), "end": fr_date(end),
                                          "warranty_number": "", "usage": ""})
        body = render_template("pvo2/mail_order.txt", order=order, what=what, site=site, seller=context.seller())
        outbox.send_mail(session, email, f"Votre {what} n°{number} — {site.label}", body.strip() + "\n",
                         attachments=[MailAttachment(f"{what.replace(' ', '-')}-{number}.pdf",
                                                     "application/pdf", pdf)])
        back = _back(order)
    flash(f"{what.capitalize()} n°{number} envoyé{'e' if what == 'offre' else ''} par email à {email}.", "success")
    return redirect(back)
