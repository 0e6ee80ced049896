"""A mail outbox any app can own: mails are stored, never sent, and read on an outbox page.

Usage in an app::

    outbox = define_outbox(Base, "icare")            # tables icare_outbox_mails, icare_outbox_attachments
    outbox.send_mail(session, "a@b.fr", "Sujet", "Texte avec https://lien",
                     attachments=[MailAttachment("capture.png", "image/png", data)])
    app.register_blueprint(outbox.blueprint(db))     # /outbox (HTML), /outbox/mails.json (tests)

Links in a body are found and shown as links on the outbox page and listed in the JSON view, so a
test (or a person) can follow an activation or reset link.
"""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text, delete, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from common.dates import rfc3339

URL_RE = re.compile(r"https?://[^\s<>\"']+")
DEFAULT_SENDER = "ne-pas-repondre@harness.example"
PER_ADDRESS_HOURLY = 5  # account mails (reset link, identifiant) to one address per hour: no mail bombing


@dataclass(frozen=True)
class MailAttachment:
    """A file joined to a mail: its name, MIME type and bytes."""

    filename: str
    content_type: str
    data: bytes


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def body_links(body: str) -> list[str]:
    """The http(s) URLs in a mail body, in order, without trailing punctuation."""
    return [m.group(0).rstrip(".,;:!?)") for m in URL_RE.finditer(body or "")]


def body_segments(body: str) -> list[tuple[str, bool]]:
    """The body cut into (text, is_link) pieces, so a template links URLs without ``|safe``."""
    pieces, last = [], 0
    for url in body_links(body):
        start = body.index(url, last)
        pieces.append((body[last:start], False))
        pieces.append((url, True))
        last = start + len(url)
    pieces.append((body[last:], False))
    return [p for p in pieces if p[0]]


