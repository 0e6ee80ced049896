"""Déclarer Vente: page 1/3 (NPO and garantisseur), form 2/3, confirmation 3/3 and its PDFs."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for)

from centralisateur import documents, form as declaration_form
from centralisateur.declaring import claim, claim_now, send_to_icare, wait_first_attempt
from centralisateur.profile import GARANTISSEUR_NAMES, configured_garantisseurs
from centralisateur.session import current_dealer, link_or_login_required, own_declaration
from common.forms import Form, SelectField
from fixtures import reference

bp = Blueprint("declare", __name__)

PROGRAMS = {code: name for code, name in reference.warranty_labels().items()}  # SPOTICAR → Spoticar
_NPO_MESSAGE = "Veuillez sélectionner la déclaration de la vente Nouvelle Prestation Obligatoire."
RETRY_UNDER_WAY = "Une nouvelle tentative auprès du gestionnaire Icare est déjà en cours : son résultat s'affiche ici."
_GARANTIE_MESSAGE = "Veuillez sélectionner la garantie commerciale Spoticar."


class ChooseForm(Form):
    """Page 1/3: the NPO label and the commercial garantisseur (those configured on Profil)."""

    class Meta:
        wording = "centralisateur"
        required_mark = "none"

    programme = SelectField("1. Déclaration de la vente Nouvelle Prestation Obligatoire pour le service "
                            "Relation Client et l'Assistance", required=True, choices=PROGRAMS,
                            blank="-- Sélectionner --",
                            messages={"required": _NPO_MESSAGE, "choice": _NPO_MESSAGE})
    garantisseur = SelectField("2. Garantie commerciale Spoticar", required=True, blank="-- Sélectionner --",
                               messages={"required": _GARANTIE_MESSAGE, "choice": _GARANTIE_MESSAGE})


def pending_declaration(bdc_number: str):
    """The dealer's declaration while it is still to declare; once declared (or refused) pages 1/3 and
    2/3 give way to its confirmation."""
    declaration = own_declaration(bdc_number)
    if declaration.status != "pending":
        abort(redirect(url_for("declare.confirmation", bdc_number=bdc_number)))
    return declaration


@bp.get("/declarations/<bdc_number>")
@link_or_login_required
def start(bdc_number: str):
    """Where a declaration's link lands: Profil first for a dealer not configured yet, else 1/3."""
    pending_declaration(bdc_number)  # a declared one opens on its confirmation
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
@link_or_login_required
def choose(bdc_number: str):
    declaration = pending_declaration(bdc_number)
    dealer = current_dealer()
    options = configured_garantisseurs(dealer)
    if request.method == "POST":
        form = ChooseForm()
    else:
        program, garantisseur = _preselection(declaration, options)
        form = ChooseForm(formdata=None, data={"programme": program, "garantisseur": garantisseur})
    form.garantisseur.choices = options
    if request.method == "POST" and form.validate():
        program, garantisseur = form.programme.value, form.garantisseur.value
        db = current_app.extensions["db"]
        with db.transaction() as s:
            row = s.get(type(declaration), declaration.id)
            if row.status == "pending":
                if row.program != program:  # another label: its products differ
                    row.form = None
                row.program, row.garantisseur = program, garantisseur
        return redirect(url_for("declare.fill", bdc_number=bdc_number))
    return render_template("centralisateur/choose.html", declaration=declaration, form=form), \
        422 if form.error_list else 200


@bp.route("/declarations/<bdc_number>/formulaire", methods=["GET", "POST"])
@link_or_login_required
def fill(bdc_number: str):
    declaration = pending_declaration(bdc_number)
    if not declaration.program or declaration.garantisseur not in configured_garantisseurs(current_dealer()):
        return redirect(url_for("declare.choose", bdc_number=bdc_number))
    form = declaration_form.build(declaration.program, declaration.payload)
    if request.method == "POST":
        clean = declaration_form.validate(form, declaration.payload, current_app.config["MAX_DAYS_AFTER_DELIVERY"])
        if clean is not None:
            clean["company_name"] = declaration.payload["customer"].get("company_name")
            clean["siret"] = declaration.payload["customer"].get("siret")
            lease = claim(current_app, declaration.id, clean)
            if lease is not None:
                send_to_icare(current_app, declaration.id, lease)
            return redirect(url_for("declare.confirmation", bdc_number=bdc_number), code=303)
    else:  # values the DMS sent malformed are shown flagged, to correct before declaring (rule 2)
        declaration_form.flag_corrections(form)
    return render_template("centralisateur/form.html", declaration=declaration, form=form), \
        422 if request.method == "POST" and form.error_list else 200


@bp.get("/declarations/<bdc_number>/confirmation")
@link_or_login_required
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
@link_or_login_required
def retry(bdc_number: str):
    """Ask Icare again now instead of waiting for the next automatic attempt — claimed in the database
    like every attempt, so a second click, another tab or a retry by another worker never sends twice."""
    declaration = own_declaration(bdc_number)
    if declaration.status == "contract_pending":
        lease = claim_now(current_app, declaration.id)
        if lease is None:
            flash(RETRY_UNDER_WAY)
        else:
            send_to_icare(current_app, declaration.id, lease)
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
@link_or_login_required
def releve_pdf(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.form is None:
        return redirect(url_for("declare.start", bdc_number=bdc_number))
    return _pdf(declaration, "releve")


@bp.get("/declarations/<bdc_number>/certificat.pdf")
@link_or_login_required
def certificat_pdf(bdc_number: str):
    declaration = own_declaration(bdc_number)
    if declaration.status != "declared":
        return render_template("common/error.html", status=409,
                               message="Le certificat de souscription sera disponible dès la création du "
                                       "contrat."), 409
    return _pdf(declaration, "certificat")
