"""Certification sessions in the centralisateur's database, apart from the dealers' data: a session
owns its key, its certification dealer (looked up from here, the dealers' table is not changed) and
its state. Its evidence comes from the centralisateur's request journal and is kept here, exchange by
exchange, as the session is judged (``CertExchange``): the journal's retention never takes it away."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from centralisateur.store import Base, utcnow


class CertSession(Base):
    __tablename__ = "cds_cert_sessions"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    dms: Mapped[str] = mapped_column(String(20))
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    # The key signs the callbacks sent to the DMS under test, so it is kept (a session key, not a dealer's).
    signing_key: Mapped[str] = mapped_column(String(100))
    dealer_rrdi: Mapped[str] = mapped_column(ForeignKey("cds_dealers.rrdi"), unique=True)
    callback_url: Mapped[str | None] = mapped_column(String(500))
    plan_version: Mapped[str] = mapped_column(String(10))
    day: Mapped[str] = mapped_column(String(10))           # the sales' date (RFC 3339 date)
    wait_seconds: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CertExchange(Base):
    """One exchange of a session, copied from the journal entry (the contract's shape, secrets already
    redacted) when the session is judged: the server's own record its report and attestation rest on."""
    __tablename__ = "cds_cert_exchanges"
    session_id: Mapped[str] = mapped_column(ForeignKey("cds_cert_sessions.id"), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    time: Mapped[str] = mapped_column(String(40))          # RFC 3339, as the entry says: the order to read
    entry: Mapped[dict] = mapped_column(JSON)


class CertProbe(Base):
    """A test callback the session sent the DMS (signed, forged, replayed, stale, a delivery sent
    again), written before it is sent: what it tests and for which scenario stays here, never on the
    wire, where a DMS could answer by it instead of checking the signature (``certification.actions``).
    An exchange of the evidence is that probe when its ``X-Spoticar-Delivery`` and
    ``X-Spoticar-Timestamp`` are the probe's (in the order sent: a replay repeats both)."""
    __tablename__ = "cds_cert_probes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("cds_cert_sessions.id"), index=True)
    delivery: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    scenario: Mapped[str] = mapped_column(String(60))
