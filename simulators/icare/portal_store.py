"""Services.Spoticar portal tables: users, their rights per establishment, one-time links, login
throttling and the monthly accounting documents. Same ``Base`` as the contract store."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.columns import Email, IdColumn, PersonName
from common.sessions import session_models
from simulators.icare.store import Base, utcnow

# The six rights of seed 003, in the order the screen shows them.
RIGHTS: dict[str, str] = {
    "devis": "Réaliser des devis & souscriptions",
    "recherche": "Rechercher des devis et contrats",
    "depot_pec": "Déposer des demandes de prise en charge",
    "recherche_pec": "Rechercher des demandes de prise en charge",
    "documents": "Accéder aux documents comptables",
    "comptes": "Gérer les comptes",
}


class PortalUser(IdColumn, Base):
    """A portal account (email = identifiant); inactive until its password is chosen."""
    __tablename__ = "icare_portal_users"
    email: Mapped[Email] = mapped_column(unique=True)  # stored lower-case
    last_name: Mapped[PersonName]
    first_name: Mapped[PersonName]
    mobile: Mapped[str | None] = mapped_column(String(30))
    phone: Mapped[str | None] = mapped_column(String(30))
    password_hash: Mapped[str | None] = mapped_column(String(255))  # None until activated
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", lazy="selectin",
                                                         cascade="all, delete-orphan")

    @property
    def active(self) -> bool:
        return self.password_hash is not None

    def membership(self, code_t: str | None) -> "Membership | None":
        return next((m for m in self.memberships if m.code_t == code_t), None)


class Membership(IdColumn, Base):
    """A user's rights on one establishment (dealer, by code T)."""
    __tablename__ = "icare_portal_memberships"
    __table_args__ = (UniqueConstraint("user_id", "code_t"),)
    user_id: Mapped[int] = mapped_column(ForeignKey("icare_portal_users.id"))
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"))
    rights: Mapped[list] = mapped_column(JSON, default=list)
    is_admin: Mapped[bool] = mapped_column(default=False)
    user: Mapped[PortalUser] = relationship(back_populates="memberships")

    def has(self, right: str) -> bool:
        return right in (self.rights or [])


class PasswordHistory(IdColumn, Base):
    """Every password a user has had, so a new one can be refused if already used."""
    __tablename__ = "icare_portal_password_history"
    user_id: Mapped[int] = mapped_column(ForeignKey("icare_portal_users.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AccountToken(IdColumn, Base):
    """A one-time link sent by mail: password reset (or administrator creation) and activation."""
    __tablename__ = "icare_portal_tokens"
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token in the link
    purpose: Mapped[str] = mapped_column(String(20))  # "reset" | "activation"
    email: Mapped[Email]
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# A signed-in portal browser (subject = the user's id; logout deletes it) and failed logins per email
# typed, known or not (common.sessions).
WebSession, LoginAttempt = session_models(Base, "icare_portal_sessions", "icare_portal_login_attempts")


class IcareDocument(IdColumn, Base):
    """A monthly accounting document of one establishment (e.g. the month's Note de Débit)."""
    __tablename__ = "icare_documents"
    __table_args__ = (UniqueConstraint("code_t", "month", "kind"),)
    number: Mapped[str | None] = mapped_column(String(12), unique=True)
    code_t: Mapped[str] = mapped_column(ForeignKey("icare_dealers.code_t"))
    doc_type: Mapped[str] = mapped_column(String(40))   # one of documents.DOCUMENT_TYPES
    kind: Mapped[str] = mapped_column(String(40))       # which debit of the month (see documents.py)
    title: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(80))
    month: Mapped[dt.date]        # first day of the month covered
    lines: Mapped[list] = mapped_column(JSON, default=list)  # [{label, plate, reference, amount}]
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
