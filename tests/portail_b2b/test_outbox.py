"""The generic mail outbox (common/outbox.py) on a throwaway app and base."""
from __future__ import annotations

import pytest
from sqlalchemy.orm import DeclarativeBase

from common.db import Database, database_url
from common.outbox import MailAttachment, body_links, body_segments, define_outbox
from common.web import make_app

pytestmark = pytest.mark.portail_b2b


class _Base(DeclarativeBase):
    pass


OUTBOX = define_outbox(_Base, "demoapp")


@pytest.fixture
def app(tmp_path):
    app = make_app(__name__, {"DATA_DIR": str(tmp_path), "TESTING": True, "DEMO_MODE": True})  # an open outbox
    db = Database(database_url(app.config, "demoapp"), _Base)
    db.create_all()
    db.init_app(app)
    app.register_blueprint(OUTBOX.blueprint(db))
    yield app
    db.dispose()


def test_tables_are_prefixed():
    assert OUTBOX.Mail.__tablename__ == "demoapp_outbox_mails"
    assert OUTBOX.Attachment.__tablename__ == "demoapp_outbox_attachments"


def test_links_are_found_without_trailing_punctuation():
    body = "Activez : https://x.example/activer?t=1. Puis http://y.example/a)"
    assert body_links(body) == ["https://x.example/activer?t=1", "http://y.example/a"]
    assert "".join(text for text, _ in body_segments(body)) == body


def test_sent_mail_is_listed_with_links_and_attachment(app):
    db = app.extensions["db"]
    with db.transaction() as session:
        OUTBOX.send_mail(session, "Alice@Example.fr", "Bienvenue <b>", "Lien : https://x.example/a\n<script>",
                         attachments=[MailAttachment("capture.png", "image/png", b"\x89PNG data")])
        OUTBOX.send_mail(session, ["bob@example.fr", "carol@example.fr"], "Autre", "Texte")
    client = app.test_client()
    data = client.get("/outbox/mails.json?to=Alice@Example.fr").get_json()["mails"]
    assert len(data) == 1
    mail = data[0]
    assert mail["subject"] == "Bienvenue <b>" and mail["links"] == ["https://x.example/a"]
    assert [a["filename"] for a in mail["attachments"]] == ["capture.png"]
    download = client.get(mail["attachments"][0]["url"])
    assert download.data == b"\x89PNG data"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert client.get("/outbox/mails.json?to=alice@example.fr").get_json()["mails"] == []
    assert len(client.get("/outbox/mails.json?to=carol@example.fr").get_json()["mails"]) == 1
    page = client.get("/outbox").get_data(as_text=True)
    assert "Bienvenue &lt;b&gt;" in page and "&lt;script&gt;" in page and "<script>" not in page
    assert '<a href="https://x.example/a">' in page and "capture.png" in page


def test_attachment_of_another_mail_is_not_found(app):
    db = app.extensions["db"]
    with db.transaction() as session:
        first = OUTBOX.send_mail(session, "a@example.fr", "Un", "x",
                                 attachments=[MailAttachment("a.txt", "text/plain", b"a")])
        second = OUTBOX.send_mail(session, "b@example.fr", "Deux", "y")
        ids = (second.id, first.attachments[0].id)
    assert app.test_client().get(f"/outbox/{ids[0]}/attachments/{ids[1]}").status_code == 404
