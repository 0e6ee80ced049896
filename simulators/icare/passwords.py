"""Services.Spoticar password rules (seed 003): the same list drives the page and the server."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.auth import check_password, hash_password
from simulators.icare.portal_store import PasswordHistory, PortalUser

MIN_LENGTH = 15

# (rule id, label on the page, message when it is not met); the ids are what password_rules.js uses.
RULES: list[tuple[str, str, str]] = [
    ("length", "15 caractères", "Le mot de passe doit contenir au moins 15 caractères."),
    ("upper", "1 majuscule", "Le mot de passe doit contenir au moins 1 majuscule."),
    ("lower", "1 minuscule", "Le mot de passe doit contenir au moins 1 minuscule."),
    ("digit", "1 chiffre", "Le mot de passe doit contenir au moins 1 chiffre."),
    ("special", "1 caractère spécial (Hors €)",
     "Le mot de passe doit contenir au moins 1 caractère spécial (hors €)."),
]
EURO_MESSAGE = "Le caractère € n'est pas accepté dans le mot de passe."
CONFIRM_MESSAGE = "La confirmation ne correspond pas au nouveau mot de passe."
REUSED_MESSAGE = "Le nouveau mot de passe doit être différent des précédents."


def _is_special(char: str) -> bool:
    return not char.isalnum() and not char.isspace() and char != "€"


CHECKS = {
    "length": lambda pw: len(pw) >= MIN_LENGTH,
    "upper": lambda pw: any(c.isupper() for c in pw),
    "lower": lambda pw: any(c.islower() for c in pw),
    "digit": lambda pw: any(c.isdigit() for c in pw),
    "special": lambda pw: any(_is_special(c) for c in pw),
}


def rule_problems(password: str, confirmation: str) -> list[str]:
    """French messages for every rule the new password breaks (empty list: acceptable)."""
    problems = [message for rule, _label, message in RULES if not CHECKS[rule](password)]
    if "€" in password:
        problems.append(EURO_MESSAGE)
    if password != confirmation:
        problems.append(CONFIRM_MESSAGE)
    return problems


def was_used_before(session: Session, user: PortalUser, password: str) -> bool:
    """True when the user already had this password (current one included)."""
    hashes = session.scalars(select(PasswordHistory.password_hash)
                             .where(PasswordHistory.user_id == user.id))
    return any(check_password(stored, password) for stored in hashes)


def set_password(session: Session, user: PortalUser, password: str, hashed: str | None = None) -> None:
    """Store the new password, remember it in the history and end the user's other sessions
    (``hashed``: its hash prepared beforehand, for the demo seed)."""
    user.password_hash = hashed or hash_password(password)
    user.session_version = (user.session_version or 0) + 1
    session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
