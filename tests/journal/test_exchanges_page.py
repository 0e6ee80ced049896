"""« Historique des échanges » of a declaration, reached from Accueil: the chain hand-off → pages →
Icare NPO/contract → callback attempts with their statuses; escaped; the owner dealer only."""
from __future__ import annotations

import html
import re
import time

import httpx
import pytest

from centralisateur import demo_password
from fixtures import reference
from tests.centralisateur.support import CSRF_RE, api_client, open_form
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


def _rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def _history_once_called_back(browser, url: str, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while True:
        page = browser.get(url).text
        if "tentative 1" in page or time.monotonic() > deadline:
            return page
        time.sleep(0.2)


def _logged_in(stack, dealer: dict) -> httpx.Client:
    browser = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), timeout=20)
    token = CSRF_RE.search(browser.get("/connexion").text).group(1)
    answer = browser.post("/connexion", data={"csrf_token": token, "email": dealer["login"],
                                              "password": demo_password(dealer)})
    assert answer.status_code in (302, 303), answer.text
    return browser


def test_history_shows_the_chain_with_callback_attempts_escaped(journal_stack, factory):
    callback = journal_stack.url("icare") + "/api/spoticar/callback"  # nobody's callback there: refused
    with api_client(journal_stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff(callback_url=callback)).json()
    bdc = receipt["bdc_number"]
    browser, url, values = open_form(journal_stack, receipt["declaration_url"])
    assert "Votre demande a été effectuée avec succès" in browser.post(url, data=values).text
    assert browser.get(url.replace("/formulaire", "/<b>injected</b>")).status_code == 404

    dealer = reference.demo_dealer("953617Z")
    dealer_browser = _logged_in(journal_stack, dealer)
    home = dealer_browser.get("/").text
    link = re.search(rf'href="(/declarations/{bdc}/echanges)"', home)
    assert link, "Accueil links to the history of each declaration"
    page = _history_once_called_back(dealer_browser, link.group(1))
    assert "Historique des échanges — N° " + bdc in html.unescape(page)
    assert "<b>injected</b>" not in page and "&lt;b&gt;injected&lt;/b&gt;" in page
    rows = _rows(page)
    labels = [row[2] for row in rows]
    chain = ["Transmission reçue du DMS", "Ouverture du lien de déclaration envoyé par le DMS",
             "Page : Choix du programme et du garantisseur (1/3)", "Envoi : Formulaire de déclaration (2/3)",
             "Icare — enregistrement de la prestation NPO", "Icare — création du contrat",
             "Notification du DMS (callback), tentative 1"]
    positions = [labels.index(label) for label in chain]
    assert positions == sorted(positions), labels
    handoff, npo, contract, attempt = (rows[labels.index(label)] for label in (chain[0], chain[4], chain[5], chain[6]))
    assert handoff[1] == "Reçu" and handoff[4] == "201 (réussi)"
    assert npo[1] == contract[1] == "Envoyé" and npo[4] == contract[4] == "201 (réussi)"
    assert attempt[3] == f"POST {callback}" and attempt[4] == "404 (refusé)"


def test_history_is_only_for_the_dealer_who_owns_the_declaration(journal_stack, factory):
    with api_client(journal_stack) as api:
        bdc = api.post("/api/v1/handoffs", json=factory.handoff(rrdi="953617Z")).json()["bdc_number"]
    other = next(d for d in reference.demo_dealers() if d["rrdi"] != "953617Z")
    anonymous = httpx.get(journal_stack.url("centralisateur") + f"/declarations/{bdc}/echanges", timeout=20)
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["location"]
    browser = _logged_in(journal_stack, other)
    refused = browser.get(f"/declarations/{bdc}/echanges")
    browser.close()
    assert refused.status_code == 404 and bdc not in refused.text
