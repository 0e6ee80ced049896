"""Paramètres → Fiche d'identité du site (Code RRDI included)."""
from __future__ import annotations

import re
from typing import Annotated, ClassVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from pydantic import AfterValidator

from simulators.pvo2 import context
from simulators.pvo2.forms import FormModel, Optional, Required, parse

bp = Blueprint("settings", __name__, url_prefix="/parametres")

TABS = ["Utilisateurs", "Listes déroulantes", "Valeur et cote Argus®", "Labels", "Objectifs reporting",
        "Garanties", "Import", "Regroupements", "Options", "Délai moyen de vente", "Âge moyen de stock",
        "Prix de revient (fixation du prix)", "Fiche d'identité du site", "Gestion des FRE",
        "Produits additionnels"]


def _pattern(regex: str, message: str):
    def check(value: str) -> str:
        value = value.upper() if value else value
        if value and not re.fullmatch(regex, value):
            raise ValueError(message)
        return value
    return AfterValidator(check)


class SiteForm(FormModel):
    LABELS: ClassVar[dict[str, str]] = {"code": "Code", "manufacturer_code": "Code constructeur", "label": "Libellé",
              "company_name": "Raison sociale", "siret": "SIRET", "ape": "N° APE", "capital": "Capital",
              "company_type": "Type société", "rrdi": "Code RRDI", "address": "Adresse",
              "postcode": "Code postal", "city": "Ville"}
    code: Required
    manufacturer_code: Optional = ""
    label: Required
    company_name: Required
    siret: Annotated[Required, _pattern(r"[0-9]{14}", "Le SIRET doit comporter 14 chiffres.")]
    ape: Required
    capital: Annotated[Required, _pattern(r"[0-9]{1,12}", "Le capital doit être un nombre entier.")]
    company_type: Required
    rrdi: Annotated[Optional, _pattern(r"[0-9A-Z]{7}",
                                       "Le code RRDI doit comporter 7 caractères (ex. FR10350).")] = ""
    address: Optional = ""
    postcode: Annotated[Optional, _pattern(r"[0-9]{5}", "Le code postal doit comporter 5 chiffres.")] = ""
    city: Optional = ""


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
            return render_template("pvo2/site.html", site=row, values={}, errors=[], invalid=set())
        values, errors, invalid = parse(SiteForm, request.form)
        if errors:
            return render_template("pvo2/site.html", site=row, values=request.form, errors=errors,
                                   invalid=invalid), 422
        for name, value in values.model_dump().items():
            setattr(row, name, value)
    flash("Fiche d'identité du site enregistrée.", "success")
    return redirect(url_for("settings.site"))
