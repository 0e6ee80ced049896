"""Portal login, « Mot de passe oublié ? », reset links and password rules (Flask test client)."""
from __future__ import annotations

import datetime as dt
from markupsafe import escape

import pytest
from sqlalchemy import select, update

from simulators.icare import create_app, seed_demo
from simulators.icare.portal_auth import RESET_SENT
from simulators.icare.portal_store import AccountToken, PortalUser
from tests.icare.conftest import STRONG, become_admin, dealer, last_link, log_in, mail_count

pytestmark = pytest.mark.icare


def test_login_page_shows_the_seed_labels(client):
    html = client.get("/connexion").get_data(as_text=True)
    for text in ("Connexion à votre espace", "Mot de passe oublié ?", "Enregistrer mes identifiants",
                 "Se connecter", 'for="email"', 'for="password"'):
        assert text in html


def test_convention_email_becomes_the_dealers_administrator(client, app):
    email = become_admin(client, app, "FR10350")
    response = log_in(client, email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/accueil")
    home = client.get("/accueil").get_data(as_text=True)
    assert "DEMO CDDS SPOTICAR" in home and "T10350" in home and "GESTION DES COMPTES" in home
    with app.extensions["db"].transaction() as session:
        user = session.scalar(select(PortalUser).where(PortalUser.email == email))
        assert [(m.code_t, m.is_admin, len(m.rights)) for m in user.memberships] == [("T10350", True, 6)]


def test_reset_page_for_a_new_administrator_shows_the_rules(client, app):
    email = dealer("020319L")["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    html = client.get(last_link(app, email, "Réinitialiser mon mot de passe")).get_data(as_text=True)
    assert "Création du mot de passe Administrateur" in html
    for rule in ("15 caractères", "1 majuscule", "1 minuscule", "1 chiffre", "1 caractère spécial (Hors €)",
                 "différent des précédents", "Confirmation de mot de passe", "Enregistrer"):
        assert rule in html
    assert "password_rules.js" in html and "<script>" not in html


def test_unknown_email_gets_the_same_answer_and_no_mail(client, app):
    known = client.post("/mot-de-passe-oublie", data={"email": dealer("038421N")["convention_email"]})
    unknown = client.post("/mot-de-passe-oublie", data={"email": "personne@inconnu.example.fr"})
    assert known.status_code == unknown.status_code == 200
    sent = str(escape(RESET_SENT))
    assert sent in known.get_data(as_text=True) and sent in unknown.get_data(as_text=True)
    assert mail_count(app, "personne@inconnu.example.fr") == 0
    assert mail_count(app, dealer("038421N")["convention_email"]) == 1


def test_a_dealer_login_email_that_is_not_the_convention_email_gets_nothing(client, app):
    other = dealer("038421N")["email"]
    client.post("/mot-de-passe-oublie", data={"email": other})
    assert mail_count(app, other) == 0


def test_malformed_email_on_reset_is_a_clear_400(client, app):
    response = client.post("/mot-de-passe-oublie", data={"email": "pas-un-email"})
    assert response.status_code == 400
    assert "adresse email valide" in response.get_data(as_text=True)


def test_reset_link_works_once(client, app):
    email = become_admin(client, app, "FR10350")
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    again = client.post(link, data={"email": email, "password": STRONG + "2", "confirmation": STRONG + "2"})
    assert again.status_code == 410
    assert "déjà été utilisé" in again.get_data(as_text=True)
    assert log_in(client, email, STRONG + "2").status_code == 401


def test_expired_reset_link_is_refused(client, app):
    email = dealer("069870K")["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    with app.extensions["db"].transaction() as session:
        session.execute(update(AccountToken).values(expires_at=dt.datetime(2000, 1, 1)))
    response = client.get(link)
    assert response.status_code == 410 and "expiré" in response.get_data(as_text=True)
    posted = client.post(link, data={"email": email, "password": STRONG, "confirmation": STRONG})
    assert posted.status_code == 410
    with app.extensions["db"].transaction() as session:
        assert session.scalar(select(PortalUser).where(PortalUser.email == email)) is None


def test_unknown_reset_link_is_a_404(client):
    response = client.get("/reinitialisation/nimporte-quoi")
    assert response.status_code == 404 and "pas valide" in response.get_data(as_text=True)


def test_reset_requires_the_email_the_link_was_sent_to(client, app):
    email = dealer("013250C")["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    response = client.post(link, data={"email": "autre@example.fr", "password": STRONG, "confirmation": STRONG})
    assert response.status_code == 422
    assert "ne correspond pas" in response.get_data(as_text=True)


@pytest.mark.parametrize("password, message", [
    ("Garage-Lyon-26!", None),  # 15 characters exactly: accepted
    ("Garage-Lyon-6!", "au moins 15 caractères"),
    ("garage-lyon-2026!x", "au moins 1 majuscule"),
    ("GARAGE-LYON-2026!X", "au moins 1 minuscule"),
    ("Garage-Lyon-deux!x", "au moins 1 chiffre"),
    ("GarageLyon2026xyz", "au moins 1 caractère spécial"),
    ("GarageLyon2026€xyz", "au moins 1 caractère spécial"),
])
def test_each_password_rule_is_enforced_on_its_own(client, app, password, message):
    email = dealer("020319L")["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    response = client.post(link, data={"email": email, "password": password, "confirmation": password})
    if message is None:
        assert response.status_code == 302
        return
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert f'value="{email}"' in html  # the email typed is kept
    with app.extensions["db"].transaction() as session:
        assert session.scalar(select(PortalUser).where(PortalUser.email == email)) is None


def test_confirmation_must_match(client, app):
    email = dealer("020319L")["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    response = client.post(link, data={"email": email, "password": STRONG, "confirmation": STRONG + "x"})
    assert response.status_code == 422 and "confirmation ne correspond pas" in response.get_data(as_text=True)


def test_a_previous_password_is_refused(client, app):
    email = become_admin(client, app, "FR10350")
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    response = client.post(link, data={"email": email, "password": STRONG, "confirmation": STRONG})
    assert response.status_code == 422 and "différent des précédents" in response.get_data(as_text=True)
    newer = "Another-Pass-2026?"
    assert client.post(link, data={"email": email, "password": newer, "confirmation": newer}).status_code == 302
    assert log_in(client, email, STRONG).status_code == 401
    assert log_in(client, email, newer).status_code == 302


def test_repeated_failures_lock_the_login_even_with_the_right_password(client, app):
    email = become_admin(client, app, "FR10350")
    statuses = [log_in(client, email, "mauvais").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    locked = log_in(client, email)
    assert locked.status_code == 429 and "bloqué" in locked.get_data(as_text=True)


def test_unknown_email_locks_the_same_way(client):
    statuses = [log_in(client, "inconnu@example.fr", "x").status_code for _ in range(6)]
    assert statuses == [401, 401, 401, 401, 429, 429]


def test_bad_login_message_does_not_say_which_part_is_wrong(client, app):
    email = become_admin(client, app, "FR10350")
    wrong_password = log_in(client, email, "mauvais").get_data(as_text=True)
    unknown = log_in(client, "x@example.fr", "mauvais").get_data(as_text=True)
    assert "Email ou mot de passe incorrect." in wrong_password and "Email ou mot de passe incorrect." in unknown


def test_session_cookie_is_httponly_and_samesite(client, app):
    email = become_admin(client, app, "FR10350")
    cookie = log_in(client, email).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_open_redirect_after_login_is_ignored(client, app):
    email = become_admin(client, app, "FR10350")
    response = client.post("/connexion", data={"email": email, "password": STRONG,
                                               "next": "//evil.example/"})
    assert response.headers["Location"].endswith("/accueil")


def test_pages_need_a_login(client):
    for path in ("/accueil", "/contrats", "/documents", "/gestion-des-comptes", "/recherche?q=AA-123-AA"):
        response = client.get(path)
        assert response.status_code == 302 and f"next={path.split('?')[0]}" in response.headers["Location"]


def test_password_change_ends_other_sessions(client, app):
    email = become_admin(client, app, "FR10350")
    other = app.test_client()
    log_in(other, email)
    assert other.get("/accueil").status_code == 200
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    newer = "Another-Pass-2026?"
    client.post(link, data={"email": email, "password": newer, "confirmation": newer})
    assert other.get("/accueil").status_code == 302


def test_forms_need_a_csrf_token(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path), "ICARE_SERVICE_KEY": "k"})
    seed_demo(app, 0)
    response = app.test_client().post("/mot-de-passe-oublie", data={"email": "a@b.fr"})
    assert response.status_code == 400 and "formulaire a expiré" in response.get_data(as_text=True)
    assert app.test_client().get("/outbox").status_code == 404  # no mailbox outside demo/test mode
    app.extensions["db"].dispose()


def test_reset_mails_are_limited_per_hour_with_the_same_answer(client, app):
    email = dealer("038421N")["convention_email"]
    answers = [client.post("/mot-de-passe-oublie", data={"email": email}) for _ in range(7)]
    assert {a.status_code for a in answers} == {200}
    assert all(str(escape(RESET_SENT)) in a.get_data(as_text=True) for a in answers)
    assert mail_count(app, email) == 5


def test_a_reset_link_posted_twice_at_once_is_used_once(client, app):
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    from common.serve import AppServer
    email = dealer("020319L")["convention_email"]
    client.post("/mot-de-passe-oublie", data={"email": email})
    link = last_link(app, email, "Réinitialiser mon mot de passe")
    passwords = ["First-Password-2026!", "Other-Password-2026?"]
    with AppServer.bind("127.0.0.1", 0).mount(app) as server:
        def submit(password):
            return httpx.post(server.url + link, timeout=20,
                              data={"email": email, "password": password, "confirmation": password})
        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(r.status_code for r in pool.map(submit, passwords))
    assert statuses == [302, 410]
    with app.extensions["db"].transaction() as session:
        user = session.scalar(select(PortalUser).where(PortalUser.email == email))
        assert len(user.memberships) == 1


def test_logout_ends_the_session_on_the_server(client, app):
    email = become_admin(client, app, "FR10350")
    assert log_in(client, email).status_code == 302
    name = app.config["SESSION_COOKIE_NAME"]
    copied = client.get_cookie(name).value
    client.post("/deconnexion")
    client.set_cookie(name, copied)  # the cookie as it was before « Se déconnecter »
    replay = client.get("/accueil")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/?next=")
