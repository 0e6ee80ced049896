"""Who is at the keyboard: a dealer user logged in by password, or the browser a DMS opened with a
signed declaration link (SPEC §4.1 ``declaration_url``). Rights are checked on the server."""
from __future__ import annotations

import functools

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, select

from centralisateur.account_forms import LoginForm
from centralisateur.store import Dealer, DealerUser, Declaration, LoginAttempt, WebSession
from common.journal import join as join_trace
from common.sessions import (check_password_evenly, close_session, current_session, login_blocked,
                             open_session, record_login, session_subject)
from common.web import local_path

bp = Blueprint("session", __name__)

TOKEN_MAX_AGE = 24 * 3600
LINK_SCOPE = "declaration:"


def _db():
    return current_app.extensions["db"]


def current_dealer() -> Dealer | None:
    """The dealer this browser is signed in as (by login or by a declaration link), or None."""
    if "dealer" not in g:
        row = current_session(_db(), WebSession, Dealer)
        dealer = session_subject() if row is not None else None
        if row is not None and dealer is None:  # the session was read earlier, without its dealer
            dealer = _db().session.get(Dealer, row.subject)
        g.dealer = dealer
    return g.dealer


def link_declaration_id() -> int | None:
    """The one declaration a DMS link opened, when that is all this browser may see; None for a login."""
    row = current_session(_db(), WebSession)
    if row is None or not (row.scope or "").startswith(LINK_SCOPE):
        return None
    return int(row.scope.removeprefix(LINK_SCOPE))


def _to_login():
    return redirect(url_for("session.login", suivant=request.full_path.rstrip("?")))


def login_required(view):
    """The dealer's account (Accueil, RGPD, statistics…): a password login, not a declaration link."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_dealer() is None or link_declaration_id() is not None:
            return _to_login()
        return view(*args, **kwargs)
    return wrapped


def link_or_login_required(view):
    """A declaration's own pages (and the Profil its first declaration needs): a login, or the DMS's
    link to that declaration; ``own_declaration`` keeps a link to its one declaration."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_dealer() is None:
            return _to_login()
        return view(*args, **kwargs)
    return wrapped


_BY_NUMBER = select(Declaration).where(Declaration.bdc_number == bindparam("bdc_number"))  # built once


def own_declaration(bdc_number: str) -> Declaration:
    """The current dealer's declaration, or 404 (another dealer's number reveals nothing); a browser
    signed in by a declaration link sees that declaration only."""
    declaration = _db().session.scalar(_BY_NUMBER, {"bdc_number": bdc_number})
    dealer = current_dealer()
    if declaration is None or dealer is None or declaration.dealer_rrdi != dealer.rrdi:
        abort(404)
    scope = link_declaration_id()
    if scope is not None and scope != declaration.id:
        abort(_to_login())
    return declaration


LOGIN_REFUSED = "Email ou mot de passe incorrect."
LOCKED = ("Trop de tentatives : le compte est bloqué quelques minutes. "
          "Réessayez plus tard ou contactez le support.")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        return _login_page(form)
    if not form.validate():
        return _login_page(form, status=422)
    email, password = form.email.value, form.password.data
    db = _db()
    if login_blocked(db, LoginAttempt, email):
        return _login_page(form, LOCKED, 429)
    user = db.session.scalar(select(DealerUser).where(DealerUser.email == email))
    # the same KDF work with or without an account: the answer time says nothing
    accepted = check_password_evenly(user.password_hash if user else None, password)
    with db.transaction() as tx:
        locked = record_login(tx, LoginAttempt, email, accepted)
        if accepted:
            open_session(tx, WebSession, user.dealer_rrdi)
    if accepted:
        return redirect(local_path(request.args.get("suivant"), url_for("home.index")))
    return _login_page(form, LOCKED, 429) if locked else _login_page(form, LOGIN_REFUSED, 401)


def _login_page(form: LoginForm, refusal: str | None = None, status: int = 200):
    """CONNEXION; ``refusal`` (bad login, lock) is listed with the fields' own messages."""
    if refusal:
        form.add_error(None, refusal)
    return render_template("centralisateur/login.html", form=form), status


@bp.post("/deconnexion")
def logout():
    """Se déconnecter: the server forgets the session, so no copy of the cookie works afterwards."""
    with _db().transaction() as tx:
        close_session(tx, WebSession)
    return redirect(url_for("session.login"))


@bp.get("/declaration/<token>")
def entry(token: str):
    """The link a DMS opens: this declaration only (a dealer already logged in keeps the account)."""
    serializer = URLSafeTimedSerializer(current_app.secret_key, salt="declaration")
    try:
        declaration_id = serializer.loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired:
        return render_template("common/error.html", status=403,
                               message="Ce lien de déclaration a expiré : relancez la déclaration depuis "
                                       "votre DMS."), 403
    except BadSignature:
        return render_template("common/error.html", status=403,
                               message="Lien de déclaration invalide."), 403
    if isinstance(declaration_id, list):  # [id, trace id]: the link joins the hand-off's trace
        declaration_id, trace_id = declaration_id
        join_trace(trace_id)
    declaration = _db().session.get(Declaration, declaration_id)
    if declaration is None:
        abort(404)
    from certification.hooks import record_page
    record_page(declaration)
    dealer = current_dealer()
    logged_in = dealer is not None and link_declaration_id() is None
    if not (logged_in and dealer.rrdi == declaration.dealer_rrdi):
        with _db().transaction() as tx:
            open_session(tx, WebSession, declaration.dealer_rrdi, f"{LINK_SCOPE}{declaration.id}")
    # the browser is now the declaration's dealer: a configured one goes straight to 1/3 (one
    # redirect fewer for the DMS's pop-up); the first declaration still passes by Profil (start)
    owner = _db().session.get(Dealer, declaration.dealer_rrdi)
    endpoint = "declare.choose" if owner is not None and owner.profile_configured else "declare.start"
    return redirect(url_for(endpoint, bdc_number=declaration.bdc_number))
