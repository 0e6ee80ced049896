"""A « mot de passe perdu » link is checked when it is used: past its hour it sets no password, whatever
rows are still stored — nothing prunes the stored links, and the « oublié » requests' rows (an hour's
count per address, ``common.outbox.account_request``) are deleted by the next request in the same
transaction, before they are counted."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import update

from simulators import portail_b2b
from simulators.portail_b2b.store import ResetToken, outbox
from tests.portail_b2b.conftest import PASSWORD as B2B_PASSWORD
from tests.seeded import seeded_app

pytestmark = pytest.mark.portail_b2b


def test_portail_b2b_reset_link_past_its_hour_is_refused_without_any_pruning(tmp_path):
    """A link's expiry is checked when it is used (nothing prunes the stored links): past its hour it
    sets no password, whatever rows are still stored (Icare: tests/icare/test_portal_auth.py)."""
    app = seeded_app(portail_b2b, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "TESTING": True,
                                   "WTF_CSRF_ENABLED": False})
    email = "karim.benali@equipements-axilog.example.fr"
    try:
        client = app.test_client()
        client.post("/mot-de-passe-perdu", data={"identifiant": "V100004", "email": email})
        with app.app_context():
            path = re.search(r"/mot-de-passe/\S+", outbox.mails(app.extensions["db"].session, email)[0].body).group(0)
        with app.extensions["db"].transaction() as session:
            session.execute(update(ResetToken).values(expires_at=dt.datetime(2000, 1, 1)))
        shown = client.get(path)
        assert shown.status_code == 404 and "n'est plus valable" in shown.get_data(as_text=True)
        sent = client.post(path, data={"password": "Nouveau-Passe-2026", "confirmation": "Nouveau-Passe-2026"})
        assert sent.status_code == 404
        assert client.post("/connexion", data={"identifiant": "V100004",
                                               "password": "Nouveau-Passe-2026"}).status_code == 401
        assert client.post("/connexion", data={"identifiant": "V100004", "password": B2B_PASSWORD}).status_code == 302
    finally:
        app.extensions["harness_stop"]()
