"""Browser suite, steps 1 and 2: presentation, COFOR analysis with the grey timeline, unknown COFOR."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.portail_b2b import AccessPage, HomePage, PresentationPage, UnknownCoforPage
from e2e.portail_b2b.conftest import ASSISTANCE

pytestmark = pytest.mark.portail_b2b


def test_home_shows_the_three_steps(page: Page, b2b_url):
    home = HomePage(page, b2b_url).open()
    expect(home.heading).to_be_visible()
    home.get_access.click()
    expect(page.get_by_role("heading", name="2. Obtenir un accès au portail B2B")).to_be_visible()
    expect(AccessPage(page, b2b_url).timeline).to_have_count(4)


def test_analysis_requires_a_cofor(page: Page, b2b_url):
    access = AccessPage(page, b2b_url).open()
    access.code_site.fill("01")
    with page.expect_response(re.compile(r"/acces\?")) as response:
        access.start.click()
    assert response.value.status == 422
    expect(access.errors).to_contain_text("L'information COFOR est obligatoire.")
    expect(access.cofor).to_have_attribute("aria-invalid", "true")
    expect(access.code_site).to_have_value("01")


def test_analysis_refuses_an_unknown_cofor(page: Page, b2b_url):
    access = AccessPage(page, b2b_url).open()
    with page.expect_response(re.compile(r"/acces\?")) as response:
        access.analyse("9999999Z")
    assert response.value.status == 404
    expect(access.errors).to_contain_text("Le COFOR 9999999Z est inconnu de la base fournisseur")
    expect(access.cofor).to_have_value("9999999Z")
    expect(access.results).to_have_count(0)


@pytest.mark.parametrize("cofor, done, answer", [
    ("1002032C", 2, "en cours de traitement par Stellantis"),
    ("1002033D", 3, "Votre ASL Tiers crée les identifiants personnels"),
    ("1002034E", 4, "Votre société a accès au portail B2B"),
])
def test_analysis_answer_follows_the_steps_done(page: Page, b2b_url, cofor, done, answer):
    access = AccessPage(page, b2b_url).open()
    access.analyse(cofor, "01")
    expect(access.answer).to_contain_text(answer)
    statuses = ["done"] * done + (["current"] if done < 4 else []) + ["todo"] * (3 - done)
    for item, status in zip(access.timeline.all(), statuses, strict=True):
        expect(item).to_have_attribute("data-status", status)
    expect(access.send_request).to_have_count(0)


def test_unpresented_company_is_sent_to_step_one_then_offered_the_access_request(
        page: Page, b2b_url, person, outbox, supplier):
    cofor = supplier("not_presented")["cofor"]  # like the demo 1002030A
    access = AccessPage(page, b2b_url).open()
    access.analyse(cofor)
    expect(access.current_step).to_contain_text("Présentation de la société")
    access.present_company.click()
    presentation = PresentationPage(page, b2b_url)
    expect(presentation.cofor).to_have_value(cofor)
    presentation.present({**person, "name": person["company"], "activity": "Pièces de rechange"}, person)
    expect(presentation.messages).to_contain_text(f"référence : COFOR {cofor}")
    assert outbox.mails(person["email"])[0]["subject"] == "Présentation de votre société dans la base fournisseur"
    access.open().analyse(cofor)
    expect(access.current_step).to_contain_text("Demande d'accès au portail B2B")
    expect(access.send_request).to_be_visible()


def test_access_request_moves_the_company_to_the_next_step(page: Page, b2b_url, person, outbox, supplier):
    cofor = supplier("presented", sites=("01", "02"))["cofor"]  # like the demo 1002031B
    access = AccessPage(page, b2b_url).open()
    access.analyse(cofor, "02")
    expect(access.answer).to_contain_text("Demandez l'ouverture de son accès")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        access.request_access(person, accept_terms=False)
    assert response.value.status == 422
    expect(access.errors).to_contain_text("Vous devez accepter les conditions d'utilisation du portail B2B.")
    expect(access.request_email).to_have_value(person["email"])
    assert outbox.mails(person["email"]) == []
    access.terms.check()
    access.send_request.click()
    expect(access.messages).to_contain_text("Votre demande d'accès au portail B2B a bien été envoyée")
    expect(access.current_step).to_contain_text("Ouverture de l'accès")
    mail = outbox.mails(person["email"])[0]
    assert f"COFOR : {cofor}" in mail["body"] and "Code site : 02" in mail["body"]


def test_presentation_refuses_bad_input_and_keeps_values(page: Page, b2b_url, person, outbox):
    presentation = PresentationPage(page, b2b_url).open()
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        presentation.present({**person, "name": "<b>Société</b>", "siret": "123"},
                             {**person, "email": "pas-une-adresse"})
    assert response.value.status == 422
    expect(presentation.errors).to_contain_text("Le SIRET comporte 14 chiffres.")
    expect(presentation.errors).to_contain_text("Le champ « Domaine d'activité » est obligatoire.")
    expect(presentation.contact_email).to_have_accessible_description(re.compile("adresse mail valide"))
    expect(presentation.name).to_have_value("<b>Société</b>")
    assert outbox.mails(person["email"]) == []
    presentation.siret.fill(person["siret"])
    presentation.activity.select_option(label="Prestations de service")
    presentation.contact_email.fill(person["email"])
    presentation.send.click()
    expect(presentation.messages).to_contain_text(re.compile(r"référence : PRES-\d{6}"))
    assert "<b>Société</b>" in outbox.mails(person["email"])[0]["body"]


def test_unknown_cofor_button_opens_the_assistance_form(page: Page, b2b_url, person, outbox):
    access = AccessPage(page, b2b_url).open()
    access.unknown_cofor.click()
    form = UnknownCoforPage(page, b2b_url)
    form.email.fill("x")
    form.send.click()
    expect(form.errors).to_contain_text("Le champ « Raison sociale » est obligatoire.")
    form.ask_for_cofor(person, "Nous livrons le site de Sochaux.")
    expect(form.messages).to_contain_text("Votre demande a été envoyée à l'assistance du Portail B2B")
    [mail] = outbox.mails_mentioning(person["email"], ASSISTANCE)
    assert person["siret"] in mail["body"] and "Sochaux" in mail["body"]
