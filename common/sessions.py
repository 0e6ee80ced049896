"""Server-side login sessions and login throttling, shared by every app with a login.

Sessions: the signed cookie only carries a random session id; the app's database holds the session
(``SessionMixin``). Logging out deletes that row, so a cookie copied before logout no longer works.
A session may be *scoped* (e.g. ``"declaration:42"``): the DMS's declaration link opens one
declaration, not the dealer's whole account.

Throttling (``AttemptMixin``): failures are counted per account *and client* (the socket peer, or
behind a trusted proxy the client it names: ``common.proxies``), and per client over all accounts.
Someone failing on a dealer's account blocks only themselves, so no one can lock a dealer out; one
client trying many accounts is slowed down. The same rows count a client's sendings of a public form
that mails someone (``public_form_allowed``): no one can flood an assistance mailbox from an
unauthenticated form.
``check_password_evenly`` does the same KDF work whether the account exists or not.

Each app declares the two tables on its own ``Base``::

    WebSession, LoginAttempt = session_models(Base, "cds_web_sessions", "cds_login_attempts")
"""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt
import functools
import hashlib
import secrets

from flask import g, request, session
from sqlalchemy import DateTime, Integer, String, bindparam, select
from sqlalchemy.orm import Mapped, mapped_column

from common.auth import check_password, hash_password
from common.db import utcnow

SESSION_KEY = "sid"
IDLE_LIMIT = dt.timedelta(hours=12)   # a forgotten tab does not stay signed in for ever
TOUCH_EVERY = dt.timedelta(minutes=5)  # how often last_seen_at is written (not on every request)
ACCOUNT_FAILURES = 5    # per account and client
CLIENT_FAILURES = 20    # per client, all accounts together
LOCK_TIME = dt.timedelta(minutes=15)
PUBLIC_FORM_HOURLY = 10  # sendings of one public mailing form per client and hour (help-desk, COFOR inconnu)
TOO_MANY_SENDINGS = ("Ce formulaire a déjà été envoyé {limit} fois depuis votre connexion au cours de la "
                     "dernière heure : réessayez plus tard. Votre saisie est conservée.")


class SessionMixin:
    """One signed-in browser: ``subject`` (the user or dealer) and an optional ``scope``."""
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's id
    subject: Mapped[str] = mapped_column(String(254), index=True)
    scope: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AttemptMixin:
    """Failed logins under one key (``account|client`` or ``*|client``) in the current window."""
    key: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


def session_models(base, sessions_table: str, attempts_table: str) -> tuple[type, type]:
    """The app's ``WebSession`` (``SessionMixin``) and ``LoginAttempt`` (``AttemptMixin``) models on its
    ``DeclarativeBase``, in the tables named."""
    return (type("WebSession", (SessionMixin, base), {"__tablename__": sessions_table}),
            type("LoginAttempt", (AttemptMixin, base), {"__tablename__": attempts_table}))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(tx, model, subject: str, scope: str | None = None, *, permanent: bool = False) -> None:
    """Sign this browser in as ``subject`` (a fresh id: no fixation), optionally limited to ``scope``."""
    close_session(tx, model)
    token = secrets.token_urlsafe(32)
    tx.add(model(digest=_digest(token), subject=subject, scope=scope))
    session.clear()
    session.permanent = permanent
    session[SESSION_KEY] = token


def close_session(tx, model) -> None:
    """Log out: the server forgets the session, whatever copy of the cookie exists."""
    token = session.get(SESSION_KEY)
    if token:
        row = tx.get(model, _digest(token))
        if row is not None:
            tx.delete(row)
    session.clear()
    g.pop("_web_session", None)
    g.pop("_web_subject", None)


def end_sessions_of(tx, model, subject: str) -> None:
    """Sign ``subject`` out of every browser (password changed, account disabled)."""
    for row in tx.query(model).filter(model.subject == subject).all():
        tx.delete(row)


@functools.cache
def _with_subject(model, subject_model):
    """The statement reading a session and its subject, built once (building it cost as much as
    running it)."""
    key = subject_model.__mapper__.primary_key[0]
    return (select(model, subject_model).outerjoin(subject_model, key == model.subject)
            .where(model.digest == bindparam("digest")))


