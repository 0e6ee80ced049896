"""Services.Spoticar in a browser: administrator creation through « Mot de passe oublié ? » and the
outbox, the live password rules, rights, contract search and monthly documents."""
from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.flows import portal_admin, strong_password
from e2e.pages.icare import (AccountsPage, DocumentsPage, ForgotPasswordPage, IcareLoginPage,
                             NewPasswordPage, NewUserPage, PortalPage)
from e2e.pages.outbox import OutboxPage
from fixtures import reference
from fixtures.icare_factories import icare_sale
from harness.testing import new_dealer
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.icare

DEMO_ADMIN_EMAIL = "garantie.vo@axilog-demo.example.fr"  # AXILOG DEMO's portal administrator


def api_sale(stack, factory, rrdi: str) -> dict:
    """What the centralisateur does for a declared sale: NPO record then contract, over HTTP."""
    npo, contract = icare_sale(factory, reference.demo_dealer(rrdi))
    with httpx.Client(verify=tls_context(), base_url=stack.url("icare"), headers=stack.credentials.icare_headers(), timeout=10) as http:
        http.post("/api/v1/npo", json=npo).raise_for_status()
        response = http.post("/api/v1/contracts", json=contract)
        response.raise_for_status()
        return response.json()


def test_administrator_created_through_forgotten_password(page: Page, stack, factory):
    # a dealer of the test's own: its convention email has no account yet, and has had no reset mail
    # this hour (a few an hour per address) whatever earlier runs on this stack did
    dealer = new_dealer(stack, factory)
    base, email = stack.url("icare"), dealer["convention_email"]
    password = strong_password(factory)
    login = IcareLoginPage(page, base).open()
    login.forgot_password()
    forgot = ForgotPasswordPage(page)
    forgot.request_reset(email)
    expect(forgot.messages).to_contain_text("vous recevrez un email avec un lien")
    OutboxPage(page, base).open(email).follow_link("Réinitialisation de votre mot de passe")
    NewPasswordPage(page).choose_password(email, password)
    expect(login.messages).to_contain_text("Votre mot de passe a été enregistré")
    login.login(email, password)
    portal = PortalPage(page)
    expect(portal.heading).to_contain_text("Bienvenue")
    for entry in PortalPage.MENU:
        expect(portal.menu.get_by_role("link", name=entry, exact=True)).to_be_visible()
    expect(page.get_by_text(dealer["name"]).first).to_be_visible()


def test_unknown_email_gets_the_same_answer(page: Page, stack):
    base = stack.url("icare")
    IcareLoginPage(page, base).open().forgot_password()
    forgot = ForgotPasswordPage(page)
    forgot.request_reset("personne@inconnu.example.fr")
    expect(forgot.messages).to_contain_text("Si cette adresse est enregistrée")
    outbox = OutboxPage(page, base).open("personne@inconnu.example.fr")
    expect(outbox.mails).to_have_count(0)


RULES = [  # (rule label, a password breaking only that rule, server message)
    ("15 caractères", "Garage-Lyon-6!", "au moins 15 caractères"),
    ("1 majuscule", "garage-lyon-2026!x", "au moins 1 majuscule"),
    ("1 minuscule", "GARAGE-LYON-2026!X", "au moins 1 minuscule"),
    ("1 chiffre", "Garage-Lyon-deux!x", "au moins 1 chiffre"),
    ("1 caractère spécial (Hors €)", "GarageLyon2026xyz", "au moins 1 caractère spécial"),
]


def test_each_password_rule_turns_green_and_is_refused_on_its_own(page: Page, stack, factory):
    base, email = stack.url("icare"), new_dealer(stack, factory)["convention_email"]  # see above
    IcareLoginPage(page, base).open().forgot_password()
    ForgotPasswordPage(page).request_reset(email)
    OutboxPage(page, base).open(email).follow_link("Réinitialisation de votre mot de passe")
    form = NewPasswordPage(page)
    for rule in form.rules.all():
        expect(rule).to_have_class(re.compile(r"\bko\b"))  # red before typing
    for broken, password, message in RULES:
        form.type_password(password)
        for label, _password, _message in RULES:
            expect(form.rule(label)).to_have_class(re.compile(r"\bko\b" if label == broken else r"\bok\b"))
        form.choose_password(email, password)
        expect(form.errors).to_contain_text(message)
        expect(form.errors.locator("li")).to_have_count(1)
        expect(form.email).to_have_value(email)
    form.choose_password(email, "Garage-Lyon-2026€x")  # € is not a special character here: refused
    expect(form.errors).to_contain_text("Le caractère € n'est pas accepté")
    expect(form.errors.locator("li")).to_have_count(1)
    good = strong_password(factory)
    form.choose_password(email, good, confirmation=good + "x")
    expect(form.errors).to_contain_text("La confirmation ne correspond pas")
    form.choose_password(email, good)
    expect(IcareLoginPage(page, base).messages).to_contain_text("Votre mot de passe a été enregistré")


