"""Browser suite, step 3: login (V identifiant, throttling), lost identifiant / password, ASL Tiers."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.outbox import OutboxPage
from e2e.pages.portail_b2b import (
    AslTiersPage,
    HomePage,
    LoginPage,
    LostIdentifiantPage,
    LostPasswordPage,
    NewPasswordPage,
    PrivateSpacePage,
)

pytestmark = pytest.mark.portail_b2b

REFUSED = "Identifiant ou mot de passe incorrect."


def test_login_with_v_identifiant_opens_the_private_space(page: Page, b2b_url, b2b_password):
    LoginPage(page, b2b_url).open().login("V100002", b2b_password)
    space = PrivateSpacePage(page, b2b_url)
    expect(space.welcome).to_contain_text("Bienvenue Julien PETIT (identifiant V100002)")
    expect(space.users).to_have_count(0)
    space.logout()
    page.goto(b2b_url + "/espace")
    expect(LoginPage(page, b2b_url).submit).to_be_visible()


def test_login_from_the_home_page(page: Page, b2b_url, b2b_password):
    HomePage(page, b2b_url).open().login_box.login("v100003", b2b_password)
    expect(PrivateSpacePage(page, b2b_url).welcome).to_contain_text("Sophie DURAND")


def test_refused_login_does_not_say_which_part_was_wrong(page: Page, b2b_url, factory, portal_user):
    user = portal_user()  # its failed login is counted against it, not against a demo identifiant
    login = LoginPage(page, b2b_url).open()
    login.login(user["identifiant"], factory.fake.password(length=14))
    expect(login.errors).to_contain_text(REFUSED)
    expect(login.identifiant).to_have_value(user["identifiant"])
    wrong_password = login.errors.inner_text()
    login.login(f"V9{factory.rng.randint(10000, 99999)}", user["password"])
    expect(login.errors).to_have_text(wrong_password)


def test_identifiant_not_starting_with_v_is_refused(page: Page, b2b_url, b2b_password):
    login = LoginPage(page, b2b_url).open()
    login.login("jdupont", b2b_password)
    expect(login.identifiant).to_have_accessible_description(re.compile("commence par V suivi de 6 chiffres"))


def test_repeated_failures_block_the_identifiant(page: Page, b2b_url, factory):
    identifiant = f"V8{factory.rng.randint(10000, 99999)}"
    login = LoginPage(page, b2b_url).open()
    for _ in range(4):
        login.login(identifiant, "Mauvais-Passe-1")
        expect(login.errors).to_contain_text(REFUSED)
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        login.login(identifiant, "Mauvais-Passe-1")
    assert response.value.status == 429
    expect(login.errors).to_contain_text("Accès bloqué")


def test_lost_identifiant_is_mailed(page: Page, b2b_url, outbox):
    email = "sophie.durand@equipements-axilog.example.fr"
    form = LostIdentifiantPage(page, b2b_url).open()
    form.ask(email=email, cofor="1002034E")
    expect(form.messages).to_contain_text("un e-mail vient d'être envoyé")
    assert "V100003" in outbox.mails(email)[0]["body"]


def test_lost_password_refuses_identifiant_not_starting_with_v(page: Page, b2b_url, person, outbox):
    form = LostPasswordPage(page, b2b_url).open()
    expect(page.get_by_text("commençant par V), pas pour la phase de présentation")).to_be_visible()
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        form.ask(identifiant="P123456", email=person["email"])
    assert response.value.status == 422
    expect(form.identifiant).to_have_accessible_description(re.compile("commence par V"))
    expect(form.email).to_have_value(person["email"])
    assert outbox.mails(person["email"]) == []


def test_lost_password_link_from_the_outbox_sets_a_new_password(page: Page, b2b_url, factory, portal_user):
    user = portal_user()
    LostPasswordPage(page, b2b_url).open().ask(identifiant=user["identifiant"], email=user["email"])
    box = OutboxPage(page, b2b_url).open()
    box.mail("Portail B2B STELLANTIS : réinitialisation de votre mot de passe").get_by_role("link").click()
    new_password = NewPasswordPage(page, b2b_url)
    new_password.choose_password("court")
    expect(new_password.errors).to_contain_text("au moins 12 caractères")
    chosen = factory.fake.password(length=14, special_chars=True, digits=True, upper_case=True, lower_case=True)
    new_password.choose_password(chosen)
    expect(new_password.messages).to_contain_text("Votre mot de passe a été modifié")
    login = LoginPage(page, b2b_url).open()
    login.login(user["identifiant"], user["password"])
    expect(login.errors).to_contain_text(REFUSED)  # the old password no longer opens the space
    login.login(user["identifiant"], chosen)
    expect(PrivateSpacePage(page, b2b_url).welcome).to_contain_text(user["identifiant"])


def test_asl_tiers_reset_refuses_email_differing_in_case(page: Page, b2b_url, b2b_password, outbox):
    form = AslTiersPage(page, b2b_url).open()
    expect(page.get_by_text("Respectez les majuscules/minuscules s'il y a lieu.")).to_be_visible()
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        form.ask(identifiant="V100001", cofor="1002034E", email="claire.martin@equipements-axilog.example.fr")
    assert response.value.status == 422
    expect(form.errors).to_contain_text("doit correspondre exactement")
    expect(form.email).to_have_value("claire.martin@equipements-axilog.example.fr")
    assert outbox.mails("Claire.Martin@equipements-axilog.example.fr") == []
    LoginPage(page, b2b_url).open().login("V100001", b2b_password)  # password untouched
    expect(PrivateSpacePage(page, b2b_url).users).to_contain_text("V100004")


def test_asl_tiers_gets_a_reset_password_that_works(page: Page, b2b_url, outbox, portal_user):
    asl = portal_user(asl_tiers=True)
    form = AslTiersPage(page, b2b_url).open()
    # identifiant and COFOR typed in lower case: accepted; the e-mail address must match exactly
    form.ask(identifiant=asl["identifiant"].lower(), cofor=asl["cofor"].lower(), email=asl["email"])
    expect(form.messages).to_contain_text("Un mot de passe de réinitialisation a été envoyé")
    body = outbox.mails(asl["email"])[0]["body"]
    password = body.split("est : ")[1].split("\n")[0]
    login = LoginPage(page, b2b_url).open()
    login.login(asl["identifiant"], asl["password"])
    expect(login.errors).to_contain_text(REFUSED)
    login.login(asl["identifiant"], password)
    expect(PrivateSpacePage(page, b2b_url).welcome).to_contain_text(
        f"{asl['first_name']} {asl['last_name'].upper()}")


def test_plain_user_is_given_the_asl_tiers_contact(page: Page, b2b_url):
    form = AslTiersPage(page, b2b_url).open()
    form.ask(identifiant="V200003", cofor="1002035F", email="lucas.weber@fonderie-est.example.fr")
    expect(form.asl_contact).to_contain_text("Paul SCHMITT — Paul.Schmitt@fonderie-est.example.fr")
