"""``GET /__admin/journal`` on every app: the journal as JSON, filtered by bdc, trace, since, limit, and
``header=Name:value`` (the exchanges the app marked with that header: on its answers, on its calls).

Open in demo mode; otherwise it needs the admin key of the configuration (``JOURNAL_ADMIN_KEY`` or
``SPOTICAR_JOURNAL_ADMIN_KEY``) as ``Authorization: Bearer <clé>``, or, on a stack with test routes,
their key (``X-Spoticar-Test-Key``, ``common.testing``).
"""
from __future__ import annotations

import datetime as dt
import hmac
import os
import re

from flask import Blueprint, current_app, jsonify, request

from common.auth import bearer_token
from common.journal.store import MAX_LIMIT
from common.parsing import ParseError, parse_int

bp = Blueprint("journal_admin", __name__)

TRACE_ID = re.compile(r"[0-9a-f]{32}")
HEADER_NAME = re.compile(r"[A-Za-z0-9-]{1,100}")
UNAUTHORIZED = ("Clé d'administration du journal absente ou invalide : envoyez l'en-tête "
                "Authorization: Bearer <clé> avec la clé JOURNAL_ADMIN_KEY de la configuration.")
NOT_CONFIGURED = ("Journal non consultable : aucune clé d'administration n'est configurée "
                  "(JOURNAL_ADMIN_KEY ou SPOTICAR_JOURNAL_ADMIN_KEY) hors mode démo.")
# a stack with test routes: their key, printed by ``up``, opens it too
WITH_TEST_KEY = (" Sur cette pile lancée avec --test-routes, l'en-tête X-Spoticar-Test-Key portant la clé des "
                 "routes de test (affichée par spoticar-harness up, inscrite dans stack.json) l'ouvre aussi.")


def admin_key(config) -> str | None:
    return config.get("JOURNAL_ADMIN_KEY") or os.environ.get("SPOTICAR_JOURNAL_ADMIN_KEY") or None


def _test_key_given(config) -> bool:
    """A stack with test routes outside demo mode: its test-routes key opens the journal too (the
    suites read it for a failed test's exchanges), never their mere presence."""
    from common.testing import test_key_given
    return bool(config.get("TEST_ROUTES")) and test_key_given(config)


def _error(status: int, field: str | None, message: str):
    return jsonify({"errors": [{"field": field, "message": message}]}), status


def parse_since(text: str) -> dt.datetime:
    """RFC 3339 / ISO 8601 date or date-time (naive = UTC) → naive UTC datetime; ValueError if not."""
    value = dt.datetime.fromisoformat(text.strip().replace("z", "Z"))
    if value.tzinfo is not None:
        try:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError:  # « 9999-12-31T23:59:59-23:59 »: a moment past what a datetime holds in UTC
            raise ValueError(text) from None
    return value


def filters(args) -> tuple[dict | None, tuple | None]:
    """The query filters from ``args``, or a French 400 naming the bad parameter."""
    out: dict = {}
    bdc = (args.get("bdc") or "").strip().upper()
    if bdc:
        if len(bdc) > 32 or not bdc.isalnum():
            return None, _error(400, "bdc", "Numéro de BDC invalide : lettres et chiffres seulement "
                                            "(ex. SP953617Z103833712).")
        out["bdc"] = bdc
    trace = (args.get("trace") or "").strip().lower()
    if trace:
        if not TRACE_ID.fullmatch(trace):
            return None, _error(400, "trace", "Identifiant de trace invalide : 32 caractères "
                                              "hexadécimaux attendus.")
        out["trace"] = trace
    since = (args.get("since") or "").strip()
    if since:
        try:
            out["since"] = parse_since(since)
        except ValueError:
            return None, _error(400, "since", "Date « since » invalide : format ISO 8601 attendu "
                                              "(ex. 2026-11-30T06:00:00Z).")
    header = (args.get("header") or "").strip()
    if header:
        name, sep, value = header.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not HEADER_NAME.fullmatch(name) or not value or len(value) > 200:
            return None, _error(400, "header", "En-tête « header » invalide : nom:valeur attendu "
                                               "(ex. X-Spoticar-Certification-Session:abc123).")
        out["header"] = (name, value)
    try:  # the parsing layer bounds the text before reading it (5,000 digits were a 500: int()'s limit)
        limit = parse_int(args.get("limit"), minimum=1, maximum=MAX_LIMIT, grouping=False)
    except ParseError:
        return None, _error(400, "limit", f"« limit » doit être un entier de 1 à {MAX_LIMIT}.")
    if limit is not None:
        out["limit"] = limit
    return out, None


@bp.get("/__admin/journal")
def journal_json():
    """The app's journal entries, oldest first (``limit`` keeps the newest)."""
    config = current_app.config
    if not config.get("DEMO_MODE") and not _test_key_given(config):
        key = admin_key(config)
        hint = WITH_TEST_KEY if config.get("TEST_ROUTES") else ""
        if not key:
            return _error(401, None, NOT_CONFIGURED + hint)
        given = bearer_token() or ""
        if not hmac.compare_digest(given.encode(), key.encode()):
            return _error(401, None, UNAUTHORIZED + hint)
    wanted, failure = filters(request.args)
    if failure:
        return failure
    journal = current_app.extensions["journal"]
    entries = journal.query(**wanted)
    store = journal.store  # entries this process could not keep, since it started
    return jsonify({"app": journal.name, "enabled": journal.enabled, "entries": entries,
                    "lost": {"queue_full": store.dropped, "write_failed": store.failed_entries}})
