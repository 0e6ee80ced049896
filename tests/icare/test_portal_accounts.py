"""GESTION DES COMPTES: user creation, activation, and every right enforced on the server."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from simulators.icare.portal_store import Membership, PortalUser
from simulators.icare.store import IcareDealer
from tests.icare.conftest import STRONG, api_sale, become_admin, create_user, last_link, log_in, mail_count

pytestmark = pytest.mark.icare

USER = "lea.martin@garage-demo.example.fr"
USER_PASSWORD = "Lea-Martin-2026-ok!"


def activate(client, app, email=USER, password=USER_PASSWORD):
    link = last_link(app, email, "Activez votre compte")
    assert "Première connexion" in client.get(link).get_data(as_text=True)
    return client.post(link, data={"email": email, "password": password, "confirmation": password})


@pytest.fixture
def admin(client, app):
    email = become_admin(client, app, "FR10350")
    log_in(client, email)
    return email


def test_new_user_form_shows_the_six_rights_and_the_establishment(client, admin):
    html = client.get("/gestion-des-comptes/nouveau").get_data(as_text=True)
    for text in ("Création d'un nouvel utilisateur", "Informations personnelles", "Identifiant/Email",
                 "Numéro de téléphone mobile (optionnel)", "Numéro de téléphone fixe (optionnel)",
                 "Réaliser des devis &amp; souscriptions", "Rechercher des devis et contrats",
                 "Déposer des demandes de prise en charge", "Rechercher des demandes de prise en charge",
                 "Accéder aux documents comptables", "Gérer les comptes", "Enregistrer",
                 "Vous n'avez pas de droits de gestion de compte sur d'autres établissements"):
        assert text in html


def test_user_with_search_right_only_can_search_but_not_see_documents_or_accounts(client, app, admin, factory):
    contract = api_sale(client, factory, "FR10350")
    response = create_user(client, ["recherche"])
    assert response.status_code == 302
    assert mail_count(app, USER) == 1
    client.post("/deconnexion")
    assert log_in(client, USER, USER_PASSWORD).status_code == 401  # not activated yet
    assert activate(client, app).status_code == 302
    assert log_in(client, USER, USER_PASSWORD).status_code == 302
    found = client.get(f"/recherche?q={contract['vehicle']['plate']}")
    assert found.status_code == 200 and contract["contract_number"] in found.get_data(as_text=True)
    for path in ("/documents", "/gestion-des-comptes", "/gestion-des-comptes/nouveau", "/prise-en-charge"):
        refused = client.get(path)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 403 and "Accès refusé" in html and "Vous n&#39;avez pas le droit" in html
    documents_refusal = client.get("/documents").get_data(as_text=True)
    assert "Accéder aux documents comptables" in documents_refusal and "Note de Débit n°" not in documents_refusal
    sneaky = create_user(client, ["comptes"], email="pirate@example.fr")
    assert sneaky.status_code == 403 and mail_count(app, "pirate@example.fr") == 0


def test_user_without_search_right_is_refused_the_search(client, app, admin, factory):
    contract = api_sale(client, factory, "FR10350")
    create_user(client, ["documents"])
    client.post("/deconnexion")
    activate(client, app)
    log_in(client, USER, USER_PASSWORD)
    for path in (f"/recherche?q={contract['vehicle']['plate']}", "/contrats",
                 f"/contrats/{contract['contract_number']}"):
        response = client.get(path)
        assert response.status_code == 403 and contract["vehicle"]["plate"] not in response.get_data(as_text=True)
    assert client.get("/documents").status_code == 200


def test_activation_enforces_the_password_rules(client, app, admin):
    create_user(client, ["recherche"])
    client.post("/deconnexion")
    weak = activate(client, app, password="court")
    assert weak.status_code == 422 and "au moins 15 caractères" in weak.get_data(as_text=True)
    assert activate(client, app).status_code == 302
    link = last_link(app, USER, "Activez votre compte")
    reused = client.post(link, data={"email": USER, "password": USER_PASSWORD + "x",
                                      "confirmation": USER_PASSWORD + "x"})
    assert reused.status_code == 410  # the activation link works once


@pytest.mark.parametrize("field, value, message", [
    ("last_name", "", "Le champ Nom est obligatoire."),
    ("first_name", "", "Le champ Prénom est obligatoire."),
    ("email", "pas-un-email", "adresse email valide"),
    ("mobile", "12345", "10 chiffres"),
    ("rights", [], "Cochez au moins un droit"),
])
def test_bad_user_input_is_refused_and_kept(client, app, admin, field, value, message):
    response = create_user(client, **{"rights": ["recherche"], field: value})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    if field != "last_name":
        assert 'value="Martin"' in html
    with app.extensions["db"].transaction() as session:
        assert session.scalar(select(PortalUser).where(PortalUser.email == USER)) is None


def test_names_are_escaped(client, app, admin):
    create_user(client, ["recherche"], last_name="<script>")
    assert "&lt;script&gt;" in client.post("/gestion-des-comptes/nouveau", data={
        "last_name": "<script>", "first_name": "", "email": USER, "rights": ["recherche"]}).get_data(as_text=True)


def test_same_user_twice_on_an_establishment_is_refused(client, app, admin):
    assert create_user(client, ["recherche"]).status_code == 302
    again = create_user(client, ["recherche"])
    assert again.status_code == 422 and "existe déjà" in again.get_data(as_text=True)


def test_new_user_is_listed(client, admin):
    create_user(client, ["recherche", "documents"])
    html = client.get("/gestion-des-comptes?q=martin").get_data(as_text=True)
    assert "MARTIN" in html and "En attente d&#39;activation" in html


def test_multi_site_administrator_chooses_the_establishment(client, app):
    with app.extensions["db"].transaction() as session:
        for code in ("T20319", "T13250"):
            session.get(IcareDealer, code).convention_email = "groupe@multi-demo.example.fr"
    client.post("/mot-de-passe-oublie", data={"email": "groupe@multi-demo.example.fr"})
    link = last_link(app, "groupe@multi-demo.example.fr", "Réinitialiser mon mot de passe")
    client.post(link, data={"email": "groupe@multi-demo.example.fr", "password": STRONG, "confirmation": STRONG})
    log_in(client, "groupe@multi-demo.example.fr")
    html = client.get("/gestion-des-comptes/nouveau").get_data(as_text=True)
    assert 'value="T20319"' in html and 'value="T13250"' in html
    assert "pas de droits de gestion de compte sur d'autres" not in html
    assert create_user(client, ["recherche"], code_t="T13250").status_code == 302
    refused = create_user(client, ["recherche"], email="x@example.fr", code_t="T18654")  # not theirs
    assert refused.status_code == 422 and "Choisissez un établissement" in refused.get_data(as_text=True)
    with app.extensions["db"].transaction() as session:
        user = session.scalar(select(PortalUser).where(PortalUser.email == USER))
        assert [m.code_t for m in user.memberships] == ["T13250"]
        assert session.scalar(select(Membership).where(Membership.code_t == "T18654",
                                                       Membership.is_admin.is_(False))) is None
    switch = client.post("/etablissement", data={"code_t": "T13250"})
    assert switch.status_code == 302 and "MARSEILLE PRADO" in client.get("/accueil").get_data(as_text=True)
    assert client.post("/etablissement", data={"code_t": "T18654"}).status_code == 403


def test_administrator_changes_a_users_rights(client, app, admin):
    create_user(client, ["recherche"])
    with app.extensions["db"].transaction() as session:
        user = session.scalar(select(PortalUser).where(PortalUser.email == USER))
        admin_user = session.scalar(select(PortalUser).where(PortalUser.email == admin))
    assert "Rechercher des devis et contrats" in client.get(f"/gestion-des-comptes/{user.id}").get_data(as_text=True)
    empty = client.post(f"/gestion-des-comptes/{user.id}", data={"rights": []})
    assert empty.status_code == 422 and "Cochez au moins un droit" in empty.get_data(as_text=True)
    assert client.post(f"/gestion-des-comptes/{user.id}",
                       data={"rights": ["documents", "bogus"]}).status_code == 302
    with app.extensions["db"].transaction() as session:
        assert session.scalar(select(Membership.rights).where(Membership.user_id == user.id)) == ["documents"]
    own = client.post(f"/gestion-des-comptes/{admin_user.id}", data={"rights": ["recherche"]})
    assert own.status_code == 403 and "propres droits" in own.get_data(as_text=True)
    assert client.get("/gestion-des-comptes/99999").status_code == 404


def test_remember_me_makes_the_session_last(client, app):
    email = become_admin(client, app, "FR10350")
    plain = log_in(client, email).headers["Set-Cookie"]
    client.post("/deconnexion")
    remembered = client.post("/connexion", data={"email": email, "password": STRONG, "remember": "1"})
    assert "Expires=" not in plain and "Expires=" in remembered.headers["Set-Cookie"]
