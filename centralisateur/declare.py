"""Déclarer Vente: page 1/3 (NPO and garantisseur), form 2/3, confirmation 3/3 and its PDFs."""
from __future__ import annotations

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request, url_for)

from centralisateur import documents, form as declaration_form
from centralisateur.declaring import claim, send_to_icare, wait_first_attempt
from centralisateur.profile import GARANTISSEUR_NAMES, configured_garantisseurs
from centralisateur.session import current_dealer, login_required, own_declaration
from fixtures import reference

bp = Blueprint("declare", __name__)

PROGRAMS = {code: name for code, name in reference.warranty_labels().items()}  # SPOTICAR → Spoticar


@bp.get("/declarations/<bdc_number>")
@login_required
def start(bdc_number: str):
    """Where a declaration's link lands: Profil first for a dealer not configured yet, else 1/3."""
    declaration = own_declaration(bdc_number)
    if declaration.status != "pending":
        return redirect(url_for("declare.confirmation", bdc_number=bdc_number))
    if not current_dealer().profile_configured:
        flash("Lors de votre 1ère déclaration, veuillez configurer les garantisseurs qui correspondent à "
              "votre activité.")
        return redirect(url_for("profile.edit", suivant=url_for("declare.start", bdc_number=bdc_number)))
    return redirect(url_for("declare.choose", bdc_number=bdc_number))


def _preselection(declaration, options: dict[str, str]) -> tuple[str, str]:
    """From NeoVO both fields are chosen by hand (seed 000); other DMS pre-select them."""
    if declaration.program or declaration.garantisseur:
        return declaration.program or "", declaration.garantisseur or ""
    if declaration.source_dms == "neovo":
        return "", ""
    label = (declaration.payload.get("warranty") or {}).get("label") or "SPOTICAR"
    garantisseur = "stellantis" if "stellantis" in options else next(iter(options), "")
    return label, garantisseur


@bp.route("/declarations/<bdc_number>/garantie", methods=["GET", "POST"])
@login_required
def choose(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.status != "pending":
        return redirect(url_for("declare.confirmation", bdc_number=bdc_number))
    dealer = current_dealer()
    options = configured_garantisseurs(dealer)
    program, garantisseur = _preselection(declaration, options)
    errors = []
    if request.method == "POST":
        program = request.form.get("programme", "")
        garantisseur = request.form.get("garantisseur", "")
        if program not in PROGRAMS:
            errors.append(("programme", "Veuillez sélectionner la déclaration de la vente Nouvelle Prestation "
                                        "Obligatoire."))
        if garantisseur not in options:
            errors.append(("garantisseur", "Veuillez sélectionner la garantie commerciale Spoticar."))
        if not errors:
            db = current_app.extensions["db"]
            with db.transaction() as s:
                row = s.get(type(declaration), declaration.id)
                if row.status == "pending":
                    if row.program != program:  # another label: its products differ
                        row.form = None
                    row.program, row.garantisseur = program, garantisseur
            return redirect(url_for("declare.fill", bdc_number=bdc_number))
    return render_template("centralisateur/choose.html", declaration=declaration, programs=PROGRAMS,
                           options=options, program=program, garantisseur=garantisseur,
                           errors=errors), 422 if errors else 200


@bp.route("/declarations/<bdc_number>/formulaire", methods=["GET", "POST"])
@login_required
def fill(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.status != "pending":
        return redirect(url_for("declare.confirmation", bdc_number=bdc_number))
    if not declaration.program or declaration.garantisseur not in configured_garantisseurs(current_dealer()):
        return redirect(url_for("declare.choose", bdc_number=bdc_number))
    errors: list = []
    to_correct: list = []
    if request.method == "POST":
        values = declaration_form.read(request.form)
        clean, errors = declaration_form.validate(
            values, declaration.program, declaration.payload,
            current_app.config["MAX_DAYS_AFTER_DELIVERY"])
        if clean is not None:
            clean["end_date"] = declaration_form.parse_fr_date(values["end_date"]).isoformat()
            clean["company_name"] = declaration.payload["customer"].get("company_name")
            clean["siret"] = declaration.payload["customer"].get("siret")
            if claim(current_app, declaration.id, clean):
                send_to_icare(current_app, declaration.id)
            return redirect(url_for("declare.confirmation", bdc_number=bdc_number), code=303)
    else:
        values = declaration_form.prefill(declaration.payload)
        if declaration.program and values["product"] not in {
                v for v, _ in declaration_form.choices(declaration_form.BY_NAME["product"],
                                                       declaration.program, values)}:
            values["product"] = ""
        to_correct = declaration_form.corrections(values, declaration.program)
    return render_template("centralisateur/form.html", declaration=declaration, values=values,
                           errors=errors, fields=declaration_form.FIELDS, choices=declaration_form.choices,
                           to_correct=to_correct,
                           invalid={name for name, _ in errors + to_correct}), 422 if errors else 200


@bp.get("/declarations/<bdc_number>/confirmation")
@login_required
def confirmation(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.status == "pending":
        return redirect(url_for("declare.start", bdc_number=bdc_number))
    if declaration.status == "contract_pending" and declaration.icare_attempts == 0:
        # a double click or a second tab: show what the first submission's Icare call gives
        wait_first_attempt(current_app, declaration.id)
        current_app.extensions["db"].session.rollback()
        declaration = own_declaration(bdc_number)
    return render_template("centralisateur/confirmation.html", declaration=declaration,
                           garantisseur_name=GARANTISSEUR_NAMES.get(declaration.garantisseur, ""),
                           dealer=current_dealer())


@bp.post("/declarations/<bdc_number>/relancer")
@login_required
def retry(bdc_number: str):
    """Ask Icare again now instead of waiting for the next automatic attempt."""
    declaration = own_declaration(bdc_number)
    if declaration.status == "contract_pending":
        send_to_icare(current_app, declaration.id)
    return redirect(url_for("declare.confirmation", bdc_number=bdc_number), code=303)


def _pdf(declaration, kind: str) -> Response:
    dealer = current_dealer()
    if kind == "releve":
        content, name = documents.releve(declaration, dealer), f"releve-information-{declaration.bdc_number}.pdf"
    else:
        content, name = documents.certificat(declaration, dealer), f"certificat-souscription-{declaration.bdc_number}.pdf"
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/declarations/<bdc_number>/releve.pdf")
@login_required
def releve_pdf(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.form is None:
        return redirect(url_for("declare.start", bdc_number=bdc_number))
    return _pdf(declaration, "releve")


@bp.get("/declarations/<bdc_number>/certificat.pdf")
@login_required
def certificat_pdf(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.status != "declared":
        return render_template("common/error.html", status=409,
                               message="Le certificat de souscription sera disponible dès la création du "
                                       "contrat."), 409
    return _pdf(declaration, "certificat")
