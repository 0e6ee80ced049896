"""Step 3: login with a V identifiant, throttling, lost identifiant / password, ASL Tiers reset."""
from __future__ import annotations

import pytest

from tests.portail_b2b.conftest import PASSWORD
from tests.portail_b2b.helpers import text

pytestmark = pytest.mark.portail_b2b

REFUSED = "Identifiant ou mot de passe incorrect."


def _login(client, identifiant, password=PASSWORD):
    return client.post("/connexion", data={"identifiant": identifiant, "password": password})


def _alert(response) -> str:
    page = text(response)
    return page[page.index('role="alert"'):].split("</div>")[0]


def test_login_opens_the_private_space(client):
    response = _login(client, "v100002")
    assert response.status_code == 302
    page = text(client.get("/espace"))
    assert "Bienvenue Julien PETIT (identifiant V100002)" in page
    assert "Utilisateurs de ma société" not in page
    client.post("/deconnexion")
    assert client.get("/espace").status_code == 302


def test_asl_tiers_sees_the_company_users(client):
    _login(client, "V100001")
    page = text(client.get("/espace"))
    assert "Utilisateurs de ma société" in page and "V100004" in page


def test_refusal_does_not_say_which_part_was_wrong(client):
    wrong_password = _login(client, "V100002", "Mauvais-mot-de-passe-1")
    unknown_user = _login(client, "V999999")
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert REFUSED in text(wrong_password) and REFUSED in text(unknown_user)
    assert _alert(wrong_password) == _alert(unknown_user)
    assert 'value="V100002"' in wrong_password.get_data(as_text=True)


def test_identifiant_must_start_with_v(client):
    response = _login(client, "A100002")
    assert response.status_code == 422
    assert "commence par V" in text(response)


def test_repeated_failures_block_the_identifiant(client):
    statuses = [_login(client, "V100003", "Mauvais-1").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]  # B2B_MAX_LOGIN_FAILURES is 3 in these tests
    blocked = _login(client, "V100003")
    assert blocked.status_code == 429 and "Accès bloqué" in text(blocked)
    assert _login(client, "V100004").status_code == 302  # other identifiants are not affected


def test_success_clears_earlier_failures(client):
    for _ in range(2):
        _login(client, "V100003", "Mauvais-1")
    assert _login(client, "V100003").status_code == 302
    for _ in range(2):
        _login(client, "V100003", "Mauvais-1")
    assert _login(client, "V100003").status_code == 302


def test_lost_identifiant_mails_it_only_on_exact_email(client, mails):
    data = {"email": "julien.petit@equipements-axilog.example.fr", "cofor": "1002034E"}
    first = client.post("/identifiant-perdu", data=data)
    assert first.status_code == 200 and "un e-mail vient d'être envoyé" in text(first)
    assert "V100002" in mails(data["email"])[0].body
    client.post("/identifiant-perdu", data={**data, "email": data["email"].upper()})
    assert len(mails()) == 1  # same answer on screen, but nothing sent to an unregistered spelling
    missing = client.post("/identifiant-perdu", data={"email": data["email"], "cofor": ""})
    assert missing.status_code == 422 and "L'information COFOR est obligatoire." in text(missing)


def test_lost_password_refuses_non_v_identifiant(client, mails):
    response = client.post("/mot-de-passe-perdu", data={"identifiant": "jdupont", "email": "j@example.fr"})
    assert response.status_code == 422
    assert "commence par V" in text(response) and 'value="JDUPONT"' in response.get_data(as_text=True)
    assert mails() == []


def test_lost_password_link_sets_a_new_password_once(client, mails):
    client.post("/mot-de-passe-perdu", data={"identifiant": "V100004",
                                             "email": "karim.benali@equipements-axilog.example.fr"})
    link = mails()[0].body.split("\n")[3]
    path = link[link.index("/mot-de-passe/"):]
    weak = client.post(path, data={"password": "court", "confirmation": "court"})
    assert weak.status_code == 422 and "au moins 12 caractères" in text(weak)
    done = client.post(path, data={"password": "Nouveau-Passe-2026", "confirmation": "Nouveau-Passe-2026"})
    assert done.status_code == 200
    assert _login(client, "V100004", "Nouveau-Passe-2026").status_code == 302
    assert client.get(path).status_code == 404  # single use


def test_asl_tiers_reset_issues_a_working_password(client, mails):
    email = "Paul.Schmitt@fonderie-est.example.fr"
    response = client.post("/asl-tiers", data={"identifiant": "V200001", "cofor": "1002035F", "email": email})
    assert response.status_code == 200 and "mot de passe de réinitialisation a été envoyé" in text(response)
    password = mails(email)[0].body.split("est : ")[1].split("\n")[0]
    assert _login(client, "V200001", PASSWORD).status_code == 401
    assert _login(client, "V200001", password).status_code == 302


def test_asl_tiers_reset_refuses_email_with_other_case(client, mails):
    response = client.post("/asl-tiers", data={"identifiant": "V200001", "cofor": "1002035F",
                                               "email": "paul.schmitt@fonderie-est.example.fr"})
    assert response.status_code == 422
    assert "majuscules/minuscules comprises" in text(response)
    assert 'value="paul.schmitt@fonderie-est.example.fr"' in response.get_data(as_text=True)
    assert mails() == []
    assert _login(client, "V200001").status_code == 302  # password untouched


def test_plain_user_is_sent_to_the_asl_tiers(client, mails):
    response = client.post("/asl-tiers", data={"identifiant": "V200002", "cofor": "1002035F",
                                               "email": "ines.muller@fonderie-est.example.fr"})
    assert response.status_code == 200
    assert "Paul SCHMITT — Paul.Schmitt@fonderie-est.example.fr" in text(response)
    assert mails() == []


def test_logout_ends_the_session_on_the_server(client, app):
    assert _login(client, "V100004").status_code == 302
    name = app.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(name).value
    client.post("/deconnexion")
    client.set_cookie(name, copied)  # the cookie as it was before « Se déconnecter »
    replay = client.get("/espace")
    assert replay.status_code == 302 and "/connexion" in replay.headers["Location"]


def test_every_demo_user_has_its_own_salt(app):
    from sqlalchemy import select

    from simulators.portail_b2b.store import PortalUser
    with app.app_context():
        hashes = app.extensions["db"].session.scalars(select(PortalUser.password_hash)).all()
    assert len(hashes) == 7 and len(set(hashes)) == 7
