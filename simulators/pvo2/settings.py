"""Paramètres → Fiche d'identité du site (Code RRDI included)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from simulators.pvo2 import context
from simulators.pvo2.forms import SiteForm

bp = Blueprint("settings", __name__, url_prefix="/parametres")

TABS = ["Utilisateurs", "Listes déroulantes", "Valeur et cote Argus®", "Labels", "Objectifs reporting",
        "Garanties", "Import", "Regroupements", "Options", "Délai moyen de vente", "Âge moyen de stock",
        "Prix de revient (fixation du prix)", "Fiche d'identité du site", "Gestion des FRE",
        "Produits additionnels"]


@bp.get("/")
def index():
    """The Paramètres tabs (only Fiche d'identité du site is simulated)."""
    return render_template("pvo2/settings.html", tabs=TABS)


@bp.route("/site", methods=["GET", "POST"])
def site():
    """Fiche d'identité du site: on a rejected form every typed value is kept, nothing saved."""
    with context.db().transaction() as session:
        row = context.site(session)
        if request.method == "GET":
            form = SiteForm(formdata=None, obj=row)
            return render_template("pvo2/site.html", site=row, form=form, errors=[])
        form = SiteForm()
        if not form.validate():
            return render_template("pvo2/site.html", site=row, form=form,
                                   errors=[message for _, message in form.error_list]), 422
        for name, value in form.stored().items():
            setattr(row, name, value)
    flash("Fiche d'identité du site enregistrée.", "success")
    return redirect(url_for("settings.site"))
