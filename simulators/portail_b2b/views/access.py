"""Steps 1 and 2: present the company, then request access to the portal by COFOR."""
from __future__ import annotations

from flask import Blueprint, request
from sqlalchemy import select

from common.sessions import PUBLIC_FORM_HOURLY, TOO_MANY_SENDINGS, public_form_allowed
from simulators.portail_b2b import forms, service
from simulators.portail_b2b.store import AccessRequest, LoginAttempt, Presentation, Supplier, outbox, utcnow
from simulators.portail_b2b.views import assistance_email, db, form_page, render, sender_email

bp = Blueprint("access", __name__)


@bp.get("/")
def home():
    """Découvrez le nouveau Portail B2B : the three steps and the login box."""
    return render("home.html")


@bp.route("/presentation", methods=["GET", "POST"])
@form_page("presentation.html", forms.PRESENTATION, prefill=("cofor",), checks_more=True)
def presentation(values: dict, errors: dict):
    """« Présentez votre société dans la base fournisseur » (a COFOR from the analysis's link)."""
    status = 422
    with db().transaction() as tx:  # checks and write in one transaction: no half-stored form
        supplier = tx.get(Supplier, values["cofor"]) if values["cofor"] and "cofor" not in errors else None
        if values["cofor"] and "cofor" not in errors and supplier is None:
            errors["cofor"] = (f"Le COFOR {values['cofor']} est inconnu de la base fournisseur : laissez ce "
                               "champ vide si aucun COFOR n'a encore été attribué à votre société.")
        elif not errors and (supplier and supplier.state != "not_presented"
                             or _siret_already_presented(tx, values["siret"], supplier)):
            errors["siret"] = ("Cette société est déjà présentée dans la base fournisseur : passez à "
                               "l'étape 2 « Obtenir un accès au portail B2B ».")
            status = 409
        if not errors and not public_form_allowed(tx, LoginAttempt, "presentation"):
            errors["form"], status = TOO_MANY_SENDINGS.format(limit=PUBLIC_FORM_HOURLY), 429
        reference = None if errors else _save_presentation(tx, values)
    if errors:
        return render("presentation.html", status, values=values, errors=errors)
    return render("presentation.html", reference=reference)


def _siret_already_presented(session, siret: str, supplier: Supplier | None) -> bool:
    other = session.scalars(select(Supplier).where(Supplier.siret == siret,
                                                   Supplier.state != "not_presented")).first()
    pending = session.scalars(select(Presentation).where(Presentation.siret == siret)).first()
    return bool(other and other is not supplier) or bool(pending)


def _save_presentation(tx, values: dict) -> str:
    contact = f"{values['contact_first_name']} {values['contact_last_name']}"
    company = {k: values[k] for k in ("name", "siret", "address", "postcode", "city", "country", "activity")}
    if values["cofor"]:
        supplier = tx.get(Supplier, values["cofor"])
        for key, value in company.items():
            setattr(supplier, key, value)
        supplier.state, supplier.updated_at = "presented", utcnow()
        supplier.contact_name, supplier.contact_email = contact, values["contact_email"]
        reference = f"COFOR {supplier.cofor}"
        next_step = "Vous pouvez maintenant demander l'accès de votre société au portail B2B (étape 2)."
    else:
        item = Presentation(**company, contact_name=contact, contact_email=values["contact_email"],
                            contact_phone=values["contact_phone"])
        tx.add(item)
        tx.flush()
        item.reference = reference = f"PRES-{item.id:06d}"
        next_step = "Un COFOR vous sera communiqué après validation par les Achats Stellantis."
    outbox.send_mail(tx, values["contact_email"], "Présentation de votre société dans la base fournisseur",
                     f"Bonjour {contact},\n\nLa société {values['name']} (SIRET {values['siret']}) a bien été "
                     f"présentée dans la base fournisseur (référence : {reference}).\n{next_step}\n\n"
                     "L'assistance du Portail B2B STELLANTIS", sender=sender_email())
    return reference


