"""Profil: "Configuration des garanties commerciales" (seed 000). NPO is always on."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from centralisateur.session import current_dealer, link_declaration_id, link_or_login_required
from centralisateur.store import Dealer
from common.forms import CheckboxField, Form, TextField
from common.web import local_path
from fixtures import reference

bp = Blueprint("profile", __name__)

GARANTISSEUR_NAMES = {g["code"]: g["name"] for g in reference.garantisseurs()}
CIRANO_RE = re.compile(r"^[A-Z]{2}[0-9]{7}$")


def configured_garantisseurs(dealer: Dealer) -> dict[str, str]:
    """The commercial garantisseurs the dealer chose on Profil, in the seed's order."""
    chosen = {"stellantis": dealer.use_stellantis, "auto": dealer.use_auto, "cirano": dealer.use_cirano}
    return {code: GARANTISSEUR_NAMES[code] for code, on in chosen.items() if on}


class ProfileForm(Form):
    """The garantisseurs a dealer works with; NPO is always on and not part of the form."""

    class Meta:
        wording = "centralisateur"
        id_prefix = "g-"

    stellantis = CheckboxField(GARANTISSEUR_NAMES["stellantis"])
    auto = CheckboxField(GARANTISSEUR_NAMES["auto"])
    cirano = CheckboxField(GARANTISSEUR_NAMES["cirano"])
    cirano_id = TextField("Identifiant Cirano", max_length=20, hint="RS8010004")

    def check(self, dealer: Dealer) -> bool:
        """The seed's rules across the ticks; messages left on the form."""
        self.validate()
        self.cirano_id.value = (self.cirano_id.data or "").upper()
        if self.stellantis.data and not dealer.code_t:
            self.add_error("stellantis", "La Garantie SPOTICAR Stellantis nécessite votre code T Icare : "
                                         "contactez votre référent garantie VO.")
        if self.cirano.data and not CIRANO_RE.match(self.cirano_id.value):
            self.add_error("cirano_id", "Garantie Cirano : renseignez votre identifiant Cirano "
                                        "(2 lettres et 7 chiffres, ex. RS8010004).")
        if not (self.stellantis.data or self.auto.data or self.cirano.data):
            self.add_error("stellantis", "Sélectionnez au moins une garantie commerciale.")
        return not self.error_list


@bp.route("/profil", methods=["GET", "POST"])
@link_or_login_required
def edit():
    dealer = current_dealer()
    if link_declaration_id() is not None and dealer.profile_configured:
        # a declaration link may set up the first declaration's Profil, not change it afterwards
        return redirect(url_for("session.login", suivant=request.full_path.rstrip("?")))
    following = request.args.get("suivant", "")
    if request.method == "GET":
        form = ProfileForm(formdata=None, data={
            "stellantis": dealer.use_stellantis, "auto": dealer.use_auto, "cirano": dealer.use_cirano,
            "cirano_id": dealer.cirano_id or ""})
    else:
        form = ProfileForm()
        if form.check(dealer):
            db = current_app.extensions["db"]
            with db.transaction() as s:
                row = s.get(Dealer, dealer.rrdi)
                row.use_stellantis, row.use_auto, row.use_cirano = (
                    form.stellantis.data, form.auto.data, form.cirano.data)
                if form.cirano.data:
                    row.cirano_id = form.cirano_id.value
                row.profile_configured = True
            flash("Votre configuration des garanties commerciales a bien été enregistrée.")
            return redirect(local_path(following, url_for("profile.edit")), code=303)
    return render_template("centralisateur/profile.html", dealer=dealer, form=form, following=following,
                           names=GARANTISSEUR_NAMES), 422 if form.error_list else 200
