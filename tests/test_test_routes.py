"""The ``/__test__/…`` routes exist only when an app runs with TEST_ROUTES (``up --test-routes``, the
suites' own stack): outside, in demo mode too, every one of them is a 404."""
from __future__ import annotations

import pytest

from harness.apps import BY_NAME
from tests.seeded import seeded_app

ROUTES = [  # (app, method, path, JSON body, status with TEST_ROUTES)
    ("centralisateur", "post", "/__test__/jobs/run", None, 200),
    ("centralisateur", "get", "/__test__/store", None, 200),
    ("centralisateur", "get", "/__test__/declarations/SP953617Z000000001", None, 404),
    ("icare", "post", "/__test__/dealers", {}, 400),
    ("tec3h", "get", "/__test__/vehicles/1/warranty", None, 404),
    ("pvo2", "post", "/__test__/orders", {"seed": 1}, 201),
    ("portail_b2b", "delete", "/__test__/public-forms", None, 200),
    ("icare", "delete", "/__test__/public-forms", None, 200),
    ("pvo2", "post", "/__test__/orders", {"seed": 1, "like": "ST35444304", "closed": True}, 201),  # the seed's DS 9
    ("pvo2", "post", "/__test__/orders", {"like": "ST00000000"}, 422),
    ("bee2link", "post", "/__test__/orders", {"rrdi": "020319L", "seed": 1}, 201),
    ("neovo", "post", "/__test__/dossiers", {"rrdi": "038421N", "seed": 1}, 201),
    ("pvo2", "post", "/__test__/vehicles", {"seed": 1, "label": "", "provenance": "Ex-Taxi"}, 201),
    ("bee2link", "post", "/__test__/vehicles", {"rrdi": "020319L", "stage": "preparation", "seed": 1}, 201),
    ("bee2link", "post", "/__test__/vehicles", {"rrdi": "020319L", "stage": "nulle-part"}, 400),
    ("portail_b2b", "post", "/__test__/suppliers", {"seed": 1, "state": "presented", "sites": ["01", "02"]}, 201),
    ("portail_b2b", "post", "/__test__/suppliers", {"state": "inconnu"}, 400),
    ("portail_b2b", "post", "/__test__/users", {"cofor": "1002035F", "password": "Passe-De-Test-2026", "seed": 1},
     201),
    ("portail_b2b", "post", "/__test__/users", {"cofor": "9999999Z", "password": "Passe-De-Test-2026"}, 400),
    ("portail_b2b", "post", "/__test__/users", {"cofor": "1002035F"}, 400),
    ("icare", "post", "/__test__/portal-users",
     {"email": "admin.test@garage-test.example.fr", "password": "Spoticar-1234567-Ok!", "rrdi": "FR10350"}, 201),
    ("icare", "post", "/__test__/portal-users", {"email": "a@b.example.fr", "password": "x", "rrdi": "XX"}, 400),
]
IDS = [f"{r[0]}{r[2]}-{r[4]}" for r in ROUTES]


def _app(name: str, tmp_path, **config):
    return seeded_app(BY_NAME[name].load(), {
        "DATA_DIR": str(tmp_path / name), "DEMO_MODE": True, "BACKGROUND_JOBS": False,
        "URLS": {"centralisateur": "http://127.0.0.1:9", "icare": "http://127.0.0.1:9"}, **config})


@pytest.mark.parametrize("name, method, path, body, _status", ROUTES, ids=IDS)
def test_test_routes_are_a_404_without_test_routes(tmp_path, name, method, path, body, _status):
    app = _app(name, tmp_path)
    try:
        response = getattr(app.test_client(), method)(path, json=body)
        assert response.status_code == 404  # no route (not "no record")
        assert "Enregistrement introuvable" not in response.get_data(as_text=True)
    finally:
        app.extensions["harness_stop"]()


@pytest.mark.parametrize("name, method, path, body, status", ROUTES, ids=IDS)
def test_test_routes_answer_with_test_routes(tmp_path, name, method, path, body, status):
    app = _app(name, tmp_path, TEST_ROUTES=True)
    try:
        response = getattr(app.test_client(), method)(path, json=body)
        assert response.status_code == status
        if status in (400, 404):  # a missing field or record, said in French
            assert response.json["errors"][0]["message"]
    finally:
        app.extensions["harness_stop"]()
