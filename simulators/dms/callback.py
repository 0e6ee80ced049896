"""The signed callback endpoint of a DMS simulator (``spoticar_handoff.CALLBACK_PATH``).

A bad signature or a stale timestamp is refused (401), a body that is not a state too (400), a
delivery already taken is refused (409) and changes nothing; the delivery is remembered in the same
transaction as the state it brought, so a refused or failed one can be sent again.
"""
from __future__ import annotations

import datetime as dt

from flask import Flask, jsonify, request
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from common.db import utcnow
from common.web import error_response
from simulators.dms import events
from simulators.dms.handoff import Declarations, OnContract, store_state
from simulators.dms.keys import dms_api_key
from spoticar_handoff.callbacks import DEFAULT_TOLERANCE, CallbackRejected, verify_callback


class StoredDeliveries:
    """``spoticar_handoff.SeenDeliveries`` in the DMS's database (every process sees the same)."""

    def __init__(self, session, model: type, keep: float):
        self.session, self.model, self.keep = session, model, keep

    def add(self, delivery_id: str) -> bool:
        if self.session.get(self.model, delivery_id) is not None:
            return False
        cutoff = utcnow() - dt.timedelta(seconds=self.keep)
        self.session.execute(delete(self.model).where(self.model.received_at < cutoff))
        try:
            with self.session.begin_nested():  # a concurrent twin wins: ours is then a replay
                self.session.add(self.model(delivery_id=delivery_id, received_at=utcnow()))
        except IntegrityError:
            return False
        return True


def callback_response(app: Flask, dms: str, declarations: Declarations,
                      on_new_contract: OnContract = None):
    """The view body of ``POST CALLBACK_PATH``: check the callback, then apply its state to the row
    whose ``bdc_number`` it names."""
    tolerance = float(app.config.get("CALLBACK_TOLERANCE", DEFAULT_TOLERANCE))
    body = request.get_data()
    try:
        with app.extensions["db"].transaction() as session:
            seen = StoredDeliveries(session, declarations.deliveries, keep=2 * tolerance)
            state = verify_callback(request.headers, body, dms_api_key(app.config, dms),
                                    tolerance=tolerance, seen=seen)
            if not store_state(app, declarations, state, on_new_contract, session):
                # not repeated back (the caller knows what it sent; an answer reflects no input)
                raise CallbackRejected(404, "Numéro de bon de commande inconnu de ce DMS : rappel ignoré.")
    except CallbackRejected as exc:
        return error_response(exc.status, exc.message)
    events.notify(app)  # committed: pages following a declaration get the new state now
    return jsonify({"bdc_number": state.bdc_number, "status": state.status.value})
