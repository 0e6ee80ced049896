"""Driving our Bee2link simulator through its screens, as its user does: the site chosen in the
header; VO → « Saisie d'une vente VO » (vehicle, customer, order); the vehicle's delivery page →
Services externes → « Déclaration SPOTICAR »; « Modifier la vente » for a correction; the order page
read back."""
from __future__ import annotations

import re

import httpx

from certification.drivers import sale_entry
from certification.drivers.browser import Browser

CONTRACT_RE = re.compile(r'data-testid="contract-number">(\d+)<')
ORDER_RE = re.compile(r"Commande n°(\d+)")


class Bee2linkDriver:
    """``DmsDriver`` for ``simulators.bee2link``, working on site ``rrdi``."""

    def __init__(self, url: str, rrdi: str):
        self.ui = Browser(url)   # the dealer's browser (its cookies)
        self.ui.submit(self.ui.get("/vo"), {"rrdi": rrdi}, action="/site")
        self.orders: dict[str, str] = {}

    def enter_sale(self, sale: dict) -> str:
        answer = self.ui.submit(self.ui.get("/vo/ventes/nouvelle"), sale_entry.typed(sale), button="Enregistrer la vente")
        if answer.status_code != 303:
            raise ValueError(f"Bee2link refuse la vente (HTTP {answer.status_code})")
        handle = answer.headers["Location"].split("/vo/vehicules/")[1].split("/")[0]
        self.orders[handle] = ORDER_RE.search(self.ui.get(f"/vo/vehicules/{handle}").text).group(1)
        return handle

    def correct(self, handle: str, changes: dict) -> None:
        answer = self.ui.submit(self.ui.get(f"/vo/vehicules/{handle}/vente"), sale_entry.corrected(changes),
                                button="Enregistrer la vente")
        if answer.status_code != 303:
            raise ValueError(f"Bee2link refuse la correction (HTTP {answer.status_code})")

    def declare(self, handle: str) -> str | None:
        answer = self.ui.submit(self.ui.get(f"/vo/vehicules/{handle}/services-externes"),
                                action="/declaration-spoticar")
        if answer.status_code != 303:
            return None
        url = answer.headers["Location"]
        httpx.get(url, timeout=30, follow_redirects=True)   # the new window opens the declaration
        return url

    def contract_number(self, handle: str) -> str | None:
        found = CONTRACT_RE.search(self.ui.get(f"/vo/commandes/{self.orders[handle]}").text)
        return found.group(1) if found else None

    def close(self) -> None:
        self.ui.close()
