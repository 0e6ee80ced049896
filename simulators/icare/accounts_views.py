"""GESTION DES COMPTES: the establishment's users and "+ Ajouter un nouvel utilisateur"."""
from __future__ import annotations

import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from common.forms import formats
from common.web import public_url_for
from simulators.icare.portal_auth import create_link, normalize_email
from simulators.icare.portal_session import (current_membership, current_user, db_session,
                                             right_required, write)
from simulators.icare.portal_store import RIGHTS, Membership, PortalUser
from simulators.icare.store import IcareDealer, outbox

bp = Blueprint("icare_accounts", __name__, url_prefix="/gestion-des-comptes")

PHONE_RE = re.compile(r"^0[1-9]([ .]?[0-9]{2}){4}$")
NAME_RE = re.compile(r"^[^\W\d_]+([ '\-][^\W\d_]+)*$")


def managed_dealers() -> list[IcareDealer]:
    """Establishments where the current user may manage accounts (« Gérer les comptes »)."""
    db = db_session()
    codes = sorted(m.code_t for m in current_user().memberships if m.has("comptes"))
    return [d for d in (db.get(IcareDealer, c) for c in codes) if d is not None]


@bp.get("")
@right_required("comptes")
def user_list():
    """Users of the current establishment, searchable and sorted."""
    code_t = current_membership().code_t
    text = (request.args.get("q") or "").strip().lower()[:80]
    order = request.args.get("tri", "az")
    users = [m.user for m in db_session().scalars(select(Membership).where(Membership.code_t == code_t))]
    if text:
        users = [u for u in users if text in f"{u.last_name} {u.first_name} {u.email}".lower()]
    users.sort(key=lambda u: (u.last_name.lower(), u.first_name.lower()), reverse=order == "za")
    return render_template("icare/accounts.html", users=users, q=text, tri=order, code_t=code_t)


def _validate(form, dealers: list[IcareDealer]) -> tuple[dict, dict]:
    """Cleaned values and {field: French message} for the new-user form."""
    values = {k: (form.get(k) or "").strip()[:120] for k in ("last_name", "first_name", "email",
                                                           "mobile", "phone", "code_t")}
    values["email"] = normalize_email(values["email"])
    values["rights"] = [r for r in form.getlist("rights") if r in RIGHTS]
    errors = {}
    for field, label in (("last_name", "Nom"), ("first_name", "Prénom")):
        if not values[field]:
            errors[field] = f"Le champ {label} est obligatoire."
        elif not NAME_RE.match(values[field]) or len(values[field]) > 80:
            errors[field] = (f"Le champ {label} ne doit contenir que des lettres, espaces, apostrophes "
                             "ou tirets.")
    if not values["email"]:
        errors["email"] = "Le champ Identifiant/Email est obligatoire."
    elif not formats.is_valid("email", values["email"]):
        errors["email"] = "L'identifiant doit être une adresse email valide (ex. : alexandre@gmail.com)."
    for field, label in (("mobile", "mobile"), ("phone", "fixe")):
        if values[field] and not PHONE_RE.match(values[field]):
            errors[field] = (f"Le numéro de téléphone {label} doit avoir 10 chiffres "
                             "(ex. : 06 23 42 54 55).")
    if len(dealers) == 1 and not values["code_t"]:
        values["code_t"] = dealers[0].code_t
    if values["code_t"] not in {d.code_t for d in dealers}:
        errors["code_t"] = "Choisissez un établissement dont vous gérez les comptes."
    if not values["rights"]:
        errors["rights"] = "Cochez au moins un droit pour cet établissement."
    if "email" not in errors:
        existing = db_session().scalar(select(PortalUser).where(PortalUser.email == values["email"]))
        if existing is not None and existing.membership(values["code_t"]) is not None:
            errors["email"] = "Un utilisateur existe déjà avec cet identifiant pour cet établissement."
    return values, errors


@bp.route("/nouveau", methods=["GET", "POST"])
@right_required("comptes")
def new_user():
    """Create a user with chosen rights on one establishment and mail "Activez votre compte"."""
    dealers = managed_dealers()
    if request.method == "GET":
        values = {"code_t": current_membership().code_t, "rights": []}
        return render_template("icare/new_user.html", dealers=dealers, values=values, errors={})
    values, errors = _validate(request.form, dealers)
    if errors:
        return render_template("icare/new_user.html", dealers=dealers, values=values, errors=errors), 422
    with write() as tx:
        user = tx.scalar(select(PortalUser).where(PortalUser.email == values["email"]))
        if user is None:
            user = PortalUser(email=values["email"], last_name=values["last_name"].upper(),
                              first_name=values["first_name"], mobile=values["mobile"] or None,
                              phone=values["phone"] or None)
            tx.add(user)
        user.memberships.append(Membership(code_t=values["code_t"], rights=values["rights"], is_admin=False))
        dealer = tx.get(IcareDealer, values["code_t"])
        if user.active:
            outbox.send_template(tx, user.email, "Nouveaux droits sur Services.Spoticar", "icare/mails/new_rights.txt",
                                 dealer=dealer, url=public_url_for("icare_auth.login"))
            flash(f"L'utilisateur {user.email} a désormais accès à l'établissement {dealer.code_t}.")
        else:
            raw = create_link(tx, "activation", user.email, 72)
            outbox.send_template(tx, user.email, "Activez votre compte Services.Spoticar", "icare/mails/activation.txt",
                                 first_name=values["first_name"], dealer=dealer,
                                 url=public_url_for("icare_auth.activation", token=raw))
            flash(f"L'utilisateur {values['first_name']} {values['last_name'].upper()} a été créé : un "
                  f"email « Activez votre compte » lui a été envoyé à {values['email']}.")
    return redirect(url_for("icare_accounts.user_list"))


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@right_required("comptes")
def edit_rights(user_id: int):
    """Change a user's rights on the current establishment (not one's own, not the administrator's)."""
    code_t = current_membership().code_t
    db = db_session()
    membership = db.scalar(select(Membership).where(Membership.user_id == user_id,
                                                    Membership.code_t == code_t))
    if membership is None:
        return render_template("icare/message.html", title="Utilisateur introuvable",
                               message="Aucun utilisateur de cet établissement ne correspond."), 404
    locked = None
    if membership.user_id == current_user().id:
        locked = "Vous ne pouvez pas modifier vos propres droits."
    elif membership.is_admin:
        locked = "Les droits de l'administrateur de la convention ne se modifient pas ici."
    if request.method == "GET" or locked:
        status = 403 if locked and request.method == "POST" else 200
        return render_template("icare/edit_user.html", member=membership, locked=locked, errors={},
                               rights=membership.rights), status
    rights = [r for r in request.form.getlist("rights") if r in RIGHTS]
    if not rights:
        return render_template("icare/edit_user.html", member=membership, locked=None, rights=rights,
                               errors={"rights": "Cochez au moins un droit pour cet établissement."}), 422
    with write() as tx:
        tx.get(Membership, membership.id).rights = rights
    flash(f"Les droits de {membership.user.first_name} {membership.user.last_name} ont été enregistrés.")
    return redirect(url_for("icare_accounts.user_list"))
