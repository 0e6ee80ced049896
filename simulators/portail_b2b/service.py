"""The portal's rules, apart from the views: analysis of an access request, the grey timeline,
login throttling, password reset links and reset passwords."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import string

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.auth import hash_password
from common.sessions import check_password_evenly, end_sessions_of, forget_failures
from fixtures import reference
from simulators.portail_b2b.store import (STATES, LoginAttempt, PortalUser, ResetToken, Supplier, WebSession,
                                          utcnow)

# The grey timeline: the step a supplier must have reached, and its label.
TIMELINE = (
    ("presented", "Présentation de la société dans la base fournisseur"),
    ("access_requested", "Demande d'accès au portail B2B"),
    ("access_open", "Ouverture de l'accès de la société au portail B2B"),
    ("with_users", "Création des identifiants personnels (commençant par V)"),
)
RESET_LINK_HOURS = 1


def portal_data() -> dict:
    return reference.load("portail_b2b")


def timeline(supplier: Supplier | None) -> list[dict]:
    """Each step with ``done``, ``current`` or ``todo`` for ``supplier`` (all todo when unknown)."""
    reached = supplier.step() if supplier else -1
    steps = []
    for state, label in TIMELINE:
        index = STATES.index(state)
        status = "done" if index <= reached else ("current" if index == reached + 1 else "todo")
        steps.append({"label": label, "status": status})
    return steps


def analyse(session: Session, values: dict) -> tuple[Supplier | None, dict[str, str]]:
    """The supplier behind a COFOR (and optional code site), or messages saying what is unknown."""
    supplier = session.get(Supplier, values["cofor"])
    if supplier is None:
        return None, {"cofor": f"Le COFOR {values['cofor']} est inconnu de la base fournisseur : "
                               "vérifiez-le, ou cliquez sur « je ne connais pas le COFOR de ma société »."}
    if values.get("code_site") and values["code_site"] not in {s.code for s in supplier.sites}:
        return None, {"code_site": f"Le code site {values['code_site']} n'existe pas pour ce COFOR : "
                                   "corrigez-le ou laissez-le vide."}
    return supplier, {}


# --- login ----------------------------------------------------------------------------------------
def authenticate(session: Session, identifiant: str, password: str) -> PortalUser | None:
    """The user when both parts are right; the same ``None`` (after the same work) otherwise."""
    user = session.get(PortalUser, identifiant)
    accepted = check_password_evenly(user.password_hash if user else None, password)
    return user if accepted else None


# --- passwords ------------------------------------------------------------------------------------
def password_problems(password: str) -> list[str]:
    """What a new password lacks: 12 caractères, 1 majuscule, 1 minuscule, 1 chiffre."""
    rules = [(len(password) >= 12, "au moins 12 caractères"),
             (any(c.isupper() for c in password), "au moins une majuscule"),
             (any(c.islower() for c in password), "au moins une minuscule"),
             (any(c.isdigit() for c in password), "au moins un chiffre")]
    return [label for ok, label in rules if not ok]


def reset_password() -> str:
    """A random reset password that meets the rules (no look-alike characters)."""
    alphabet = [c for c in string.ascii_letters + string.digits if c not in "Il1O0o"]
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if not password_problems(candidate):
            return candidate


def set_password(session: Session, user: PortalUser, password: str) -> None:
    user.password_hash = hash_password(password)
    forget_failures(session, LoginAttempt, user.identifiant)
    end_sessions_of(session, WebSession, user.identifiant)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_reset_token(session: Session, user: PortalUser) -> str:
    token = secrets.token_urlsafe(32)
    session.add(ResetToken(digest=_digest(token), identifiant=user.identifiant,
                           expires_at=utcnow() + dt.timedelta(hours=RESET_LINK_HOURS)))
    return token


def valid_reset_token(session: Session, token: str) -> ResetToken | None:
    row = session.get(ResetToken, _digest(token))
    return row if row and not row.used and row.expires_at > utcnow() else None


def users_by_email(session: Session, cofor: str, email: str) -> list[PortalUser]:
    """Users of ``cofor`` whose registered email is exactly ``email`` (case included)."""
    return list(session.scalars(select(PortalUser).where(PortalUser.cofor == cofor,
                                                         PortalUser.email == email)))
