"""Imprimer: the document choice per brand, the print options, then the PDF bon de commande."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for

from common.dates import add_months, fr_date, parse_fr_date
from fixtures import reference
from simulators.pvo2 import context

bp = Blueprint("printing", __name__, url_prefix="/imprimer")


def documents() -> list[dict]:
    return list(reference.load("pvo2_demo")["print_documents"])


def default_document(order) -> str:
    """The document matching the vehicle: DS CERTIFIED, else SPOTICAR-<brand> (PEUGEOT otherwise)."""
    v = order.vehicle
    if v.label == "DS CERTIFIED":
        return "DS-CERTIFIED"
    codes = {d["code"] for d in documents()}
    code = f"SPOTICAR-{reference.normalize_brand(v.brand)}"
    return code if code in codes else "SPOTICAR-PEUGEOT"


def warranty_period(order):
    """Début and fin de garantie contractuelle from the delivery date and the card's level."""
    start = order.delivery_date or order.bdc_on
    found = reference.product_for_dms_level(order.vehicle.warranty_level or "")
    if not start or not found:
        return start, None
    return start, add_months(start, found[1])


SCENARIOS = "pvo2_print_scenarios"  # {name: [document codes]} kept in the user's session


def _choose_page(order, company: str, selected: list[str], errors=(), status: int = 200):
    q = (request.args.get("q") or "").strip()[:60]
    shown = [d for d in documents() if q.lower() in d["name"].lower()] if q else documents()
    return render_template("pvo2/print_choose.html", order=order, documents=shown, selected=selected,
                           company=company, errors=list(errors), q=q,
                           scenarios=session.get(SCENARIOS, {})), status


@bp.get("/<int:number>")
def choose(number: int):
    """Imprimer des documents: 1 bon de commande sélectionné, one document per brand; Chercher un
    document filters the list, a saved Scénario pre-selects its documents."""
    with context.db().transaction() as tx:
        order = context.order_or_404(tx, number)
        site = context.site(tx)
        selected = session.get(SCENARIOS, {}).get(request.args.get("scenario", ""), [default_document(order)])
        return _choose_page(order, site.label, selected)


@bp.post("/<int:number>/scenario")
def save_scenario(number: int):
    """Enregistrer ma sélection en tant que scénario (named; kept for this user's session)."""
    name = " ".join((request.form.get("scenario_name") or "").split())[:40]
    chosen = [c for c in request.form.getlist("document") if c in {d["code"] for d in documents()}]
    with context.db().transaction() as tx:
        order = context.order_or_404(tx, number)
        company = (request.form.get("company") or "").strip()
        errors = ([] if name else ["Nom du scénario : champ obligatoire."]) + \
                 ([] if chosen else ["Sélectionnez au moins un document à imprimer."])
        if errors:
            return _choose_page(order, company, chosen, errors, 422)
    session[SCENARIOS] = {**session.get(SCENARIOS, {}), name: chosen}
    flash(f"Scénario « {name} » enregistré.", "success")
    return redirect(url_for("printing.choose", number=number, scenario=name))


@bp.get("/<int:number>/options")
def options(number: int):
    """Suivant: the options of the chosen document(s)."""
    chosen = [c for c in request.args.getlist("document") if c in {d["code"] for d in documents()}]
    company = (request.args.get("company") or "").strip()
    with context.db().transaction() as session:
        order = context.order_or_404(session, number)
        errors = []
        if not chosen:
            errors.append("Sélectionnez au moins un document à imprimer.")
        if not company:
            errors.append("Nom de la société pour l'impression : champ obligatoire.")
        if errors:
            return _choose_page(order, company, chosen, errors, 422)
        start, end = warranty_period(order)
        values = {"esa": "", "start": fr_date(start), "end": fr_date(end), "warranty_number": "",
                  "usage": ""}
        return render_template("pvo2/print_options.html", order=order, chosen=chosen, company=company,
                               values=values, errors=[])


@bp.post("/<int:number>/pdf")
def pdf(number: int):
    """Imprimer: the bon de commande as a PDF download."""
    form = request.form
    chosen = [c for c in form.getlist("document") if c in {d["code"] for d in documents()}]
    company = (form.get("company") or "").strip()
    values = {k: (form.get(k) or "").strip()[:80] for k in ("esa", "start", "end", "warranty_number",
                                                              "usage")}
    errors = []
    dates = {}
    for key, label in (("start", "Garantie du"), ("end", "Garantie au")):
        dates[key] = parse_fr_date(values[key]) if values[key] else None
        if values[key] and dates[key] is None:
            errors.append(f"{label} : date invalide (format JJ/MM/AAAA).")
    if dates.get("start") and dates.get("end") and dates["end"] < dates["start"]:
        errors.append("Garantie au : la fin de garantie précède son début.")
    if not chosen or not company:
        errors.append("Choisissez au moins un document et le nom de la société pour l'impression.")
    with context.db().transaction() as session:
        order = context.order_or_404(session, number)
        site = context.site(session)
        if errors:
            return render_template("pvo2/print_options.html", order=order, chosen=chosen, company=company,
                                   values=values, errors=errors), 422
        names = {d["code"]: d for d in documents()}
        from simulators.pvo2.pdf import order_form_pdf  # reportlab at the first PDF, not at start
        content = order_form_pdf(order, site, context.seller(), [names[c] for c in chosen], company, values)
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="bon-de-commande-{number}.pdf"'})
