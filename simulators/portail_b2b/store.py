"""The portal's store: suppliers and their sites, presentations, access requests, users, throttling."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from common.sessions import session_models
from common.db import AddressColumns, utcnow  # noqa: F401  (utcnow re-exported)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.outbox import define_outbox

# A supplier's progress, in order: the grey timeline (frise grise) of "Obtenir un accès".
STATES = ("not_presented", "presented", "access_requested", "access_open", "with_users")


class Base(DeclarativeBase):
    pass


outbox = define_outbox(Base, "portail_b2b")



class PresentedCompany(AddressColumns):
    """A company as « Présentez votre société » describes it: kept on its Supplier when it has a COFOR,
    on a Presentation until the purchasing department gives it one."""
    name: Mapped[str] = mapped_column(String(120))
    siret: Mapped[str] = mapped_column(String(14), index=True)
    country: Mapped[str] = mapped_column(String(60), default="")
    activity: Mapped[str] = mapped_column(String(80), default="")
    contact_name: Mapped[str] = mapped_column(String(160), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")


class Supplier(PresentedCompany, Base):
    """A company known by its COFOR, at one of ``STATES``."""

    __tablename__ = "portail_b2b_suppliers"
    cofor: Mapped[str] = mapped_column(String(10), primary_key=True)
    state: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sites = relationship("SupplierSite", order_by="SupplierSite.code", lazy="selectin")
    users = relationship("PortalUser", order_by="PortalUser.identifiant", lazy="selectin")

    def step(self) -> int:
        return STATES.index(self.state)


class OfSupplier:
    """A row that belongs to one supplier, by its COFOR."""
    cofor: Mapped[str] = mapped_column(ForeignKey("portail_b2b_suppliers.cofor"), index=True)


class SupplierSite(OfSupplier, Base):
    __tablename__ = "portail_b2b_sites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(120))


class Presentation(PresentedCompany, Base):
    """A company presented without a COFOR yet: waits for the purchasing department."""

    __tablename__ = "portail_b2b_presentations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True, default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AccessRequest(OfSupplier, Base):
    __tablename__ = "portail_b2b_access_requests"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_site: Mapped[str] = mapped_column(String(4), default="")
    last_name: Mapped[str] = mapped_column(String(80))
    first_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(30))
    function: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PortalUser(OfSupplier, Base):
    """A personal identifiant (V…) of a supplier's employee; the ASL Tiers administers the others."""

    __tablename__ = "portail_b2b_users"
    identifiant: Mapped[str] = mapped_column(String(10), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(30), default="")
    asl_tiers: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str] = mapped_column(String(255))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"


# A signed-in browser (subject = the V identifiant; logout deletes it) and failed logins per
# identifiant typed, known or not (common.sessions).
WebSession, LoginAttempt = session_models(Base, "portail_b2b_sessions", "portail_b2b_login_attempts")


class ResetToken(Base):
    """A single-use link to choose a new password (stored as a digest, never in clear)."""

    __tablename__ = "portail_b2b_reset_tokens"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    identifiant: Mapped[str] = mapped_column(ForeignKey("portail_b2b_users.identifiant"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