def current_session(db, model, subject_model=None):
    """This request's live session row (``.subject``, ``.scope``), or None; cached per request.

    ``subject_model``: the model whose primary key a session's ``subject`` is (an app's dealer or
    user), read in the same query as the session and kept for ``session_subject()``: a page opening
    both pays one round trip and one ORM load instead of two."""
    if "_web_session" in g:
        return g._web_session
    token, row, subject = session.get(SESSION_KEY), None, None
    if isinstance(token, str):
        if subject_model is None:
            row = db.session.get(model, _digest(token))
        else:
            found = db.session.execute(_with_subject(model, subject_model), {"digest": _digest(token)}).first()
            row, subject = found if found is not None else (None, None)
        now = utcnow()
        if row is not None and now - row.last_seen_at > IDLE_LIMIT:
            row = subject = None
        elif row is not None and now - row.last_seen_at > TOUCH_EVERY:
            with db.transaction() as tx:
                live = tx.get(model, row.digest)
                if live is not None:
                    live.last_seen_at = now
    g._web_session, g._web_subject = row, subject
    return row


def session_subject():
    """The subject's row ``current_session(..., subject_model)`` read with this request's session
    (None without a live session, or when it was called without ``subject_model``)."""
    return g.get("_web_subject")


def client_id() -> str:
    """Who is knocking: the socket peer, or behind a trusted proxy the client it names
    (``common.proxies``: a forged ``X-Forwarded-For`` from anyone else is ignored)."""
    return request.remote_addr or "?"


def _keys(account: str) -> tuple[str, str]:
    client = client_id()
    return f"{account[:254]}|{client}", f"*|{client}"


def login_blocked(db, model, account: str) -> bool:
    """Whether this client may not try ``account`` now (it failed too often, on it or overall)."""
    now = utcnow()
    for key in _keys(account):
        row = db.session.get(model, key)
        if row is not None and row.locked_until and row.locked_until > now:
            return True
    return False


def record_login(tx, model, account: str, success: bool, *, account_failures: int = ACCOUNT_FAILURES,
                 client_failures: int = CLIENT_FAILURES, lock: dt.timedelta = LOCK_TIME) -> bool:
    """Count this attempt; True when the client is now locked out of ``account`` for ``lock``."""
    now = utcnow()
    account_key, client_key = _keys(account)
    if success:
        row = tx.get(model, account_key)
        if row is not None:
            tx.delete(row)
        return False
    locked = False
    for key, limit in ((account_key, account_failures), (client_key, client_failures)):
        row = _counter(tx, model, key, now, lock)
        row.failures += 1
        if row.failures >= limit:
            row.locked_until, row.failures, row.first_at = now + lock, 0, now
            locked = True
    return locked


def public_form_allowed(tx, model, form: str, *, limit: int = PUBLIC_FORM_HOURLY,
                        window: dt.timedelta = dt.timedelta(hours=1)) -> bool:
    """Count one sending of the public form ``form`` by this client (in ``tx``, the transaction that
    sends); False, counting nothing, once it sent ``limit`` within ``window``: the caller sends nothing
    and answers 429 with ``TOO_MANY_SENDINGS``."""
    row = _counter(tx, model, f"form:{form}|{client_id()}", utcnow(), window)
    if row.failures >= limit:
        return False
    row.failures += 1
    return True


def forget_public_forms(tx, model) -> int:
    """This client's sendings of the public forms no longer count (``public_form_allowed``): for the
    test routes only, so that a browser suite played again and again on one stack from one address is
    not stopped by the hourly bound its earlier runs used up. The number of counters dropped."""
    rows = tx.query(model).filter(model.key.startswith("form:"),
                                  model.key.endswith(f"|{client_id()}", autoescape=True)).all()
    for row in rows:
        tx.delete(row)
    return len(rows)


def _counter(tx, model, key: str, now: dt.datetime, window: dt.timedelta):
    """The row counting under ``key`` (in ``tx``): a fresh one, from zero, when there is none or its
    count began over ``window`` ago."""
    row = tx.get(model, key)
    if row is None or now - row.first_at > window:
        if row is not None:
            tx.delete(row)
            tx.flush()
        row = model(key=key, failures=0, first_at=now)
        tx.add(row)
    return row


def forget_failures(tx, model, account: str) -> None:
    """A new password was set: the account's earlier failures (from every client) no longer count."""
    for row in tx.query(model).filter(model.key.startswith(f"{account[:254]}|", autoescape=True)).all():
        tx.delete(row)


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def check_password_evenly(stored_hash: str | None, password: str) -> bool:
    """``check_password`` that costs the same KDF work when there is no account (``None``)."""
    if not stored_hash:
        check_password(_dummy_hash(), password)
        return False
    return check_password(stored_hash, password)
