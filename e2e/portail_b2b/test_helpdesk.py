"""Browser suite, Aide & Contact: site map and guides, contact form with a screenshot to the outbox."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.outbox import OutboxPage
from e2e.pages.portail_b2b import ContactPage, HelpPage, HomePage
from e2e.portail_b2b.conftest import ASSISTANCE, png_bytes

pytestmark = pytest.mark.portail_b2b

SUBJECT = "Identifiant ou mot de passe"


def test_help_has_site_map_guides_and_ways_to_contact(page: Page, b2b_url):
    HomePage(page, b2b_url).open().go_to_help()
    help_page = HelpPage(page, b2b_url)
    expect(help_page.site_map.get_by_role("link")).to_have_count(9)
    expect(help_page.guides).to_have_count(3)
    help_page.open_guide("Se connecter à votre espace privé")
    expect(page.get_by_text("Vous devez avoir un identifiant PSA pour le Portail B2B (commence par V).")).to_be_visible()
    help_page.open()
    help_page.learn_more_link.click()
    expect(page.get_by_role("heading", name="LE PORTAIL B2B STELLANTIS")).to_be_visible()
    help_page.open().get_help()
    expect(ContactPage(page, b2b_url).subject).to_be_visible()


def test_contact_mail_reaches_the_outbox_with_its_screenshot(page: Page, b2b_url, person, outbox):
    image = png_bytes()
    contact = ContactPage(page, b2b_url).open()
    contact.write(SUBJECT, "Je n'arrive plus à me connecter <script>alert(1)</script>", person,
                  identifiant="V100002", cofor="1002034E",
                  screenshot={"name": "capture.png", "mimeType": "image/png", "buffer": image})
    contact.send_request()
    expect(contact.messages).to_contain_text("Votre demande a été envoyée à l'assistance du Portail B2B")
    [mail] = outbox.mails_mentioning(person["email"], ASSISTANCE)
    assert mail["subject"] == f"[Aide & Contact] {SUBJECT}"
    assert "Identifiant : V100002" in mail["body"] and "COFOR : 1002034E" in mail["body"]
    box = OutboxPage(page, b2b_url).open()
    shown = box.mails.filter(has_text=person["email"])
    expect(shown).to_contain_text("<script>alert(1)</script>")  # shown as text, not run
    with page.expect_download() as download:
        box.attachment(shown, "capture.png").click()
    assert download.value.suggested_filename == "capture.png"
    assert open(download.value.path(), "rb").read() == image


def test_too_large_screenshot_is_refused(page: Page, b2b_url, person, outbox):
    contact = ContactPage(page, b2b_url).open()
    big = png_bytes() + b"\x00" * (2 * 1024 * 1024)
    contact.write(SUBJECT, "Capture trop lourde", person,
                  screenshot={"name": "grande.png", "mimeType": "image/png", "buffer": big})
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        contact.send_request()
    assert response.value.status == 413
    expect(contact.screenshot).to_have_accessible_description(re.compile("dépasse la taille maximale de 2 Mo"))
    expect(contact.message).to_have_value("Capture trop lourde")
    expect(contact.email).to_have_value(person["email"])
    assert outbox.mails_mentioning(person["email"]) == []


def test_screenshot_that_is_not_an_image_is_refused(page: Page, b2b_url, person, outbox):
    contact = ContactPage(page, b2b_url).open()
    contact.write(SUBJECT, "Voici le document", person,
                  screenshot={"name": "capture.png", "mimeType": "image/png", "buffer": b"%PDF-1.7 faux"})
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        contact.send_request()
    assert response.value.status == 415
    expect(contact.errors).to_contain_text("La copie d'écran doit être une image PNG, JPEG ou GIF.")
    expect(contact.subject).to_have_value(SUBJECT)
    assert outbox.mails_mentioning(person["email"]) == []


def test_contact_requires_subject_and_text(page: Page, b2b_url, person, outbox):
    contact = ContactPage(page, b2b_url).open()
    contact.last_name.fill(person["last_name"])
    contact.email.fill(person["email"])
    contact.cofor.fill("1002034E")
    contact.send_request()
    expect(contact.errors).to_contain_text("Le champ « Objet de votre demande » est obligatoire.")
    expect(contact.errors).to_contain_text("Le champ « Votre demande » est obligatoire.")
    expect(contact.message).to_have_attribute("aria-invalid", "true")
    expect(contact.last_name).to_have_value(person["last_name"])
    expect(contact.email).to_have_value(person["email"])
    # nothing sent: no mail holds this person's address (their last name, a common one, an earlier
    # test's mail on a stack kept from run to run may well hold)
    assert outbox.mails_mentioning(person["email"]) == []
