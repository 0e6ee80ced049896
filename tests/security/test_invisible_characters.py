"""Characters no one types, in any text a user or a DMS sends: a control character (an escape, a bell,
DEL, a tab or a line break in a one-line input) or a bidirectional override that makes a name read
otherwise than it is stored is refused in French, naming the field, and nothing is saved — in every
form of the one form layer and in the hand-off API; a required field holding only invisible characters
(a zero-width space) is empty."""
from __future__ import annotations

import html

import httpx
import pytest

from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE, api_client, refused_on_form

pytestmark = pytest.mark.centralisateur

HOSTILE = ["Dupont\x1b[31m", "Du\x07pont", "Dupont\x7f", "Du\x85pont", "\u202eDupont", "Du\u2066pont\u2069",
           "Du\tpont", "Du\npont"]
CONTROL_FORM = ("Le champ nom contient un caractère invisible ou de contrôle (tabulation, échappement, "
                "inversion du sens d'écriture…) : retirez-le")
CONTROL_API = ("Contient un caractère invisible ou de contrôle (tabulation, saut de ligne, échappement, "
               "inversion du sens d'écriture…) : aucun nom ni texte n'en a.")


@pytest.mark.parametrize("value", HOSTILE)
def test_form_2_3_refuses_a_control_character_and_keeps_what_was_typed(stack, factory, value):
    page, values = refused_on_form(stack, factory.handoff(), last_name=value)
    assert CONTROL_FORM in page
    assert f'value="{values["first_name"]}"' in page and f'value="{values["city"]}"' in page


@pytest.mark.parametrize("value", ["\u200b", "\ufeff", " \u200b\u2060 ", "\u200e"])
def test_form_2_3_takes_invisible_characters_alone_as_an_empty_required_field(stack, factory, value):
    page, _ = refused_on_form(stack, factory.handoff(), last_name=value)
    assert "Le champ nom est obligatoire" in page


@pytest.mark.parametrize("value", HOSTILE)
def test_tec3h_customer_form_refuses_a_control_character(stack, factory, value):
    person = {**factory.customer(), "first_name": f"Invisible{factory.rng.randint(10**6, 10**7)}"}
    with httpx.Client(verify=tls_context(), base_url=stack.url("tec3h"), timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/clients/nouveau").text).group(1)
        refused = browser.post("/clients/nouveau", data={
            "csrf_token": token, "type_client": "particulier", "civilite": person["civility"],
            "nom_naissance": value, "prenoms": person["first_name"], "adresse": person["address"],
            "code_postal": person["postcode"], "ville": person["city"]})
        assert refused.status_code == 422, refused.text[:300]
        page = html.unescape(refused.text)
        assert "contient un caractère invisible ou de contrôle" in page
        assert f'value="{person["address"]}"' in page
        listed = browser.get("/clients", params={"q": person["first_name"]}).text
        assert listed.count(person["first_name"]) == 1  # in the search box only: no such customer


@pytest.mark.parametrize("field", ["last_name", "city", "address"])
@pytest.mark.parametrize("value", HOSTILE)
def test_handoff_api_refuses_a_control_character_in_a_text(stack, factory, field, value):
    handoff = factory.handoff()
    handoff["customer"][field] = value
    with api_client(stack) as api:
        refused = api.post("/api/v1/handoffs", json=handoff)
        assert refused.status_code == 422, refused.text[:300]
        assert {"field": f"customer.{field}", "message": CONTROL_API} in refused.json()["errors"]
        again = api.post("/api/v1/handoffs", json={**handoff, "customer": {**handoff["customer"], field: "Dupont"}})
        assert again.status_code == 201  # nothing was stored by the refused one


def test_handoff_api_takes_invisible_characters_alone_as_a_missing_name(stack, factory):
    handoff = factory.handoff()
    handoff["customer"]["last_name"] = "\u200b\ufeff"
    with api_client(stack) as api:
        refused = api.post("/api/v1/handoffs", json=handoff)
    assert refused.status_code == 422
    assert {"field": "customer.last_name",
            "message": "Champ obligatoire : il ne peut pas être vide ni null."} in refused.json()["errors"]


def test_handoff_api_still_trims_a_line_break_around_a_name(stack, factory):
    handoff = factory.handoff()
    handoff["customer"]["last_name"] = "\tDupont\r\n"
    with api_client(stack) as api:
        created = api.post("/api/v1/handoffs", json=handoff)
    assert created.status_code == 201, created.text[:300]


@pytest.mark.parametrize("path", [("customer", "last_name"), ("customer", "first_name"), ("vehicle", "version")])
@pytest.mark.parametrize("value", ["Du\x1bpont", "\u202eDupont", "Du\npont"])
def test_icare_contract_api_refuses_a_control_character_in_a_text(stack, factory, path, value):
    from tests.test_icare_contract_api import _contract_body
    body = _contract_body(factory, f"SP953617Z{factory.rng.randint(900_000_000, 999_999_999)}")
    body[path[0]][path[1]] = value
    with httpx.Client(base_url=stack.url("icare"), headers=stack.credentials.icare_headers(), timeout=20) as icare:
        refused = icare.post("/api/v1/contracts", json=body)
        assert refused.status_code == 422, refused.text[:300]
        assert {"field": ".".join(path), "message": CONTROL_API} in refused.json()["errors"]
        assert icare.get("/api/v1/contracts", params={"plate": body["plate"]}).json()["contracts"] == []
