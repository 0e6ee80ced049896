"""Step 3: the private space behind a personal identifiant (V…), and the ways back in when it is lost."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, redirect, request, url_for

from common.outbox import PER_ADDRESS_HOURLY
from common.sessions import close_session, current_session, login_blocked, open_session, record_login
from common.web import public_url_for
from simulators.portail_b2b import forms, service
from simulators.portail_b2b.store import LoginAttempt, PortalUser, Supplier, WebSession, outbox
from simulators.portail_b2b.views import db, form_page, render, sender_email

bp = Blueprint("account", __name__)

IDENTIFIANT_SUBJECT = "Portail B2B STELLANTIS : votre identifiant"
RESET_SUBJECT = "Portail B2B STELLANTIS : réinitialisation de votre mot de passe"
ASL_RESET_SUBJECT = "Portail B2B STELLANTIS : mot de passe de réinitialisation"
ASL_RESET_SENT = "Un mot de passe de réinitialisation a été envoyé à votre adresse mail."
LOGIN_REFUSED = "Identifiant ou mot de passe incorrect."
BLOCKED = ("Accès bloqué : trop de tentatives de connexion échouées pour cet identifiant. Réessayez "
           "dans {minutes} minutes, ou obtenez un mot de passe de réinitialisation.")
SAME_ANSWER = ("Si ces informations correspondent à un identifiant du Portail B2B, un e-mail vient "
               "d'être envoyé à l'adresse enregistrée.")
NO_MATCH = ("Ces informations ne correspondent à aucun identifiant enregistré : vérifiez l'identifiant, "
            "le COFOR et l'adresse mail, qui doit correspondre exactement à celle enregistrée pour "
            "votre identifiant (majuscules/minuscules comprises).")


@bp.route("/connexion", methods=["GET", "POST"])
@form_page("login.html", forms.LOGIN)
def login(values: dict):
    """Login with identifiant and password; a refusal never says which of the two was wrong."""
    password = values.pop("password")  # kept out of the page shown again
    key, minutes = values["identifiant"], current_app.config["B2B_LOCK_MINUTES"]
    blocked = {"login": BLOCKED.format(minutes=minutes)}
    if login_blocked(db(), LoginAttempt, key):
        return render("login.html", 429, values=values, errors=blocked)
    with db().transaction() as tx:
        user = service.authenticate(tx, key, password)
        locked = record_login(tx, LoginAttempt, key, user is not None,
                              account_failures=current_app.config["B2B_MAX_LOGIN_FAILURES"],
                              lock=dt.timedelta(minutes=minutes))
        if user is not None:
            open_session(tx, WebSession, user.identifiant)
    if user is None:
        return render("login.html", 429 if locked else 401, values=values,
                      errors=blocked if locked else {"login": LOGIN_REFUSED})
    return redirect(url_for("account.private_space"))


@bp.post("/deconnexion")
def logout():
    """Se déconnecter, on the server: a copy of the cookie no longer opens the private space."""
    with db().transaction() as tx:
        close_session(tx, WebSession)
    return redirect(url_for("access.home"))


def signed_in() -> bool:
    """Whether this browser holds a live session (the menu shows « Mon espace privé »)."""
    return current_session(db(), WebSession) is not None


@bp.get("/espace")
def private_space():
    """Mon espace privé: the user's company, and for an ASL Tiers the company's identifiants."""
    row = current_session(db(), WebSession)
    user = db().session.get(PortalUser, row.subject) if row else None
    if user is None:
        return redirect(url_for("account.login"))
    return render("private_space.html", user=user, supplier=db().session.get(Supplier, user.cofor))


@bp.route("/identifiant-perdu", methods=["GET", "POST"])
@form_page("lost_identifiant.html", forms.LOST_IDENTIFIANT)
def lost_identifiant(values: dict):
    """« Vous avez oublié votre identifiant ? » — mails the V identifiant(s) registered for that email."""
    with db().transaction() as tx:
        users = service.users_by_email(tx, values["cofor"], values["email"])
        # recorded whether any user matched or not: the same work, so the time tells nothing
        if outbox.account_request(tx, IDENTIFIANT_SUBJECT, values["cofor"], values["email"]) and users:
            outbox.send_mail(tx, values["email"], IDENTIFIANT_SUBJECT,
                             "Bonjour,\n\nIdentifiant(s) STELLANTIS pour le Portail B2B enregistré(s) pour cette "
                             "adresse :\n" + "\n".join(f"- {u.identifiant} ({u.full_name})" for u in users)
                             + "\n\nCet identifiant est PERSONNEL.", sender=sender_email())
    return render("lost_identifiant.html", message=SAME_ANSWER)


@bp.route("/mot-de-passe-perdu", methods=["GET", "POST"])
@form_page("lost_password.html", forms.LOST_PASSWORD)
def lost_password(values: dict):
    """« Vous avez oublié votre mot de passe ? » — only for a V identifiant; mails a reset link."""
    with db().transaction() as tx:
        user = tx.get(PortalUser, values["identifiant"])
        # recorded whether the two match an account or not: the same work, so the time tells nothing
        allowed = outbox.account_request(tx, RESET_SUBJECT, values["identifiant"], values["email"])
        if allowed and user is not None and user.email == values["email"]:
            token = service.new_reset_token(tx, user)
            link = public_url_for("account.reset_with_link", token=token)
            outbox.send_mail(tx, user.email, RESET_SUBJECT,
                             f"Bonjour {user.full_name},\n\nPour choisir un nouveau mot de passe pour l'identifiant "
                             f"{user.identifiant}, ouvrez ce lien (valable {service.RESET_LINK_HOURS} heure) :\n"
                             f"{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
                             sender=sender_email())
    return render("lost_password.html", message=SAME_ANSWER)


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def reset_with_link(token: str):
    """The page behind a reset link: choose a new password (rules checked), once."""
    # A short transaction, not the request session: that one would hold SQLite's lock until the end.
    with db().transaction() as tx:
        valid = service.valid_reset_token(tx, token) is not None
    if not valid:
        return render("new_password.html", 404, invalid=True)
    if request.method == "GET":
        return render("new_password.html")
    values, errors = forms.parse(forms.NEW_PASSWORD, request.form)
    if not errors:
        problems = service.password_problems(values["password"])
        if problems:
            errors["password"] = "Le mot de passe doit comporter " + ", ".join(problems) + "."
        elif values["password"] != values["confirmation"]:
            errors["confirmation"] = "La confirmation ne correspond pas au nouveau mot de passe."
    if errors:
        return render("new_password.html", 422, errors=errors)
    with db().transaction() as tx:
        row = service.valid_reset_token(tx, token)
        if row is None:  # used meanwhile (double submit): no second change
            return render("new_password.html", 404, invalid=True)
        row.used = True
        service.set_password(tx, tx.get(PortalUser, row.identifiant), values["password"])
    return render("new_password.html", done=True)


@bp.route("/asl-tiers", methods=["GET", "POST"])
@form_page("asl_tiers.html", forms.ASL_TIERS)
def asl_tiers(values: dict):
    """ASL Tiers: identifiant + COFOR + exact email → a reset password by mail. A plain user is told
    who their ASL Tiers is, to ask them for the reset."""
    with db().transaction() as tx:
        user = tx.get(PortalUser, values["identifiant"])
        if user is None or user.cofor != values["cofor"] or user.email != values["email"]:
            return render("asl_tiers.html", 422, values=values, errors={"email": NO_MATCH})
        if not user.asl_tiers:
            admins = [u for u in tx.get(Supplier, user.cofor).users if u.asl_tiers]
            return render("asl_tiers.html", values=values, admins=admins)
        if outbox.sent_recently(tx, user.email, ASL_RESET_SUBJECT) >= PER_ADDRESS_HOURLY:
            # anyone knowing the three values may ask: past a few an hour the password stays (no one
            # keeps the ASL Tiers out, nor floods the address), the answer alike
            return render("asl_tiers.html", message=ASL_RESET_SENT)
        password = service.reset_password()
        service.set_password(tx, user, password)
        outbox.send_mail(tx, user.email, ASL_RESET_SUBJECT,
                         f"Bonjour {user.full_name},\n\nVotre mot de passe de réinitialisation pour l'identifiant "
                         f"{user.identifiant} est : {password}\n\nConnectez-vous au Portail B2B avec ce mot de passe.",
                         sender=sender_email())
    return render("asl_tiers.html", message=ASL_RESET_SENT)
