"""Profil: "Configuration des garanties commerciales" (seed 000). NPO is always on."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from centralisateur.session import current_dealer, link_declaration_id, link_or_login_required
from centralisateur.store import Dealer
from fixtures import reference

bp = Blueprint("profile", __name__)

GARANTISSEUR_NAMES = {g["code"]: g["name"] for g in reference.garantisseurs()}
CIRANO_RE = re.compile(r"^[A-Z]{2}[0-9]{7}$")


def configured_garantisseurs(dealer: Dealer) -> dict[str, str]:
    """The commercial garantisseurs the dealer chose on Profil, in the seed's order."""
    chosen = {"stellantis": dealer.use_stellantis, "auto": dealer.use_auto, "cirano": dealer.use_cirano}
    return {code: GARANTISSEUR_NAMES[code] for code, on in chosen.items() if on}


@bp.route("/profil", methods=["GET", "POST"])
@link_or_login_required
def edit():
    dealer = current_dealer()
    if link_declaration_id() is not None and dealer.profile_configured:
        # a declaration link may set up the first declaration's Profil, not change it afterwards
        return redirect(url_for("session.login", suivant=request.full_path.rstrip("?")))
    following = request.args.get("suivant", "")
    values = {"stellantis": dealer.use_stellantis, "auto": dealer.use_auto, "cirano": dealer.use_cirano,
              "cirano_id": dealer.cirano_id or ""}
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        values = {code: request.form.get(code) == "oui" for code in ("stellantis", "auto", "cirano")}
        values["cirano_id"] = (request.form.get("cirano_id") or "").strip().upper()
        if values["stellantis"] and not dealer.code_t:
            errors.append(("stellantis", "La Garantie SPOTICAR Stellantis nécessite votre code T Icare : "
                                         "contactez votre référent garantie VO."))
        if values["cirano"] and not CIRANO_RE.match(values["cirano_id"]):
            errors.append(("cirano_id", "Garantie Cirano : renseignez votre identifiant Cirano "
                                        "(2 lettres et 7 chiffres, ex. RS8010004)."))
        if not (values["stellantis"] or values["auto"] or values["cirano"]):
            errors.append(("stellantis", "Sélectionnez au moins une garantie commerciale."))
        if not errors:
            db = current_app.extensions["db"]
            with db.transaction() as s:
                row = s.get(Dealer, dealer.rrdi)
                row.use_stellantis, row.use_auto, row.use_cirano = (
                    values["stellantis"], values["auto"], values["cirano"])
                if values["cirano"]:
                    row.cirano_id = values["cirano_id"]
                row.profile_configured = True
            flash("Votre configuration des garanties commerciales a bien été enregistrée.")
            if following.startswith("/") and not following.startswith("//"):
                return redirect(following, code=303)
            return redirect(url_for("profile.edit"), code=303)
    return render_template("centralisateur/profile.html", dealer=dealer, values=values, errors=errors,
                           invalid={f for f, _ in errors}, following=following,
                           names=GARANTISSEUR_NAMES), 422 if errors else 200
