"""The signed callback: the centralisateur POSTs a ``DeclarationState`` to the DMS's ``callback_url``.

Headers (the signature covers the timestamp, the delivery id and the body, so none can be swapped):

    X-Spoticar-Timestamp: 1764480000                 (Unix seconds when the attempt was sent)
    X-Spoticar-Delivery: 6f1c…                        (one id per state change; retries keep it)
    X-Spoticar-Signature: sha256=<hex HMAC-SHA256(DMS API key, "<timestamp>.<delivery>." + body)>

A receiver checks it with ``verify_callback``: wrong signature, stale timestamp, or a delivery it
has already taken are refused with a French message and the HTTP status to answer.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
import uuid
from collections.abc import Mapping
from typing import Protocol

# pydantic is imported at the first callback checked: the header names need none. The return type is
# named through the package (which loads ``models`` at first use), so ``typing.get_type_hints``
# resolves it in a fresh process too (a name imported under TYPE_CHECKING alone is a NameError there)
import spoticar_handoff

CALLBACK_PATH = "/api/spoticar/callback"   # where our DMS simulators listen; a vendor may choose another
SIGNATURE_HEADER = "X-Spoticar-Signature"
TIMESTAMP_HEADER = "X-Spoticar-Timestamp"
DELIVERY_HEADER = "X-Spoticar-Delivery"
DELIVERY_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")  # delivery_id() gives 32 hex digits
DEFAULT_TOLERANCE = 300.0                   # seconds a callback stays acceptable after it was signed
_NAMESPACE = uuid.UUID("0b7c2f8e-52c5-4c1e-9f0e-6a8d1f3e2b40")


class CallbackRejected(Exception):
    """A callback to refuse: ``status`` is the HTTP status to answer, ``message`` French."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self):  # pickled with both arguments (``args`` holds the message alone)
        return type(self), (self.status, self.message)


class SeenDeliveries(Protocol):
    """Where a receiver remembers the deliveries it took (at least ``tolerance`` seconds long)."""

    def add(self, delivery_id: str) -> bool:
        """Remember ``delivery_id``; False when it was already there (a replay)."""


class MemorySeenDeliveries:
    """A ``SeenDeliveries`` for one process: ids are forgotten once older than ``keep`` seconds,
    since a callback that old is refused as stale anyway."""

    def __init__(self, keep: float = 2 * DEFAULT_TOLERANCE):
        self.keep = keep
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, delivery_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            self._seen = {k: t for k, t in self._seen.items() if now - t < self.keep}
            if delivery_id in self._seen:
                return False
            self._seen[delivery_id] = now
            return True


def delivery_id(bdc_number: str, status: str, contract_number: str | None = None) -> str:
    """The delivery id of one state change of a declaration: every retry sends the same id."""
    return uuid.uuid5(_NAMESPACE, f"{bdc_number}:{status}:{contract_number or ''}").hex


def signature(body: bytes, key: str, timestamp: str, delivery: str) -> str:
    """``X-Spoticar-Signature`` of ``body`` sent at ``timestamp`` as delivery ``delivery``."""
    message = f"{timestamp}.{delivery}.".encode() + body
    return "sha256=" + hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def sign_callback(body: bytes, key: str, delivery: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The three headers to send ``body`` with (``timestamp`` defaults to now)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {TIMESTAMP_HEADER: stamp, DELIVERY_HEADER: delivery,
            SIGNATURE_HEADER: signature(body, key, stamp, delivery)}


def verify_callback(headers: Mapping[str, str], body: bytes, key: str, *,
                    tolerance: float = DEFAULT_TOLERANCE, seen: SeenDeliveries | None = None,
                    now: float | None = None) -> spoticar_handoff.DeclarationState:
    """The callback's ``DeclarationState`` once its signature, its freshness and (given ``seen``)
    its novelty are checked; else raises ``CallbackRejected`` (401 signature or stale, 400 body,
    409 replay)."""
    lower = {k.lower(): v for k, v in headers.items()}
    given = lower.get(SIGNATURE_HEADER.lower(), "")
    stamp = lower.get(TIMESTAMP_HEADER.lower(), "")
    delivery = lower.get(DELIVERY_HEADER.lower(), "")
    if not (given and stamp and delivery):
        raise CallbackRejected(401, "Rappel refusé : en-têtes X-Spoticar-Signature, X-Spoticar-Timestamp "
                                    "et X-Spoticar-Delivery obligatoires.")
    if not DELIVERY_RE.fullmatch(delivery):  # it is stored as the replay key: bounded, plain
        raise CallbackRejected(400, "Rappel refusé : X-Spoticar-Delivery comporte de 1 à 64 lettres sans "
                                    "accent, chiffres ou signes . _ : -.")
    # as bytes: compare_digest refuses a str with a non-ASCII character (TypeError), and a forged
    # header may hold one: it is a bad signature, a 401, like any other
    if not hmac.compare_digest(signature(body, key, stamp, delivery).encode(), given.encode("utf-8", "replace")):
        raise CallbackRejected(401, "Rappel refusé : signature X-Spoticar-Signature invalide.")
    # at most 12 digits (Unix seconds have 10): int() refuses a text of over 4,300 digits (ValueError)
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12 or \
            abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        raise CallbackRejected(401, f"Rappel refusé : horodatage X-Spoticar-Timestamp périmé (tolérance "
                                    f"{int(tolerance)} s).")
    from pydantic import ValidationError

    from spoticar_handoff.models import DeclarationState
    try:
        state = DeclarationState.model_validate_json(body)
    except ValidationError:
        raise CallbackRejected(400, "Rappel refusé : le corps n'est pas un état de déclaration v1.") from None
    if seen is not None and not seen.add(delivery):
        # the header is not repeated back: an answer never reflects what a request carried
        raise CallbackRejected(409, "Rappel déjà reçu (même X-Spoticar-Delivery) : ignoré.")
    return state
