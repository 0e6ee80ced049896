"""Aide & Contact: site map and guides, contact form with an optional screenshot to the outbox."""
from __future__ import annotations

import io

import pytest

from tests.portail_b2b.helpers import text

pytestmark = pytest.mark.portail_b2b

ASSISTANCE = "assistance.portail-b2b@stellantis.example"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def _contact(person, **overrides):
    data = {"subject": "Accès bloqué", "message": "Je suis bloqué <b>depuis hier</b>",
            "last_name": person["last_name"], "first_name": person["first_name"], "company": person["company"],
            "email": person["email"], "phone": person["phone"], "identifiant": "V100002", "cofor": "1002034E"}
    data.update(overrides)
    return data


def test_help_page_has_site_map_and_guides(client):
    page = text(client.get("/aide"))
    for label in ("Plan du site", "Documents et guides", "Obtenir de l'aide", "En savoir plus",
                  "Inscrire votre société au portail B2B"):
        assert label in page
    assert "« Commencer l'analyse »" in text(client.get("/aide/guides/inscription-portail"))
    assert client.get("/aide/guides/inconnu").status_code == 404


def test_contact_with_screenshot_mails_the_assistance(client, mails, person):
    data = _contact(person, screenshot=(io.BytesIO(PNG), "écran bloqué.png"))
    response = client.post("/aide/contact", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "référence : B2B-" in text(response)
    mail = mails(ASSISTANCE)[0]
    assert mail.subject == "[Aide & Contact] Accès bloqué"
    assert person["email"] in mail.body and "COFOR : 1002034E" in mail.body
    assert [(a.filename, a.content_type, a.data) for a in mail.attachments] == [("ecran_bloque.png", "image/png", PNG)]
    outbox = client.get("/outbox").get_data(as_text=True)
    assert "&lt;b&gt;depuis hier&lt;/b&gt;" in outbox and "<b>depuis" not in outbox


def test_contact_without_screenshot_is_accepted(client, mails, person):
    response = client.post("/aide/contact", data=_contact(person, identifiant="", cofor=""))
    assert response.status_code == 200 and mails(ASSISTANCE)[0].attachments == []


def test_oversized_screenshot_is_refused(client, mails, person):
    big = PNG + b"\x00" * (2 * 1024 * 1024)
    response = client.post("/aide/contact", data=_contact(person, screenshot=(io.BytesIO(big), "grand.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "dépasse la taille maximale de 2 Mo" in text(response)
    assert person["company"] in text(response) and mails() == []


def test_non_image_screenshot_is_refused(client, mails, person):
    response = client.post("/aide/contact", data=_contact(
        person, screenshot=(io.BytesIO(b"%PDF-1.4 not an image"), "capture.png")),
        content_type="multipart/form-data")
    assert response.status_code == 415
    assert "doit être une image PNG, JPEG ou GIF" in text(response) and mails() == []


def test_contact_errors_are_listed_and_values_kept(client, mails, person):
    response = client.post("/aide/contact", data=_contact(person, subject="", message="", identifiant="X12"))
    page = text(response)
    assert response.status_code == 422
    for message in ("« Objet de votre demande » est obligatoire", "« Votre demande » est obligatoire",
                    "commence par V suivi de 6 chiffres"):
        assert message in page
    assert person["last_name"] in page and mails() == []


def test_a_screenshot_far_over_the_limit_keeps_what_was_typed(client, mails, person):
    """A 12 MB screenshot (a 4K screen's PNG): the field's message and the form as typed — its contact
    details come after the file in the body — not the server's 413 page losing the message."""
    huge = PNG + b"\x00" * (12 * 1024 * 1024)
    typed = _contact(person, message="Écran figé après la validation du COFOR, voir la capture.")
    response = client.post("/aide/contact", data={**typed, "screenshot": (io.BytesIO(huge), "4k.png")},
                           content_type="multipart/form-data")
    page = text(response)
    assert response.status_code == 413 and "dépasse la taille maximale de 2 Mo" in page
    for value in (typed["message"], person["last_name"], person["email"], "1002034E"):
        assert value in page, value
    assert mails() == []


def test_request_larger_than_the_server_limit_gets_a_french_413(client, person):
    huge = b"\x00" * (33 * 1024 * 1024)
    response = client.post("/aide/contact", data=_contact(person, screenshot=(io.BytesIO(huge), "x.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "trop volumineux" in text(response)
    # the larger limit is the contact form's alone: a 9 MB file sent to the login form is over its 8 MB
    login = client.post("/connexion", data={"identifiant": "V100002", "password": "x",
                                            "piece": (io.BytesIO(b"\x00" * (9 * 1024 * 1024)), "x.bin")},
                        content_type="multipart/form-data")
    assert login.status_code == 413 and "trop volumineux" in text(login)


def test_outbox_page_exists_only_in_demo_or_test_mode(tmp_path):
    from simulators.portail_b2b import create_app
    real = create_app({"DATA_DIR": str(tmp_path / "real"), "DEMO_MODE": False})
    assert real.test_client().get("/outbox").status_code == 404
    tested = create_app({"DATA_DIR": str(tmp_path / "test"), "DEMO_MODE": False, "TEST_ROUTES": True,
                         "TEST_ROUTES_KEY": "cle-de-test"})
    # outside demo mode its mails (password reset links) answer the test routes' key only
    assert tested.test_client().get("/outbox/mails.json").status_code == 401
    assert tested.test_client().get("/outbox/mails.json", headers={"X-Spoticar-Test-Key": "cle-de-test"}
                                    ).get_json() == {"mails": []}
    for app in (real, tested):
        app.extensions["harness_stop"]()


def test_files_before_the_screenshot_cannot_make_the_server_keep_more(client, mails, person):
    """Each file keeps its first bytes only, and a request keeps twice the screenshot's limit at most:
    decoy files sent first leave the screenshot nothing — refused as no image, nothing mailed."""
    decoys = [(io.BytesIO(PNG + b"\x00" * (3 * 1024 * 1024)), f"leurre{n}.png") for n in range(4)]
    response = client.post("/aide/contact", data={**_contact(person), "leurre": decoys,
                                                  "screenshot": (io.BytesIO(PNG), "vraie.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 415 and "doit être une image PNG, JPEG ou GIF" in text(response)
    assert mails() == []