@bp.get("/acces")
def access():
    """« Obtenir un accès au portail B2B » : COFOR, code site, « Commencer l'analyse »."""
    if "cofor" not in request.args:
        return render("access.html", steps=service.timeline(None))
    return _analysis(request.args)


def _analysis(data, extra_errors: dict | None = None, status: int = 200, request_values=None,
              message: str | None = None):
    """The analysis answer for ``data``'s COFOR and code site, with the next step's form."""
    values, errors = forms.parse(forms.ANALYSE, data)
    supplier = None
    if not errors:
        supplier, errors = service.analyse(db().session, values)
        status = 404 if errors and status == 200 else status
    elif status == 200:
        status = 422
    return render("access.html", status, values=values, errors=errors, supplier=supplier,
                  steps=service.timeline(supplier), request_values=request_values or {},
                  request_errors=extra_errors or {}, message=message)


@bp.post("/acces/demande")
def access_request():
    """The access request offered when the company is presented but has no access yet."""
    values, errors = forms.parse(forms.ACCESS_REQUEST, request.form)
    if errors.get("terms"):
        errors["terms"] = "Vous devez accepter les conditions d'utilisation du portail B2B."
    with db().transaction() as tx:  # the state is checked and moved in the same transaction
        supplier = None
        if not (errors.get("cofor") or errors.get("code_site")):
            supplier, _ = service.analyse(tx, values)
        state = supplier.state if supplier else None
        if state == "presented" and not errors:
            _save_access_request(tx, supplier, values)
    if supplier is None:  # COFOR or site altered since the analysis: show the analysis's own answer
        return _analysis(request.form)
    if state != "presented":
        return _analysis(request.form, status=409, extra_errors={
            "state": "Cette demande n'est pas possible à cette étape : suivez les indications ci-dessous."})
    if errors:
        return _analysis(request.form, extra_errors=errors, status=422, request_values=values)
    return _analysis(request.form, message="Votre demande d'accès au portail B2B a bien été envoyée : "
                                           "elle est en cours de traitement par Stellantis.")


def _save_access_request(tx, supplier: Supplier, values: dict) -> None:
    tx.add(AccessRequest(cofor=supplier.cofor, code_site=values["code_site"], last_name=values["last_name"],
                         first_name=values["first_name"], email=values["email"], phone=values["phone"],
                         function=values["function"]))
    supplier.state, supplier.updated_at = "access_requested", utcnow()
    body = (f"Demande d'accès au portail B2B\nCOFOR : {supplier.cofor}\nCode site : "
            f"{values['code_site'] or '—'}\nSociété : {supplier.name}\nDemandeur : {values['first_name']} "
            f"{values['last_name']} ({values['email']}, {values['phone']})\nFonction : {values['function']}")
    outbox.send_mail(tx, [values["email"], assistance_email()], "Demande d'accès au portail B2B", body,
                     sender=sender_email())


@bp.route("/acces/cofor-inconnu", methods=["GET", "POST"])
@form_page("unknown_cofor.html", forms.UNKNOWN_COFOR)
def unknown_cofor(values: dict):
    """« je ne connais pas le COFOR de ma société » : a form mailed to the portal's assistance."""
    with db().transaction() as tx:
        if not public_form_allowed(tx, LoginAttempt, "cofor-inconnu"):
            return render("unknown_cofor.html", 429, values=values,
                          errors={"form": TOO_MANY_SENDINGS.format(limit=PUBLIC_FORM_HOURLY)})
        outbox.send_mail(tx, assistance_email(), f"COFOR inconnu — {values['company']}",
                         f"Société : {values['company']}\nSIRET : {values['siret']}\nContact : "
                         f"{values['first_name']} {values['last_name']}\nAdresse mail : {values['email']}\n"
                         f"Téléphone : {values['phone'] or '—'}\n\n{values['message']}", sender=sender_email())
    return render("unknown_cofor.html", sent=True)
