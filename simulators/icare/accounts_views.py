"""GESTION DES COMPTES: the establishment's users and "+ Ajouter un nouvel utilisateur"."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from common.web import public_url_for
from simulators.icare.account_forms import NewUserForm, RightsForm
from simulators.icare.portal_auth import create_link
from simulators.icare.portal_session import (current_membership, current_user, db_session,
                                             right_required, write)
from simulators.icare.portal_store import Membership, PortalUser
from simulators.icare.store import IcareDealer, outbox

bp = Blueprint("icare_accounts", __name__, url_prefix="/gestion-des-comptes")
USER_EXISTS = "Un utilisateur existe déjà avec cet identifiant pour cet établissement."


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


def _validate(form: NewUserForm, dealers: list[IcareDealer]) -> dict | None:
    """Cleaned values of the new-user form, or None with the French messages left on ``form``."""
    if len(dealers) == 1 and not form.code_t.data:
        form.code_t.data = dealers[0].code_t
    form.validate()
    values = form.values()
    if not form.email.errors and values["code_t"]:
        existing = db_session().scalar(select(PortalUser).where(PortalUser.email == values["email"]))
        if existing is not None and existing.membership(values["code_t"]) is not None:
            form.add_error("email", USER_EXISTS)
    return None if form.error_list else values


def _new_user_page(form: NewUserForm, dealers: list[IcareDealer]):
    return render_template("icare/new_user.html", dealers=dealers, form=form), \
        422 if form.error_list else 200


@bp.route("/nouveau", methods=["GET", "POST"])
@right_required("comptes")
def new_user():
    """Create a user with chosen rights on one establishment and mail "Activez votre compte"."""
    dealers = managed_dealers()
    if request.method == "GET":
        form = NewUserForm(formdata=None, data={"code_t": current_membership().code_t})
    else:
        form = NewUserForm()
    form.dealers = dealers
    if request.method == "GET":
        return _new_user_page(form, dealers)
    values = _validate(form, dealers)
    if values is None:
        return _new_user_page(form, dealers)
    with write() as tx:
        user = tx.scalar(select(PortalUser).where(PortalUser.email == values["email"]))
        if user is not None and user.membership(values["code_t"]) is not None:  # the form sent twice at once
            form.add_error("email", USER_EXISTS)
            return _new_user_page(form, dealers)
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
    form = RightsForm(formdata=None, data={"rights": membership.rights}) if request.method == "GET" or locked \
        else RightsForm()
    if request.method == "GET" or locked:
        status = 403 if locked and request.method == "POST" else 200
        return render_template("icare/edit_user.html", member=membership, locked=locked, form=form), status
    if not form.validate():
        return render_template("icare/edit_user.html", member=membership, locked=None, form=form), 422
    rights = form.rights.value
    with write() as tx:
        tx.get(Membership, membership.id).rights = rights
    flash(f"Les droits de {membership.user.first_name} {membership.user.last_name} ont été enregistrés.")
    return redirect(url_for("icare_accounts.user_list"))
