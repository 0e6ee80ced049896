"""The Garantie tab follows the declaration it handed off (the shared declaration_follow.js): when the
server has no event stream to spare it answers "busy", and the tab polls its JSON state instead —
the contract number still shows without reloading."""
from __future__ import annotations

import contextlib
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from e2e.pages.centralisateur import ConfirmationPage
from e2e.pages.tec3h_warranty import WarrantyFormPage, WarrantyTabPage
from e2e.tec3h.conftest import complete_declaration, sell_vehicle
from simulators.dms.events import MAX_STREAMS
from spoticar_handoff.client import tls_context

pytestmark = pytest.mark.tec3h


def _send_warranty(page: Page, tec3h_url: str, vehicle_id: int) -> Page:
    """Garantie → Nouvelle garantie Spoticar → Envoyer; the centralisateur's window it opens."""
    page.goto(f"{tec3h_url}/vehicules/{vehicle_id}/garantie")
    WarrantyTabPage(page).new_spoticar_warranty()
    form = WarrantyFormPage(page)
    form.select("Niveau de garantie", "Spoticar-Premium 12 Mois")
    return form.send_and_open_declaration()


@contextlib.contextmanager
def _streams_held(url: str, count: int):
    """``count`` event streams of ``url`` kept open (each has sent its first line: its slot is taken)."""
    with httpx.Client(verify=tls_context(), timeout=30) as http, contextlib.ExitStack() as held:
        for _ in range(count):
            response = held.enter_context(http.stream("GET", url))
            first = next(response.iter_lines())
            assert first.startswith("retry:"), f"flux refusé : {first}"
        yield


def test_a_busy_server_leaves_the_tab_polling_until_the_contract_number(page: Page, stack, tec3h_url, factory):
    waiting = sell_vehicle(stack, factory)  # a declaration left pending: its streams fill the server's slots
    other_window = page.context.new_page()
    other_window.add_init_script("delete window.EventSource")  # this window holds no stream
    _send_warranty(other_window, tec3h_url, waiting["vehicle_id"]).close()
    expect(WarrantyTabPage(other_window).status).to_have_text(
        "Transmise : déclaration à finaliser sur le centralisateur")
    other_window.close()

    sale = sell_vehicle(stack, factory)
    with _streams_held(f"{tec3h_url}/flux/vehicules/{waiting['vehicle_id']}/garantie", MAX_STREAMS):
        centralisateur = _send_warranty(page, tec3h_url, sale["vehicle_id"])
        tab = WarrantyTabPage(page)
        expect(tab.status).to_have_text("Transmise : déclaration à finaliser sur le centralisateur")
        expect(page.locator("#warranty-state")).to_have_attribute("data-following", "poll")
        complete_declaration(centralisateur).declare()
        confirmation = ConfirmationPage(centralisateur)
        expect(confirmation.contract).to_contain_text("La création a bien été effectuée")
        contract = re.search(r"[0-9]{11}", confirmation.contract.inner_text()).group(0)
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url))
        expect(tab.contract_number).to_have_text(contract, timeout=30_000)
        expect(tab.status).to_have_text(re.compile("^Déclarée"))
        assert navigations == []  # polled, not reloaded
