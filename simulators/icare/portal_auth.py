"""Portal login (with throttling), "Mot de passe oublié ?", reset and activation links."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import (Blueprint, current_app, flash, redirect, render_template, request, session,
                   url_for)
from sqlalchemy import func, select

from common.forms import page_unless_valid
from common.sessions import check_password_evenly, close_session, login_blocked, record_login
from common.web import local_path, public_url_for
from simulators.icare import passwords
from simulators.icare.auth_forms import EstablishmentForm, ForgotForm, LoginForm, PasswordForm
from simulators.icare.portal_session import (current_membership, current_user, db_session, login,
                                             write)
from simulators.icare.portal_store import (RIGHTS, AccountToken, LoginAttempt, Membership, PortalUser,
                                           WebSession)
from simulators.icare.store import IcareDealer, outbox, utcnow

bp = Blueprint("icare_auth", __name__)

BAD_LOGIN = "Email ou mot de passe incorrect."
LOCKED = ("Trop de tentatives de connexion infructueuses : l'accès à ce compte est bloqué pendant "
          "{minutes} minutes.")
RESET_SENT = ("Si cette adresse est enregistrée, vous recevrez un email avec un lien pour réinitialiser "
              "votre mot de passe (vérifiez dans vos spams si vous ne recevez pas l'email).")
def _setting(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


@bp.route("/connexion", methods=["GET", "POST"])
def login_page():
    """Login: email + password; a lock after repeated failures, whether the email exists or not."""
    form = LoginForm()
    if request.method == "GET":
        if current_membership() is not None:
            return redirect(url_for("icare_portal.home"))
        return _login_page(form, request.args.get("next", ""))
    next_url = request.form.get("next", "")
    if not form.validate():
        return _login_page(form, next_url, status=422)
    email, password = form.email.value, form.password.data
    read = db_session()
    minutes = _setting("ICARE_LOCK_MINUTES", 15)
    if login_blocked(current_app.extensions["db"], LoginAttempt, email):
        return _login_page(form, next_url, LOCKED.format(minutes=minutes), 429)
    user = read.scalar(select(PortalUser).where(PortalUser.email == email))
    usable = user is not None and user.active and bool(user.memberships)
    accepted = check_password_evenly(user.password_hash if usable else None, password)
    with write() as tx:
        locked = record_login(tx, LoginAttempt, email, accepted,
                              account_failures=_setting("ICARE_LOGIN_MAX_FAILURES", 5),
                              lock=dt.timedelta(minutes=minutes))
        if accepted:
            login(tx, user, remember=form.remember.data)
    if accepted:
        return redirect(local_path(next_url, url_for("icare_portal.home")))
    if locked:
        return _login_page(form, next_url, LOCKED.format(minutes=minutes), 429)
    return _login_page(form, next_url, BAD_LOGIN, 401)


def _login_page(form: LoginForm, next_url: str, refusal: str | None = None, status: int = 200):
    """The login page; ``refusal`` (bad login, lock) is listed with the fields' own messages."""
    if refusal:
        form.add_error(None, refusal)
    return render_template("icare/login.html", form=form, next=next_url), status


bp.add_url_rule("/", "login", login_page, methods=["GET", "POST"])


@bp.post("/deconnexion")
def logout():
    """End the session (« Se déconnecter »), on the server: a copy of the cookie no longer works."""
    with write() as tx:
        close_session(tx, WebSession)
    flash("Vous êtes déconnecté.")
    return redirect(url_for("icare_auth.login"))


@bp.post("/etablissement")
def switch_establishment():
    """A multi-site user chooses the establishment the portal shows."""
    user = current_user()
    code_t = EstablishmentForm().code_t.data
    if user is None:
        return redirect(url_for("icare_auth.login"))
    if user.membership(code_t) is None:
        return render_template("icare/refused.html", right="",
                               message="Vous n'avez pas accès à cet établissement."), 403
    session["icare_code_t"] = code_t
    return redirect(url_for("icare_portal.home"))


def create_link(tx, purpose: str, email: str, hours: int) -> str:
    """A one-time token (only its digest is stored); returns the raw token for the mail's link."""
    raw = secrets.token_urlsafe(32)
    tx.add(AccountToken(digest=hashlib.sha256(raw.encode()).hexdigest(), purpose=purpose,
                        email=email, expires_at=utcnow() + dt.timedelta(hours=hours)))
    return raw


def _convention_dealers(db, email: str) -> list[IcareDealer]:
    return list(db.scalars(select(IcareDealer).where(
        func.lower(IcareDealer.convention_email) == email).order_by(IcareDealer.code_t)))


