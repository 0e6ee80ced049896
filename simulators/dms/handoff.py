"""Handing a sale off from a DMS simulator: the SDK client, sending, polling, applying a state.

Every DMS records the centralisateur's answers on one row per sale (``Declarations`` names the model
and its columns). Tests may plug an ``httpx`` transport in with config ``HANDOFF_TRANSPORT`` (an
explicit switch, no patching).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask
from sqlalchemy import bindparam, select

from common.dates import add_months
from common.journal import bind_lookup, binding_of, current as current_trace, http_client
from fixtures import reference
from simulators.dms.keys import dms_api_key
from spoticar_handoff.callbacks import CALLBACK_PATH
from spoticar_handoff.statuses import STATUSES, is_final, should_replace

if TYPE_CHECKING:  # the SDK's client and models (httpx, pydantic) are imported at the first hand-off
    from spoticar_handoff import HandoffClient
    from spoticar_handoff.models import DeclarationState, HandoffReceipt

GARANTISSEUR_NAMES = {g["code"]: g["name"] for g in reference.garantisseurs()}
STATUS_LABELS = {value: info.label for value, info in STATUSES.items()}


@dataclass(frozen=True)
class Declarations:
    """Where a DMS records a sale's declaration: the ``model`` with ``bdc_number``,
    ``declaration_url`` and ``contract_number``, the name of its ``status`` column, of its
    ``garantisseur`` column (None when the DMS keeps its own there) and the ``deliveries`` model
    (``simulators.dms.store.delivery_model``) remembering the callbacks taken."""
    model: type
    deliveries: type
    status: str = "declaration_status"
    garantisseur: str | None = "garantisseur"


OnContract = Callable[[object, object, "DeclarationState"], None] | None  # (session, record, state)


def centralisateur_url(config: dict) -> str | None:
    """The centralisateur's base URL from config ``URLS`` (None when not wired)."""
    return (config.get("URLS") or {}).get("centralisateur")


@contextlib.contextmanager
def handoff_client(app: Flask, dms: str, timeout: float | None = None) -> Iterator[HandoffClient]:
    """The SDK client for this app's centralisateur with the DMS's key, closed on exit."""
    from spoticar_handoff.client import HandoffClient
    url = centralisateur_url(app.config) or "http://127.0.0.1:9"  # port 9: nobody answers
    http = http_client(app, timeout=timeout or app.config.get("HANDOFF_TIMEOUT", 10.0),
                       transport=app.config.get("HANDOFF_TRANSPORT"))  # traceparent sent, exchange journalled
    with http, HandoffClient(url, dms_api_key(app.config, dms), http=http) as client:
        yield client


def callback_url(app: Flask) -> str | None:
    """Where the centralisateur POSTs the declaration state (None when the app has no public URL)."""
    public = app.config.get("PUBLIC_URL")
    return public.rstrip("/") + CALLBACK_PATH if public else None


def _end_reads(app: Flask) -> None:
    # end this request's read snapshot: no lock held while the centralisateur works (it may call
    # us back meanwhile), and the next read sees what was written since
    app.extensions["db"].session.rollback()


def bind_traces(app: Flask, db, base) -> None:
    """Have the app's journal find a sale's trace by its numéro de BDC in the model of ``base`` that
    keeps it (``store.TraceColumns``), for its pages and answers too: any worker, at once."""
    from simulators.dms.store import TraceColumns
    [model] = [m.class_ for m in base.registry.mappers if issubclass(m.class_, TraceColumns)]
    bind_lookup(app, trace_binding(db, model), answers=True)


def trace_binding(db, model):
    """The journal's look-up of a sale's trace by its numéro de BDC (``common.journal.bind_lookup``) in
    ``model`` (with ``store.TraceColumns``): one query on its index of ``bdc_number``."""
    statement = select(model.trace_id, model.tracestate).where(model.bdc_number == bindparam("bdc"))

    def lookup(bdc: str):
        with db.read_engine.connect() as conn:
            return binding_of(conn.execute(statement, {"bdc": bdc}).first())
    return lookup


def send(app: Flask, dms: str, payload: dict) -> HandoffReceipt:
    """POST ``payload``; raises ``HandoffRefused`` / ``CentralisateurUnavailable``. No database work."""
    _end_reads(app)
    with handoff_client(app, dms) as client:
        return client.send(payload)


def record_receipt(record, receipt: HandoffReceipt, declarations: Declarations) -> bool:
    """Keep the receipt on ``record``; True when this bon de commande is new for it."""
    first_time = record.bdc_number != receipt.bdc_number
    record.bdc_number, record.declaration_url = receipt.bdc_number, receipt.declaration_url
    trace = current_trace()
    if first_time and trace is not None:  # the model has ``store.TraceColumns``
        record.trace_id, record.tracestate = trace.trace_id, trace.tracestate
    if should_replace(getattr(record, declarations.status), receipt.status.value):
        setattr(record, declarations.status, receipt.status.value)
    return first_time