class Outbox:
    """The mail and attachment models of one app, with ``send_mail`` and the outbox blueprint."""

    def __init__(self, base: type[DeclarativeBase], prefix: str):
        mails_table, files_table = f"{prefix}_outbox_mails", f"{prefix}_outbox_attachments"

        class OutboxAttachment(base):
            __tablename__ = files_table
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            mail_id: Mapped[int] = mapped_column(ForeignKey(f"{mails_table}.id"), index=True)
            filename: Mapped[str] = mapped_column(String(255))
            content_type: Mapped[str] = mapped_column(String(100))
            data: Mapped[bytes] = mapped_column(LargeBinary)

        class OutboxMail(base):
            __tablename__ = mails_table
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_utcnow)
            sender: Mapped[str] = mapped_column(String(254))
            to: Mapped[str] = mapped_column(String(1000), index=True)
            subject: Mapped[str] = mapped_column(String(300))
            body: Mapped[str] = mapped_column(Text)
            attachments = relationship(OutboxAttachment, order_by=OutboxAttachment.id,
                                       lazy="selectin", cascade="all, delete-orphan")

        class OutboxRequest(base):
            """A request to mail an account's own link or identifiant: a digest of the address asked
            for, kept an hour (``account_request``)."""
            __tablename__ = f"{prefix}_outbox_requests"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)
            address_digest: Mapped[str] = mapped_column(String(64), index=True)
            subject: Mapped[str] = mapped_column(String(300))
            asked_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)

        self.prefix = prefix
        self.Mail = OutboxMail
        self.Attachment = OutboxAttachment
        self.Request = OutboxRequest

    def send_mail(self, session: Session, to: str | Iterable[str], subject: str, body: str, *,
                  attachments: Iterable[MailAttachment] = (), sender: str = DEFAULT_SENDER):
        """Store a mail in the outbox (within the caller's transaction) and return it."""
        recipients = [to] if isinstance(to, str) else list(to)
        mail = self.Mail(sender=sender, to=", ".join(recipients), subject=subject, body=body,
                         sent_at=_utcnow())
        mail.attachments = [self.Attachment(filename=a.filename, content_type=a.content_type,
                                            data=a.data) for a in attachments]
        session.add(mail)
        session.flush()
        return mail

    def sent_recently(self, session: Session, to: str, subject: str,
                      within: dt.timedelta = dt.timedelta(hours=1)) -> int:
        """How many mails titled ``subject`` went to ``to`` alone within ``within``: a form that mails
        an address on request (« mot de passe perdu ») sends nothing past ``PER_ADDRESS_HOURLY``,
        while answering the same (whoever asks learns nothing)."""
        return session.scalar(select(func.count()).select_from(self.Mail).where(
            self.Mail.to == to, self.Mail.subject == subject, self.Mail.sent_at > _utcnow() - within))

    def account_request(self, session: Session, subject: str, *asked: str) -> bool:
        """Record a request to mail an account's own link or identifiant (« mot de passe oublié »),
        ``asked`` being what was typed (the email, and the identifiant or COFOR the form also asks
        for), and say whether a mail may go: fewer than ``PER_ADDRESS_HOURLY`` such requests this
        hour. A view calls it before it knows whether they name an account, so both cases do the same
        reads and commit the same write — the commit's flush to disk was most of the time a known
        address took longer, which told anyone timing the answer which addresses have an account.
        Only a digest of what was typed is kept, for an hour, keyed with the app's secret: whoever
        reads the database cannot confirm a guessed address with it."""
        now = _utcnow()
        key = current_app.secret_key
        digest = hmac.new(key.encode() if isinstance(key, str) else key,
                          "\x1f".join(a.strip().lower() for a in asked).encode(), hashlib.sha256).hexdigest()
        model = self.Request
        session.execute(delete(model).where(model.asked_at <= now - dt.timedelta(hours=1)))
        asked = session.scalar(select(func.count()).select_from(model).where(
            model.address_digest == digest, model.subject == subject))
        session.add(model(address_digest=digest, subject=subject, asked_at=now))
        session.flush()
        return asked < PER_ADDRESS_HOURLY

    def send_template(self, session: Session, to: str | Iterable[str], subject: str, template: str,
                      **context):
        """Store a mail whose body is the Jinja ``template`` (a ``.txt``) rendered with ``context``."""
        return self.send_mail(session, to, subject, render_template(template, **context).strip() + "\n")

    def mails(self, session: Session, to: str | None = None) -> list:
        """Sent mails, newest first; ``to`` keeps those whose recipients contain it exactly."""
        mails = session.scalars(select(self.Mail).order_by(self.Mail.id.desc())).all()
        if to:
            mails = [m for m in mails if to in [r.strip() for r in m.to.split(",")]]
        return list(mails)

    def as_json(self, mail) -> dict:
        """One mail as the JSON view gives it (attachments by name, type, size and URL)."""
        from common.web import public_url_for
        return {
            "id": mail.id, "sent_at": rfc3339(mail.sent_at),
            "sender": mail.sender, "to": [r.strip() for r in mail.to.split(",")],
            "subject": mail.subject, "body": mail.body, "links": body_links(mail.body),
            "attachments": [
                {"filename": a.filename, "content_type": a.content_type, "size": len(a.data),
                 "url": public_url_for("outbox.attachment", mail_id=mail.id,
                                       attachment_id=a.id)}
                for a in mail.attachments],
        }

    def blueprint(self, db, *, title: str = "Boîte d'envoi", url_prefix: str = "/outbox",
                  layout: str = "common/outbox_layout.html", guarded: bool = True) -> Blueprint:
        """``GET /outbox`` (page), ``/outbox/mails.json`` (``?to=`` filter) and attachment downloads.

        ``layout`` is the template the page extends (blocks ``title`` and ``content``), so it can wear the
        app's own look. ``guarded``: an outbox mounted for demo mode or the test routes (its mails carry
        password reset links) answers, outside demo mode, the test routes' key only
        (``common.testing.guard_test_routes``); False for one that is part of the app in every mode.
        """
        bp = Blueprint("outbox", __name__, url_prefix=url_prefix)
        if guarded:
            from common.testing import guard_test_routes
            bp.before_request(guard_test_routes)
        outbox = self

        @bp.get("")
        def page():
            mails = outbox.mails(db.session, request.args.get("to"))
            return render_template("common/outbox.html", mails=mails, title=title, layout=layout,
                                   segments=body_segments)

        @bp.get("/mails.json")
        def mails_json():
            mails = outbox.mails(db.session, request.args.get("to"))
            return jsonify({"mails": [outbox.as_json(m) for m in mails]})

        @bp.get("/<int:mail_id>/attachments/<int:attachment_id>")
        def attachment(mail_id: int, attachment_id: int):
            item = db.session.get(outbox.Attachment, attachment_id)
            if item is None or item.mail_id != mail_id:
                abort(404)
            # Always a download: an uploaded file is never rendered by the browser on our origin.
            return Response(item.data, mimetype=item.content_type, headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.filename, safe='')}"})

        return bp


def define_outbox(base: type[DeclarativeBase], prefix: str) -> Outbox:
    """Declare ``<prefix>_outbox_mails`` and ``<prefix>_outbox_attachments`` on ``base``."""
    return Outbox(base, prefix)
