"""Imprimer: the document choice per brand, the print options, then the PDF bon de commande."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for

from common.dates import add_months
from fixtures import reference
from simulators.pvo2 import context
from simulators.pvo2.print_forms import DocumentSearchForm, PrintChoiceForm, PrintOptionsForm, documents

bp = Blueprint("printing", __name__, url_prefix="/imprimer")


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


SCENARIOS = "pvo2_print_scenarios"  # [[name, [document codes]], …], oldest first, kept in the user's session
MAX_SCENARIOS = 10  # the newest kept: the session cookie stays well below the ~4 KB a browser keeps
SCENARIO_DROPPED = ("Au plus {limit} scénarios sont gardés : le plus ancien, « {name} », a été retiré.")


def _scenarios() -> dict[str, list[str]]:
    """The user's saved scenarios, oldest first (a cookie of an earlier version held a dict)."""
    saved = session.get(SCENARIOS) or []
    pairs = saved.items() if isinstance(saved, dict) else saved
    return {pair[0]: pair[1] for pair in pairs if isinstance(pair, list | tuple) and len(pair) == 2}


def _choose_page(order, form: PrintChoiceForm, status: int = 200):
    search = DocumentSearchForm(formdata=request.args)
    q = search.q.data if search.validate() else ""
    form.shown = [d for d in documents() if q.lower() in d["name"].lower()] if q else documents()
    return render_template("pvo2/print_choose.html", order=order, form=form, search=search,
                           scenarios=_scenarios()), status


@bp.get("/<int:number>")
def choose(number: int):
    """Imprimer des documents: 1 bon de commande sélectionné, one document per brand; Chercher un
    document filters the list, a saved Scénario pre-selects its documents."""
    with context.db().transaction() as tx:
        order = context.order_or_404(tx, number, with_vehicle=True)
        site = context.site(tx)
        selected = _scenarios().get(request.args.get("scenario", ""), [default_document(order)])
        form = PrintChoiceForm(formdata=None, data={"company": site.label, "document": selected})
        return _choose_page(order, form)


@bp.post("/<int:number>/scenario")
def save_scenario(number: int):
    """Enregistrer ma sélection en tant que scénario (named; kept for this user's session, the
    ``MAX_SCENARIOS`` newest: the oldest beyond are dropped, and the user is told which)."""
    form = PrintChoiceForm()
    form.purpose = "scenario"
    with context.db().transaction() as tx:
        order = context.order_or_404(tx, number, with_vehicle=True)
        if not form.validate():
            return _choose_page(order, form, 422)
    name = " ".join(form.scenario_name.value.split())
    scenarios = _scenarios()
    scenarios.pop(name, None)  # saved again: now the newest
    scenarios[name] = form.document.value
    dropped = list(scenarios)[:-MAX_SCENARIOS]
    for old in dropped:
        del scenarios[old]
    session[SCENARIOS] = [[key, codes] for key, codes in scenarios.items()]
    flash(f"Scénario « {name} » enregistré.", "success")
    for old in dropped:
        flash(SCENARIO_DROPPED.format(limit=MAX_SCENARIOS, name=old), "info")
    return redirect(url_for("printing.choose", number=number, scenario=name))


@bp.get("/<int:number>/options")
def options(number: int):
    """Suivant: the options of the chosen document(s)."""
    choice = PrintChoiceForm(formdata=request.args)
    with context.order_transaction(number, with_vehicle=True) as (session, order):
        if not choice.validate():
            return _choose_page(order, choice, 422)
        start, end = warranty_period(order)
        form = PrintOptionsForm(formdata=None, data={"start": start, "end": end})
        return render_template("pvo2/print_options.html", order=order, choice=choice, form=form)


@bp.post("/<int:number>/pdf")
def pdf(number: int):
    """Imprimer: the bon de commande as a PDF download."""
    choice, form = PrintChoiceForm(), PrintOptionsForm()
    form.check()
    if not choice.validate():
        form.add_error(None, "Choisissez au moins un document et le nom de la société pour l'impression.")
    with context.order_transaction(number, with_vehicle=True) as (session, order):
        site = context.site(session)
        if form.error_list:
            return render_template("pvo2/print_options.html", order=order, choice=choice, form=form), 422
        names = {d["code"]: d for d in documents()}
        from simulators.pvo2.pdf import order_form_pdf  # reportlab at the first PDF, not at start
        content = order_form_pdf(order, site, context.seller(), [names[c] for c in choice.document.value],
                                 choice.company.value, form.printed())
    return Response(content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="bon-de-commande-{number}.pdf"'})
