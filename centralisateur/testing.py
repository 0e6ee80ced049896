"""Test-only routes of the centralisateur (``common.testing``): make a fresh dealer with its login and
Profil, read a declaration or date its declaration back, deliver the due callbacks and Icare retries
now, read the raw store."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask import Response, current_app, jsonify
from sqlalchemy import String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from centralisateur.store import Base, Dealer, Declaration, DealerUser
from common.auth import hash_password
from common.testing import body, found, test_blueprint

bp = test_blueprint("centralisateur")


@bp.post("/dealers")
def create_dealer():
    """Body: rrdi, name, dms, code_t, configuration, login, password, optional profile flags."""
    data = body()
    with current_app.extensions["db"].transaction() as s:
        s.add(Dealer(rrdi=data["rrdi"], name=data["name"], address=data.get("address", "1, rue du Test"),
                     postcode=data.get("postcode", "75010"), city=data.get("city", "PARIS"),
                     phone=data.get("phone", ""), email=data.get("email", ""), code_t=data.get("code_t"),
                     cirano_id=data.get("cirano_id"), dms=data["dms"],
                     configuration=data.get("configuration", "assurance"),
                     profile_configured=data.get("profile_configured", False),
                     use_stellantis=data.get("use_stellantis", False), use_auto=data.get("use_auto", False),
                     use_cirano=data.get("use_cirano", False)))
        s.flush()
        s.add(DealerUser(email=data["login"], password_hash=hash_password(data["password"]),
                         dealer_rrdi=data["rrdi"]))
    return jsonify({"rrdi": data["rrdi"]}), 201


class TestCallbackOrigin(Base):
    """A test's callback receiver allowed for a DMS (``/__test__/callback-origins``), in the database so
    every worker and process of the centralisateur (``up --processes``) allows it alike."""
    __tablename__ = "cds_test_callback_origins"

    dms: Mapped[str] = mapped_column(String(20), primary_key=True)
    origin: Mapped[str] = mapped_column(String(300), primary_key=True)


class SharedOrigins:
    """``DMS_CALLBACK_ORIGINS`` of an app with test routes: the configured origins plus those the tests
    allowed, read from the database at each check (``common.egress.callback_origins``)."""

    def __init__(self, db, configured: dict | None):
        self.db, self.configured = db, dict(configured or {})

    def get(self, dms: str, default=None) -> list[str]:
        with self.db.read_sessionmaker() as session:
            allowed = list(session.scalars(select(TestCallbackOrigin.origin).where(TestCallbackOrigin.dms == dms)))
        return [*self.configured.get(dms, default or []), *allowed]


@bp.record_once
def _share_origins(state) -> None:
    db = state.app.extensions["db"]
    db.create_all()  # the table above, declared once this module is imported (other workers may race)
    state.app.config["DMS_CALLBACK_ORIGINS"] = SharedOrigins(db, state.app.config.get("DMS_CALLBACK_ORIGINS"))


@bp.post("/callback-origins")
def allow_callback_origin():
    """Body: dms, origin — a test's own callback receiver (127.0.0.1, port picked by the OS) that
    the SSRF guard (common.egress) lets ``dms`` use, as real-mode configuration would."""
    data = body()
    try:
        with current_app.extensions["db"].transaction() as session:
            if session.get(TestCallbackOrigin, (data["dms"], data["origin"])) is None:
                session.add(TestCallbackOrigin(dms=data["dms"], origin=data["origin"]))
    except IntegrityError:  # the same origin allowed at once by another call: allowed all the same
        pass
    origins = current_app.config["DMS_CALLBACK_ORIGINS"].get(data["dms"])
    return jsonify({"dms": data["dms"], "origins": origins}), 201


@bp.get("/declarations/<bdc_number>")
def declaration(bdc_number: str):
    d = current_app.extensions["db"].session.scalar(
        select(Declaration).where(Declaration.bdc_number == bdc_number))
    return found(d and {"bdc_number": d.bdc_number, "status": d.status, "contract_number": d.contract_number,
                        "garantisseur": d.garantisseur, "program": d.program, "form": d.form,
                        "payload": d.payload, "icare_attempts": d.icare_attempts,
                        "callback_due": d.callback_due, "callback_attempts": d.callback_attempts})


@bp.post("/declarations/<bdc_number>/declared-at")
def date_declaration_back(bdc_number: str):
    """Body: declared_at (ISO 8601, UTC) — a declared sale dated back, for the pages counting by month."""
    when = dt.datetime.fromisoformat(body()["declared_at"])
    with current_app.extensions["db"].transaction() as session:
        d = session.scalar(select(Declaration).where(Declaration.bdc_number == bdc_number,
                                                     Declaration.declared_at.is_not(None)))
        if d is not None:
            d.declared_at = when.replace(tzinfo=None)
    return found(d and {"bdc_number": bdc_number, "declared_at": when.isoformat()})


@bp.post("/jobs/run")
def run_due_jobs():
    """Deliver now what the background worker has due (signed callbacks, Icare retries)."""
    from centralisateur.declaring import process_due
    return jsonify({"attempts": process_due(current_app)})


@bp.get("/store")
def raw_store():
    """Everything the store holds, to check an erasure: the SQLite files byte for byte (free pages
    and WAL included), or every row of the centralisateur's tables on a server database."""
    db = current_app.extensions["db"]
    if db.url.startswith("sqlite"):
        path = Path(db.engine.url.database)
        raw = b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))
    else:
        with db.engine.connect() as conn:
            rows = [tuple(r) for table in db.base.metadata.sorted_tables for r in conn.execute(table.select())]
        raw = json.dumps(rows, default=str, ensure_ascii=False).encode()
    return Response(raw, mimetype="application/octet-stream")
