"""Who is at the keyboard: a dealer user logged in by password, or the browser a DMS opened with a
signed declaration link (SPEC §4.1 ``declaration_url``). Rights are checked on the server."""
from __future__ import annotations

import datetime as dt
import functools

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request, session,
                   url_for)
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from centralisateur.store import Dealer, Declaration, DealerUser, utcnow
from common.auth import check_password

bp = Blueprint("session", __name__)

TOKEN_MAX_AGE = 24 * 3600
MAX_FAILURES = 5
LOCK_TIME = dt.timedelta(minutes=15)


def current_dealer() -> Dealer | None:
    if "dealer" not in g:
        rrdi = session.get("rrdi")
        g.dealer = current_app.extensions["db"].session.get(Dealer, rrdi) if rrdi else None
    return g.dealer


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_dealer() is None:
            return redirect(url_for("session.login", suivant=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def own_declaration(bdc_number: str) -> Declaration:
    """The current dealer's declaration, or 404 (another dealer's number reveals nothing)."""
    declaration = current_app.extensions["db"].session.scalar(
        select(Declaration).where(Declaration.bdc_number == bdc_number))
    if declaration is None or declaration.dealer_rrdi != session.get("rrdi"):
        abort(404)
    return declaration


def _safe_next(target: str | None, default: str) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else default


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    error, email = None, ""
    if request.method == "POST":
        email = (request.form.get("email") or "").strip().lower()
        password = request.form.get("password") or ""
        db = current_app.extensions["db"]
        with db.transaction() as s:
            user = s.scalar(select(DealerUser).where(DealerUser.email == email))
            if user and user.locked_until and user.locked_until > utcnow():
                error = ("Trop de tentatives : le compte est bloqué quelques minutes. "
                         "Réessayez plus tard ou contactez le support.")
            elif user and check_password(user.password_hash, password):
                user.failed_logins, user.locked_until = 0, None
                session.clear()
                session["rrdi"] = user.dealer_rrdi
                return redirect(_safe_next(request.args.get("suivant"), url_for("home.index")))
            else:
                error = "Email ou mot de passe incorrect."
                if user:
                    user.failed_logins += 1
                    if user.failed_logins >= MAX_FAILURES:
                        user.locked_until, user.failed_logins = utcnow() + LOCK_TIME, 0
        return render_template("centralisateur/login.html", error=error, email=email), 401
    return render_template("centralisateur/login.html", error=error, email=email)


@bp.post("/deconnexion")
def logout():
    session.clear()
    return redirect(url_for("session.login"))


@bp.get("/declaration/<token>")
def entry(token: str):
    """The link a DMS opens: signs the browser in as the hand-off's dealer, then on to the flow."""
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
    declaration = current_app.extensions["db"].session.get(Declaration, declaration_id)
    if declaration is None:
        abort(404)
    from certification.hooks import record_page
    record_page(declaration)
    if session.get("rrdi") != declaration.dealer_rrdi:
        session.clear()
        session["rrdi"] = declaration.dealer_rrdi
    return redirect(url_for("declare.start", bdc_number=declaration.bdc_number))
