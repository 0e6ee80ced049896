"""Steps 1 and 2: presentation in the supplier base, access analysis by COFOR, unknown-COFOR form."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from simulators.portail_b2b.store import AccessRequest, Presentation, Supplier
from tests.portail_b2b.helpers import text

pytestmark = pytest.mark.portail_b2b


def _count(app, model) -> int:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(func.count()).select_from(model))


def _supplier(app, cofor):
    with app.app_context():
        return app.extensions["db"].session.get(Supplier, cofor)


@pytest.mark.parametrize("cofor, statuses, answer", [
    ("1002030A", ["current", "todo", "todo", "todo"], "pas encore présentée dans la base fournisseur"),
    ("1002031B", ["done", "current", "todo", "todo"], "Demandez l'ouverture de son accès"),
    ("1002032C", ["done", "done", "current", "todo"], "en cours de traitement par Stellantis"),
    ("1002033D", ["done", "done", "done", "current"], "Votre ASL Tiers crée les identifiants"),
    ("1002034E", ["done", "done", "done", "done"], "Votre société a accès au portail B2B (4 identifiant"),
])
def test_analysis_answer_depends_on_steps_done(client, cofor, statuses, answer):
    page = text(client.get(f"/acces?cofor={cofor.lower()}&code_site="))
    assert [s for s in statuses] == [line.split('data-status="')[1].split('"')[0]
                                     for line in page.split("<li class=")[1:5]]
    assert answer in page


def test_analysis_requires_cofor(client):
    response = client.get("/acces?cofor=&code_site=01")
    assert response.status_code == 422
    assert "L'information COFOR est obligatoire." in text(response)


def test_analysis_refuses_unknown_cofor_and_unknown_site(client):
    unknown = client.get("/acces?cofor=9999999Z")
    assert unknown.status_code == 404 and "9999999Z est inconnu" in text(unknown)
    bad_site = client.get("/acces?cofor=1002031B&code_site=77")
    assert bad_site.status_code == 404 and "code site 77 n'existe pas" in text(bad_site)
    assert client.get("/acces?cofor=1002031B&code_site=02").status_code == 200


def test_analysis_escapes_html_in_cofor(client):
    page = client.get("/acces?cofor=<script>alert(1)</script>")
    assert page.status_code == 422
    raw = page.get_data(as_text=True)
    assert "<SCRIPT>" not in raw and "&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;" in raw


def _access_form(person, **overrides):
    """« Demande d'accès » filled for ``person`` (COFOR 1002031B, presented), ``overrides`` on top."""
    return {"cofor": "1002031B", "code_site": "01", "function": "Responsable commercial", "terms": "oui",
            **{name: person[name] for name in ("last_name", "first_name", "email", "phone")}, **overrides}


def test_access_request_moves_company_to_next_step_and_mails(app, client, mails, person):
    response = client.post("/acces/demande", data=_access_form(person))
    assert response.status_code == 200
    assert "a bien été envoyée" in text(response)
    assert _supplier(app, "1002031B").state == "access_requested"
    assert _count(app, AccessRequest) == 1
    assert mails(person["email"])[0].subject == "Demande d'accès au portail B2B"
    assert "en cours de traitement" in text(client.get("/acces?cofor=1002031B"))


def test_access_request_with_missing_fields_stores_nothing(app, client, mails, person):
    response = client.post("/acces/demande", data=_access_form(person, phone="", terms="",
                                                               first_name="<b>Zoé</b>"))
    page = text(response)
    assert response.status_code == 422
    assert "Le champ « Téléphone » est obligatoire." in page
    assert "Vous devez accepter les conditions" in page
    assert "&lt;b&gt;Zoé&lt;/b&gt;" in response.get_data(as_text=True) and person["last_name"] in page
    assert _supplier(app, "1002031B").state == "presented"
    assert _count(app, AccessRequest) == 0 and mails() == []


def test_access_request_refused_at_the_wrong_step(app, client, person):
    response = client.post("/acces/demande", data=_access_form(person, cofor="1002034E"))
    assert response.status_code == 409
    assert _count(app, AccessRequest) == 0


def _presentation_form(person, **overrides):
    """« Présentez votre société » filled for ``person``'s company (no COFOR), ``overrides`` on top."""
    contact = {f"contact_{name}": person[name] for name in ("last_name", "first_name", "email")}
    return {"cofor": "", "name": person["company"], "siret": person["siret"], "address": "1 rue de la Paix",
            "postcode": "75002", "city": "Paris", "country": "France", "activity": "Pièces de rechange",
            "contact_phone": "", **contact, **overrides}


def test_presentation_without_cofor_gets_a_reference(app, client, mails, person):
    response = client.post("/presentation", data=_presentation_form(person))
    assert response.status_code == 200
    assert "référence : PRES-000001" in text(response)
    assert _count(app, Presentation) == 1
    assert "PRES-000001" in mails(person["email"])[0].body
    again = client.post("/presentation", data=_presentation_form(person))
    assert again.status_code == 409 and _count(app, Presentation) == 1


def test_presentation_with_cofor_completes_step_one(app, client, person):
    response = client.post("/presentation", data=_presentation_form(person, cofor="1002030A"))
    assert response.status_code == 200
    supplier = _supplier(app, "1002030A")
    assert supplier.state == "presented" and supplier.name == person["company"]
    assert client.post("/presentation", data=_presentation_form(person, cofor="1002034E")).status_code == 409


def test_presentation_errors_are_listed_and_values_kept(app, client, mails, person):
    response = client.post("/presentation", data=_presentation_form(
        person, siret="123", activity="Inventée", contact_email="pas-une-adresse", cofor="ZZ9999999"))
    page = text(response)
    assert response.status_code == 422
    for message in ("Le SIRET comporte 14 chiffres.", "Choisissez une valeur de la liste",
                    "doit être une adresse mail valide", "ZZ9999999 est inconnu"):
        assert message in page
    assert 'value="pas-une-adresse"' in page and 'aria-invalid="true"' in page
    assert _count(app, Presentation) == 0 and mails() == []


def test_unknown_cofor_form_mails_the_assistance(client, mails, person):
    data = {k: person[k] for k in ("company", "siret", "last_name", "first_name", "email", "phone")}
    response = client.post("/acces/cofor-inconnu", data={**data, "message": "Nous livrons <Rennes>"})
    assert response.status_code == 200
    mail = mails("assistance.portail-b2b@stellantis.example")[0]
    assert person["siret"] in mail.body and "Nous livrons <Rennes>" in mail.body
    refused = client.post("/acces/cofor-inconnu", data={**data, "email": ""})
    assert refused.status_code == 422 and len(mails()) == 1
