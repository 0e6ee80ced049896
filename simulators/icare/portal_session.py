"""Who is logged in on the portal, on which establishment, and the right checks every view uses."""
from __future__ import annotations

import functools

from flask import current_app, g, redirect, render_template, request, session, url_for

from common.sessions import current_session, open_session
from simulators.icare.auth_forms import EstablishmentForm
from simulators.icare.portal_store import RIGHTS, PortalUser, WebSession
from simulators.icare.store import IcareDealer


def db_session():
    """This request's session, for reads only (common.db: SQLite readers BEGIN DEFERRED)."""
    return current_app.extensions["db"].session


def write():
    """A write transaction (``with write() as tx:``), committed at the end of the block."""
    return current_app.extensions["db"].transaction()


def login(tx, user: PortalUser, remember: bool) -> None:
    """Open a fresh server-side session for ``user`` on its first establishment."""
    open_session(tx, WebSession, str(user.id), permanent=remember)
    session["icare_user"] = user.id
    session["icare_version"] = user.session_version
    session["icare_code_t"] = sorted(m.code_t for m in user.memberships)[0] if user.memberships else None


def current_user() -> PortalUser | None:
    """The logged-in user, or None (also None once the password changed elsewhere)."""
    if "icare_current_user" not in g:
        user = None
        row = current_session(current_app.extensions["db"], WebSession)
        user_id = session.get("icare_user")
        if row is not None and user_id is not None and row.subject == str(user_id):
            user = db_session().get(PortalUser, user_id)
            if user is None or not user.active or user.session_version != session.get("icare_version"):
                session.clear()
                user = None
        g.icare_current_user = user
    return g.icare_current_user


def current_membership():
    """The logged-in user's rights on the establishment shown, or None."""
    user = current_user()
    return user.membership(session.get("icare_code_t")) if user else None


def current_dealer() -> IcareDealer | None:
    """The establishment the portal shows."""
    membership = current_membership()
    return db_session().get(IcareDealer, membership.code_t) if membership else None


def refusal(right: str):
    """The page a user without ``right`` gets instead of the data (403)."""
    dealer = current_dealer()
    message = (f"Vous n'avez pas le droit « {RIGHTS[right]} » pour l'établissement "
               f"{dealer.name if dealer else ''} ({dealer.code_t if dealer else '—'}). "
               "Demandez-le à l'administrateur de votre compte.")
    return render_template("icare/refused.html", message=message, right=RIGHTS[right]), 403


def login_required(view):
    """Send anonymous visitors to the login page (and back here afterwards)."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None or current_membership() is None:
            return redirect(url_for("icare_auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


def right_required(*rights: str):
    """Logged in, and holding at least one of ``rights`` on the current establishment."""
    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            membership = current_membership()
            if not any(membership.has(r) for r in rights):
                return refusal(rights[0])
            return view(*args, **kwargs)
        return wrapper
    return decorator


def portal_context() -> dict:
    """Template globals: the user, the establishment and the user's rights on it."""
    user = current_user() if session.get("icare_user") else None
    membership = user.membership(session.get("icare_code_t")) if user else None
    dealers = []
    if user:
        codes = [m.code_t for m in user.memberships]
        dealers = [db_session().get(IcareDealer, c) for c in sorted(codes)]
    dealers = [d for d in dealers if d is not None]
    switch = EstablishmentForm.shown(dealers, membership.code_t) if len(dealers) > 1 else None
    return {"portal_user": user, "portal_membership": membership,
            "portal_rights": set(membership.rights or []) if membership else set(),
            "portal_dealer": db_session().get(IcareDealer, membership.code_t) if membership else None,
            "portal_dealers": dealers, "establishment_form": switch, "RIGHTS": RIGHTS}
