"""``GET /__admin/journal``: open in demo mode, an admin key otherwise, French 400/401 messages."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.centralisateur


@pytest.fixture
def make_cds(tmp_path):
    made = []

    def make(**config):
        from centralisateur import create_app
        app = create_app({"DATA_DIR": str(tmp_path / str(len(made))), "URLS": {}, **config})
        made.append(app)
        return app.test_client()

    yield make
    for app in made:
        app.extensions["harness_stop"]()

def test_outside_demo_mode_the_journal_needs_the_configured_admin_key(make_cds):
    client = make_cds(DEMO_MODE=False, JOURNAL_ADMIN_KEY="admin-key-from-configuration")
    client.get("/connexion").close()
    for headers in ({}, {"Authorization": "Bearer wrong-key"}, {"Authorization": "admin-key-from-configuration"}):
        refused = client.get("/__admin/journal", headers=headers)
        assert refused.status_code == 401
        assert "Clé d'administration du journal absente ou invalide" in refused.json["errors"][0]["message"]
    allowed = client.get("/__admin/journal", headers={"Authorization": "Bearer admin-key-from-configuration"})
    assert allowed.status_code == 200
    assert [e["path"] for e in allowed.json["entries"]] == ["/connexion"]

def test_without_an_admin_key_outside_demo_mode_the_journal_stays_closed(make_cds):
    refused = make_cds(DEMO_MODE=False).get("/__admin/journal")
    assert refused.status_code == 401
    assert "aucune clé d'administration n'est configurée" in refused.json["errors"][0]["message"]

def test_on_a_stack_with_test_routes_the_refusal_names_their_key(make_cds):
    """``up --config … --test-routes``: no admin key configured, but the test routes' key opens it: said so."""
    refused = make_cds(DEMO_MODE=False, TEST_ROUTES=True).get("/__admin/journal")
    assert refused.status_code == 401
    message = refused.json["errors"][0]["message"]
    assert "aucune clé d'administration n'est configurée" in message
    assert ("l'en-tête X-Spoticar-Test-Key portant la clé des routes de test (affichée par spoticar-harness up, "
            "inscrite dans stack.json) l'ouvre aussi.") in message

@pytest.mark.parametrize(("query", "field", "message"), [
    ("limit=0", "limit", "« limit » doit être un entier de 1 à 5000."),
    ("limit=%D9%A3", "limit", "« limit » doit être un entier de 1 à 5000."),
    ("limit=99999999999999999999", "limit", "« limit » doit être un entier de 1 à 5000."),
    ("since=hier", "since", "Date « since » invalide"),
    ("trace=xyz", "trace", "Identifiant de trace invalide"),
    ("bdc=%3Cscript%3E", "bdc", "Numéro de BDC invalide"),
    ("header=sans-valeur", "header", "En-tête « header » invalide"),
    ("header=%3Cb%3E:x", "header", "En-tête « header » invalide")])
def test_bad_filters_get_a_french_400(make_cds, query, field, message):
    response = make_cds(DEMO_MODE=True).get(f"/__admin/journal?{query}")
    assert response.status_code == 400
    [error] = response.json["errors"]
    assert error["field"] == field and error["message"].startswith(message)

def test_filters_select_entries(make_cds):
    client = make_cds(DEMO_MODE=True)
    trace = "0af7651916cd43dd8448eb211c80319c"
    client.get("/connexion", headers={"traceparent": f"00-{trace}-b7ad6b7169203331-01"}).close()
    client.get("/support").close()
    assert [e["path"] for e in client.get(f"/__admin/journal?trace={trace}").json["entries"]] == ["/connexion"]
    assert [e["path"] for e in client.get("/__admin/journal?limit=1").json["entries"]] == ["/support"]
    assert client.get("/__admin/journal?since=2999-01-01T00:00:00Z").json["entries"] == []
    assert len(client.get("/__admin/journal?since=2020-01-01").json["entries"]) == 2


def test_the_header_filter_keeps_what_the_app_itself_marked(make_cds):
    """``header=Name:value``: the exchanges whose answer the app marked so (a certification session's
    mark); the same header sent by the caller is not the app's, and is not found."""
    client = make_cds(DEMO_MODE=True)
    client.get("/connexion", headers={"X-Spoticar-Certification-Session": "forged"}).close()
    client.get("/support").close()
    found = client.get("/__admin/journal?header=x-content-type-options:nosniff").json["entries"]
    assert [e["path"] for e in found] == ["/connexion", "/support"]
    assert client.get("/__admin/journal?header=X-Content-Type-Options:sniff").json["entries"] == []
    assert client.get("/__admin/journal?header=X-Spoticar-Certification-Session:forged").json["entries"] == []
