"""Public forms that mail someone (Portail B2B, Icare's repairer account request): no one can flood
the assistance mailbox or a contact address from them (a bound per client and hour, then a French 429
keeping what was typed), and no one can keep an ASL Tiers out by asking for their reset password
again and again."""
from __future__ import annotations

import html
import re

import httpx
import pytest

from fixtures import reference
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE

pytestmark = pytest.mark.centralisateur

LIMIT = 10  # common.sessions.PUBLIC_FORM_HOURLY
TOO_MANY = "Ce formulaire a déjà été envoyé 10 fois depuis votre connexion"


def _person(factory) -> dict:
    return {"last_name": factory.fake.last_name(), "first_name": factory.fake.first_name(),
            "email": factory.fake.email(), "phone": "01 23 45 67 89"}


def _contact(factory, company: str, n: int) -> dict:
    person = _person(factory)
    return {"subject": "Identifiant ou mot de passe", "message": f"Demande n° {n}", "company": company, **person}


def _unknown_cofor(factory, company: str, n: int) -> dict:
    return {"company": company, "siret": factory.fake.siret(), "message": f"Demande n° {n}", **_person(factory)}


def _presentation(factory, company: str, n: int) -> dict:
    person = _person(factory)
    return {"cofor": "", "name": company, "siret": factory.fake.siret(), "address": "1 rue de la Paix",
            "postcode": "75002", "city": "Paris", "country": "France",
            "activity": reference.load("portail_b2b")["activities"][0],
            "contact_last_name": person["last_name"], "contact_first_name": person["first_name"],
            "contact_email": person["email"], "contact_phone": person["phone"]}


def _repairer(factory, company: str, n: int) -> dict:
    person = _person(factory)
    return {"company": company, "siret": factory.fake.siret(), "last_name": person["last_name"],
            "first_name": person["first_name"], "email": person["email"], "postcode": "29200", "city": "Brest"}


@pytest.mark.parametrize("app,path,fields", [
    ("portail_b2b", "/aide/contact", _contact),
    ("portail_b2b", "/acces/cofor-inconnu", _unknown_cofor),
    ("portail_b2b", "/presentation", _presentation),
    ("icare", "/reparateur/creer-un-compte", _repairer),  # acknowledged to any address
])
def test_a_public_mailing_form_is_bounded_per_client(stack, factory, app, path, fields, client_address):
    base = stack.url(app)
    address = client_address(f"formulaire-{app}{path}")
    company = f"SOCIETE {factory.fake.unique.last_name().upper()} FLOOD"
    all_mails = lambda: httpx.get(base + "/outbox/mails.json", timeout=20).json()["mails"]
    mails = lambda: sum(company in m["subject"] or company in m["body"] for m in all_mails())
    # each 127.x is a client of its own (loopback): the bound of this one leaves the suites' alone, and
    # each run's (``client_address``) an earlier run's on the same stack
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                      transport=httpx.HTTPTransport(local_address=address)) as browser:
        token = CSRF_RE.search(browser.get(path).text).group(1)
        answers = [browser.post(path, data={"csrf_token": token, **fields(factory, company, n)})
                   for n in range(LIMIT + 1)]
    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    refused = html.unescape(answers[-1].text)
    assert TOO_MANY in refused
    assert re.search(rf'value="{re.escape(company)}"', refused)  # what was typed is kept
    assert mails() == LIMIT  # the 11th sent nothing
    # the test routes forget this client's sendings (what a browser suite, from one address, calls once a run)
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                      transport=httpx.HTTPTransport(local_address=address)) as browser:
        forgotten = browser.delete("/__test__/public-forms", headers=stack.credentials.test_headers())
        assert forgotten.status_code == 200 and forgotten.json()["forgotten"] >= 1, forgotten.text
        token = CSRF_RE.search(browser.get(path).text).group(1)
        assert browser.post(path, data={"csrf_token": token, **fields(factory, company, 50)}).status_code == 200
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                      transport=httpx.HTTPTransport(local_address=client_address(f"autre-{app}{path}"))) as other:
        token = CSRF_RE.search(other.get(path).text).group(1)
        assert other.post(path, data={"csrf_token": token, **fields(factory, company, 99)}).status_code == 200


def test_asking_an_asl_tiers_reset_again_and_again_keeps_the_password(hostile_stack):
    # anyone knowing identifiant, COFOR and address may ask: past a few, the password no longer changes
    # (a stack of its own: the bound is per address and hour)
    base = hostile_stack.url("portail_b2b")
    claire = next(u for s in reference.load("portail_b2b")["suppliers"] for u in s.get("users", [])
                  if u["identifiant"] == "V100001")
    fields = {"identifiant": "V100001", "cofor": "1002034E", "email": claire["email"]}

    def passwords() -> list[str]:
        found = httpx.get(base + "/outbox/mails.json", params={"to": claire["email"]}, timeout=20).json()["mails"]
        return [re.search(r"est : (\S+)", m["body"]).group(1) for m in found
                if "mot de passe de réinitialisation" in m["subject"]]

    before = passwords()
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/asl-tiers").text).group(1)
        answers = [browser.post("/asl-tiers", data={"csrf_token": token, **fields}) for _ in range(7)]
    assert {a.status_code for a in answers} == {200}
    assert len({re.sub(r'(value|content)="[^"]*"', "", a.text) for a in answers}) == 1  # alike (but tokens)
    sent = passwords()
    assert len(sent) - len(before) == 5
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as browser:
        token = CSRF_RE.search(browser.get("/connexion").text).group(1)
        signed_in = browser.post("/connexion", data={"csrf_token": token, "identifiant": "V100001",
                                                     "password": sent[0]})  # newest first: the last one sent
    assert signed_in.status_code in (302, 303)