def send_and_record(app: Flask, dms: str, declarations: Declarations, record_id: int,
                    payload: dict) -> tuple[HandoffReceipt, bool]:
    """Send ``payload`` and keep the answer on the row ``record_id``. Raises ``HandoffRefused`` /
    ``CentralisateurUnavailable`` with the row untouched. The receipt, and whether its bon de
    commande is new for the row."""
    receipt = send(app, dms, payload)
    with app.extensions["db"].transaction() as session:
        first_time = record_receipt(session.get(declarations.model, record_id), receipt, declarations)
    _end_reads(app)
    return receipt, first_time


def apply_state(record, state: DeclarationState, declarations: Declarations) -> bool:
    """Copy a declaration state onto ``record``: a final status never goes back and a known contract
    number is never erased (a late, stale state loses). True when the contract is new."""
    if should_replace(getattr(record, declarations.status), state.status.value):
        setattr(record, declarations.status, state.status.value)
    if declarations.garantisseur:
        setattr(record, declarations.garantisseur,
                state.garantisseur or getattr(record, declarations.garantisseur))
    if state.contract_number and state.contract_number != record.contract_number:
        record.contract_number = state.contract_number
        return True
    return False


def store_state(app: Flask, declarations: Declarations, state: DeclarationState,
                on_new_contract: OnContract = None, session=None) -> bool:
    """Apply ``state`` to the row whose ``bdc_number`` it names (in ``session``, else in a
    transaction of its own); False when no row has that number."""
    if session is None:
        with app.extensions["db"].transaction() as session:
            return store_state(app, declarations, state, on_new_contract, session)
    model = declarations.model
    record = session.scalar(select(model).where(model.bdc_number == state.bdc_number))
    if record is None:
        return False
    if apply_state(record, state, declarations) and on_new_contract:
        on_new_contract(session, record, state)
    return True


def poll(app: Flask, dms: str, bdc_number: str | None, status: str | None,
         timeout: float | None = None) -> tuple[DeclarationState | None, str | None]:
    """Ask the centralisateur for a declaration that is not final yet (its callback may be lost):
    (state, None), (None, French message) when it could not be asked, (None, None) when there is
    nothing to ask."""
    from spoticar_handoff.client import HandoffError
    if not bdc_number or is_final(status):
        return None, None
    _end_reads(app)
    try:
        with handoff_client(app, dms, timeout) as client:
            return client.status(bdc_number), None
    except HandoffError as exc:
        return None, exc.message


def refresh_state(app: Flask, dms: str, declarations: Declarations, record,
                  on_new_contract: OnContract = None, timeout: float | None = None) -> str | None:
    """Poll for ``record`` (from this request's reads) and store what came back; ``record`` shows the
    new state on its next access. A French message when the centralisateur could not be asked."""
    state, error = poll(app, dms, record.bdc_number, getattr(record, declarations.status), timeout)
    if state is not None:
        store_state(app, declarations, state, on_new_contract)
        _end_reads(app)
    return error


def warranty_for_level(level: str, start) -> dict | None:
    """The hand-off ``warranty`` for a DMS warranty level ("DS Certified 12 mois"), if known."""
    found = reference.product_for_dms_level(level)
    if found is None:
        return None
    product, months = found
    return {"label": product["label"], "product": product["product"], "duration_months": months,
            "start_date": start.isoformat(), "loyalty_product": "Aucun"}


MANUFACTURER_WARRANTY_MONTHS = 24  # the brands' standard VN warranty: 2 years, mileage unlimited
UNLIMITED_KM = 999999


def manufacturer_warranty(first_registration) -> dict:
    """``manufacturer_warranty_end`` / ``_km`` for a vehicle the DMS knows only by its first registration."""
    end = add_months(first_registration, MANUFACTURER_WARRANTY_MONTHS)
    return {"manufacturer_warranty_end": end.isoformat(), "manufacturer_warranty_km": UNLIMITED_KM}


def vehicle_payload(vehicle) -> dict:
    """The hand-off ``vehicle`` of a record with ``simulators.dms.store.VehicleColumns`` (a VP)."""
    return {"kind": "VP", "plate": vehicle.plate, "vin": vehicle.vin, "brand": vehicle.brand,
            "model": vehicle.model, "version": vehicle.version, "energy": vehicle.energy,
            "first_registration": vehicle.first_registration.isoformat(), "din_power": vehicle.din_power,
            "fiscal_power": vehicle.fiscal_power, "kw_power": vehicle.kw_power,
            "mileage_km": vehicle.mileage_km, "usage": vehicle.usage, "ptac_kg": vehicle.ptac_kg,
            **manufacturer_warranty(vehicle.first_registration)}
