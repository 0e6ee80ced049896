"""The centralisateur's store: dealers and their garantisseurs, DMS clients, users, declarations."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.exc import DBAPIError
from common.db import AddressColumns, partial_index, utcnow  # noqa: F401  (utcnow re-exported)
from common.sessions import session_models
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass



class Dealer(AddressColumns, Base):
    __tablename__ = "cds_dealers"
    rrdi: Mapped[str] = mapped_column(String(7), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    code_t: Mapped[str | None] = mapped_column(String(10))
    cirano_id: Mapped[str | None] = mapped_column(String(20))
    dms: Mapped[str] = mapped_column(String(20))
    configuration: Mapped[str] = mapped_column(String(40))
    # Profil: which commercial garantisseurs the dealer works with (NPO is always on).
    profile_configured: Mapped[bool] = mapped_column(Boolean, default=False)
    use_stellantis: Mapped[bool] = mapped_column(Boolean, default=False)
    use_auto: Mapped[bool] = mapped_column(Boolean, default=False)
    use_cirano: Mapped[bool] = mapped_column(Boolean, default=False)


# A signed-in browser (subject = the dealer's RRDI, scope = a declaration link) and failed logins.
WebSession, LoginAttempt = session_models(Base, "cds_web_sessions", "cds_login_attempts")


class DmsClient(Base):
    __tablename__ = "cds_dms_clients"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)


class DealerUser(Base):
    __tablename__ = "cds_dealer_users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    dealer_rrdi: Mapped[str] = mapped_column(ForeignKey("cds_dealers.rrdi"))


class Declaration(Base):
    """One DMS hand-off and, once the dealer has confirmed the form, the declared sale."""
    __tablename__ = "cds_declarations"
    # the dealer's pages filter on dealer + status and group/sort by declared_at (bench/growth.py)
    __table_args__ = (UniqueConstraint("source_dms", "dealer_rrdi", "dms_order_ref", name="uq_dms_order"),
                      Index("ix_cds_declarations_dealer_status_declared", "dealer_rrdi", "status", "declared_at",
                            "garantisseur"),
                      # Accueil: a dealer's declarations newest first, a page's ids read from the index alone
                      Index("ix_cds_declarations_dealer_id", "dealer_rrdi", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bdc_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    source_dms: Mapped[str] = mapped_column(String(20))
    dms_order_ref: Mapped[str] = mapped_column(String(40))
    dealer_rrdi: Mapped[str] = mapped_column(ForeignKey("cds_dealers.rrdi"))  # ix_cds_declarations_dealer_id
    payload: Mapped[dict] = mapped_column(JSON)             # the hand-off as received (normalised)
    form: Mapped[dict | None] = mapped_column(JSON)         # the values the dealer declared
    program: Mapped[str | None] = mapped_column(String(40))     # page 1: NPO declared for this label
    garantisseur: Mapped[str | None] = mapped_column(String(20))  # page 1: stellantis | auto | cirano
    status: Mapped[str] = mapped_column(String(20), default="pending")
    contract_number: Mapped[str | None] = mapped_column(String(11))  # unique once set: ux_… below
    npo_reference: Mapped[str | None] = mapped_column(String(20))
    message: Mapped[str | None] = mapped_column(Text)
    icare_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # ix_…_retry_at below
    callback_url: Mapped[str | None] = mapped_column(String(500))
    callback_due: Mapped[bool] = mapped_column(Boolean, default=False)  # ix_…_callback_next below
    callback_attempts: Mapped[int] = mapped_column(Integer, default=0)
    callback_next_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    declared_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # the hand-off's trace, written in its own transaction: every worker's journal finds the trace of a
    # declaration here at once (``centralisateur.api_store.trace_binding``), not when a journal writer flushes
    trace_id: Mapped[str | None] = mapped_column(String(32))
    tracestate: Mapped[str | None] = mapped_column(String(512))


# Indexes on what most declarations leave empty — a contract number (once declared), a retry time (while
# Icare is retried), a callback due (until the DMS acknowledged it) — hold only the rows that have one:
# a new hand-off writes none of them (5 b-trees instead of 9: a fifth of the hand-off's SQL), and the
# worker's look-ups every second (``declaring.process_due``: ``next_attempt_at <= now``, ``callback_due
# IS true``) and the contract's uniqueness read just as before. A database made before keeps its former
# full indexes too (``common.schema`` only adds).
# (an Index of a table's columns joins that table)
partial_index("ux_cds_declarations_contract_number", Declaration.contract_number, unique=True,
              where=Declaration.contract_number.is_not(None))
partial_index("ix_cds_declarations_retry_at", Declaration.next_attempt_at, where=Declaration.next_attempt_at.is_not(None))
partial_index("ix_cds_declarations_callback_next", Declaration.callback_next_at, where=Declaration.callback_due.is_(True))


class IcareLease(Base):
    """An attempt at Icare under way for one declaration, held until ``until`` by whoever claimed it
    (form submission, automatic retry or « Relancer »), in whichever worker or process: see
    ``centralisateur.declaring``. A table of its own, so existing databases gain it without a migration."""
    __tablename__ = "cds_icare_leases"

    declaration_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    until: Mapped[dt.datetime] = mapped_column(DateTime)


class DeclarationSearch(Base):
    """The folded (lower case, no accents) searched customer values of one declaration, kept by
    ``centralisateur.privacy`` whenever its hand-off or form changes: the RGPD search scans this one
    short column instead of parsing every JSON document (100,000 declarations in ≤ 50 ms)."""
    __tablename__ = "cds_declaration_search"
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cds_declarations.id", ondelete="CASCADE"),
                                                primary_key=True)
    dealer_rrdi: Mapped[str] = mapped_column(String(7), index=True)
    text: Mapped[str] = mapped_column(Text)


@event.listens_for(DeclarationSearch.__table__, "after_create")
def _trigram_index(_table, connection, **_kw) -> None:
    """On PostgreSQL, a trigram index answers the search's ``LIKE '%…%'`` without reading every row;
    where the server refuses the pg_trgm extension (no right to create it), the search scans."""
    if connection.dialect.name != "postgresql":
        return
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_cds_declaration_search_trgm "
                                       "ON cds_declaration_search USING gin (text gin_trgm_ops)")
    except DBAPIError:
        pass


BDC_BASE = 103_833_700
BDC_PREFIX = "SP"


def bdc_number(rrdi: str, sequence: int) -> str:
    """Numéro de bon de commande: ``SP`` + RRDI (7) + 9 digits, e.g. SP953617Z103833712 (the hand-off's
    SQLite INSERT writes the same in SQL: ``centralisateur.api_store._checked_insert``)."""
    return f"{BDC_PREFIX}{rrdi}{BDC_BASE + sequence:09d}"