RESET_SUBJECT = "Réinitialisation de votre mot de passe Services.Spoticar"


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgot():
    """Always the same answer: nobody learns which emails have an account."""
    form = ForgotForm()
    page = page_unless_valid(form, "icare/forgot.html", 400)
    if page:
        return page
    email = form.email.value
    hours = _setting("ICARE_RESET_TTL_HOURS", 1)
    with write() as tx:
        known = (tx.scalar(select(PortalUser.id).where(PortalUser.email == email)) is not None
                 or bool(_convention_dealers(tx, email)))
        # recorded whether known or not (the same work: the time tells nothing), at most a few mails an
        # hour per address (no mail bombing); the answer stays the same
        if outbox.account_request(tx, RESET_SUBJECT, email) and known:
            url = public_url_for("icare_auth.reset", token=create_link(tx, "reset", email, hours))
            outbox.send_template(tx, email, RESET_SUBJECT, "icare/mails/reset.txt", url=url, hours=hours)
    return render_template("icare/forgot.html", form=ForgotForm(formdata=None), sent=RESET_SENT)


def _token(db, raw: str, purpose: str):
    """The token row, or a refusal page (unknown, expired or already used link)."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    # FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises): a link used twice at
    # once is still used once.
    token = db.scalar(select(AccountToken).where(AccountToken.digest == digest,
                                                 AccountToken.purpose == purpose).with_for_update())
    if token is None:
        message = "Ce lien n'est pas valide. Demandez un nouveau lien depuis « Mot de passe oublié ? »."
        return None, (render_template("icare/link_refused.html", message=message), 404)
    if token.used_at is not None:
        message = ("Ce lien a déjà été utilisé : il ne sert qu'une fois. Demandez un nouveau lien "
                   "depuis « Mot de passe oublié ? ».")
        return None, (render_template("icare/link_refused.html", message=message), 410)
    if token.expires_at < utcnow():
        message = "Ce lien a expiré. Demandez un nouveau lien depuis « Mot de passe oublié ? »."
        return None, (render_template("icare/link_refused.html", message=message), 410)
    return token, None


def _admin_of_convention(tx, user: PortalUser | None, email: str) -> PortalUser:
    """The account for ``email``, created (or completed) as administrator of every dealer whose
    convention names that email."""
    dealers = _convention_dealers(tx, email)
    if user is None:
        user = PortalUser(email=email, last_name=dealers[0].name, first_name="Administrateur")
        tx.add(user)
        tx.flush()
    for dealer in dealers:
        if user.membership(dealer.code_t) is None:
            user.memberships.append(Membership(code_t=dealer.code_t, rights=list(RIGHTS), is_admin=True))
    return user


def _page(db, token: AccountToken, purpose: str) -> dict:
    existing = db.scalar(select(PortalUser).where(PortalUser.email == token.email))
    return {"purpose": purpose, "rules": passwords.RULES,
            "creating": purpose == "reset" and (existing is None or not existing.active)}


def _password_page(raw: str, purpose: str):
    form = PasswordForm()
    if request.method == "GET":
        token, refused = _token(db_session(), raw, purpose)
        return refused or render_template("icare/password.html", form=form,
                                          **_page(db_session(), token, purpose))
    with write() as tx:  # checks and changes in one transaction: a link is used once
        token, refused = _token(tx, raw, purpose)
        if refused:
            return refused
        page = _page(tx, token, purpose)
        _check_password_form(form, token)
        email, password = form.email.value, form.password.data
        user = tx.scalar(select(PortalUser).where(PortalUser.email == token.email))
        if not form.error_list and user is None and (purpose != "reset" or not _convention_dealers(tx, email)):
            form.add_error(None, "Aucun compte ne correspond à ce lien.")
        if not form.error_list and user is not None and passwords.was_used_before(tx, user, password):
            form.add_error("password", passwords.REUSED_MESSAGE)
        if form.error_list:  # nothing was changed in this transaction
            return render_template("icare/password.html", form=form, **page), 422
        if purpose == "reset":
            user = _admin_of_convention(tx, user, email)
        passwords.set_password(tx, user, password)
        token.used_at = utcnow()
    flash("Votre compte est activé : connectez-vous avec votre nouveau mot de passe." if purpose ==
          "activation" else "Votre mot de passe a été enregistré : connectez-vous.")
    return redirect(url_for("icare_auth.login"))


def _check_password_form(form: PasswordForm, token: AccountToken) -> None:
    """The fields, the email the link was sent to, then every password rule missed."""
    form.validate()
    if form.email.value and form.email.value != token.email:
        form.add_error("email", "L'email ne correspond pas à celui auquel le lien a été envoyé.")
    if form.password.data:
        problems = passwords.rule_problems(form.password.data, form.confirmation.data or "")
        if passwords.CONFIRM_MESSAGE in problems:
            problems.remove(passwords.CONFIRM_MESSAGE)
            if form.confirmation.data:
                form.add_error("confirmation", passwords.CONFIRM_MESSAGE)
        if problems:
            form.add_errors("password", problems)


@bp.route("/reinitialisation/<token>", methods=["GET", "POST"])
def reset(token: str):
    """Reset page of the mailed link (creates the administrator of a convention email)."""
    return _password_page(token[:100], "reset")


@bp.route("/activation/<token>", methods=["GET", "POST"])
def activation(token: str):
    """"Première connexion": a user created by an administrator sets its password."""
    return _password_page(token[:100], "activation")