def test_user_with_search_right_only(page: Page, stack, factory):
    base = stack.url("icare")
    contract = api_sale(stack, factory, "020319L")
    IcareLoginPage(page, base).open().login(*portal_admin(stack, factory, "020319L"))
    portal = PortalPage(page)
    portal.go("GESTION DES COMPTES")
    AccountsPage(page).add_user()
    customer = factory.customer()
    user_email = f"{customer['email'].split('@')[0]}.{factory.rng.randint(1000, 9999)}@garage-demo.example.fr"
    NewUserPage(page).create(customer["last_name"], customer["first_name"], user_email,
                             ["Rechercher des devis et contrats"])
    expect(page.get_by_role("status")).to_contain_text("Activez votre compte")
    portal.logout()
    OutboxPage(page, base).open(user_email).follow_link("Activez votre compte")
    first_login = NewPasswordPage(page)
    expect(page.get_by_role("heading", name="Première connexion")).to_be_visible()
    user_password = strong_password(factory)
    first_login.choose_password(user_email, user_password)
    IcareLoginPage(page, base).login(user_email, user_password)
    portal.search(contract["vehicle"]["plate"])
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(contract["contract_number"])
    portal.go("DOCUMENTS")
    expect(portal.heading).to_have_text("Accès refusé")
    expect(portal.errors).to_contain_text("Accéder aux documents comptables")
    expect(page.get_by_label("Type de document")).to_have_count(0)
    portal.go("GESTION DES COMPTES")
    expect(portal.heading).to_have_text("Accès refusé")
    expect(portal.errors).to_contain_text("Gérer les comptes")
    expect(page.get_by_role("link", name="+ Ajouter un nouvel utilisateur")).to_have_count(0)


def test_search_finds_an_api_contract_by_plate_and_by_number(page: Page, stack, factory):
    contract = api_sale(stack, factory, "953617Z")
    IcareLoginPage(page, stack.url("icare")).open().login(DEMO_ADMIN_EMAIL, stack.credentials.icare_password)
    portal = PortalPage(page)
    portal.search(contract["vehicle"]["plate"])
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(contract["contract_number"])
    portal.search(contract["contract_number"])
    expect(portal.results).to_have_count(1)
    expect(portal.results.first).to_contain_text(contract["vehicle"]["plate"])
    expect(portal.results.first).to_contain_text(contract["customer"]["last_name"])
    portal.search("pas un numéro")
    expect(portal.errors).to_contain_text("Saisissez une immatriculation")
    portal.go("LISTE DEVIS ET CONTRATS")
    expect(page.get_by_role("link", name=contract["contract_number"])).to_be_visible()


@pytest.mark.parametrize("rrdi, titles", [
    ("953617Z", ["primes des véhicules vendus sur le mois (y compris NPO)"]),
    ("FR10350", ["sinistres réglés pour votre compte", "frais de gestion + NPO"]),
    ("069870K", ["Prélèvement mensuel : NPO"]),
])
def test_documents_search_finds_the_months_debits(page: Page, stack, factory, rrdi, titles):
    base = stack.url("icare")
    api_sale(stack, factory, rrdi)
    if rrdi == "953617Z":
        IcareLoginPage(page, base).open().login(DEMO_ADMIN_EMAIL, stack.credentials.icare_password)
    else:
        IcareLoginPage(page, base).open().login(*portal_admin(stack, factory, rrdi))
    PortalPage(page).go("DOCUMENTS")
    documents = DocumentsPage(page)
    month = dt.date.today().strftime("%m/%Y")
    documents.search("Note de Débit", start=month, end=month)
    expect(documents.rows).to_have_count(len(titles))
    for title in titles:
        expect(documents.rows.filter(has_text=title)).to_have_count(1)
    with page.expect_download() as download:
        documents.download_link(0).click()
    assert download.value.suggested_filename.startswith("Note_de_Débit_")
    documents.search("Note de Crédit", start=month, end=month)
    expect(documents.messages).to_contain_text("Aucun document")
    documents.search(start="13/2026")
    expect(documents.errors).to_contain_text("format MM/AAAA")
