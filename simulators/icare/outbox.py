"""The portal's simulated mailbox: every mail Services.Spoticar sends is stored here, and a page
(demo/test mode only) lists them with their links so a person or a test can follow them."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, jsonify, render_template, request
from sqlalchemy import JSON, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from common.dates import rfc3339
from simulators.icare.store import Base, utcnow

bp = Blueprint("icare_outbox", __name__)


class OutboxMail(Base):
    """A mail the portal sent, with the links it holds."""
    __tablename__ = "icare_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    links: Mapped[list] = mapped_column(JSON, default=list)  # [{"text": …, "url": …}]
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


def send_mail(session: Session, to: str, subject: str, body: str,
              links: list[dict] | None = None) -> OutboxMail:
    """Store a mail in the outbox (the simulator's only way of sending mail)."""
    mail = OutboxMail(to=to, subject=subject, body=body, links=links or [], sent_at=utcnow())
    session.add(mail)
    return mail


def _mails(recipient: str | None) -> list[OutboxMail]:
    query = select(OutboxMail).order_by(OutboxMail.id.desc()).limit(200)
    if recipient:
        query = query.where(OutboxMail.to == recipient.strip().lower())
    return list(current_app.extensions["db"].session.scalars(query))


@bp.before_request
def _only_in_demo_or_tests():
    if not (current_app.config.get("DEMO_MODE") or current_app.config.get("TEST_ROUTES")):
        abort(404)


@bp.get("/outbox")
def outbox_page():
    """Sent mails, newest first; ``?to=`` keeps one recipient's."""
    recipient = request.args.get("to", "")[:254]
    return render_template("icare/outbox.html", mails=_mails(recipient), recipient=recipient)


@bp.get("/outbox.json")
def outbox_json():
    """The same mails as JSON, for scripts and tests."""
    recipient = request.args.get("to", "")[:254]
    return jsonify({"mails": [{"id": m.id, "to": m.to, "subject": m.subject, "body": m.body,
                               "links": m.links, "sent_at": rfc3339(m.sent_at)}
                              for m in _mails(recipient)]})
