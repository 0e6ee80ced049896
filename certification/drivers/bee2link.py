"""Driving our Bee2link simulator as its user does: the sale entered through its test route, then the
delivery page's Services externes → « Déclaration SPOTICAR » button, and the order page read back."""
from __future__ import annotations

import re

import httpx

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CONTRACT_RE = re.compile(r'data-testid="contract-number">(\d+)<')


class Bee2linkDriver:
    """``DmsDriver`` for ``simulators.bee2link`` (test routes on), working on site ``rrdi``."""

    def __init__(self, url: str, rrdi: str):
        self.url = url.rstrip("/")
        self.ui = httpx.Client(base_url=self.url, timeout=30)   # the dealer's browser (its cookies)
        page = self.ui.get("/vo")
        self.ui.post("/site", data={"csrf_token": CSRF_RE.search(page.text).group(1), "rrdi": rrdi})
        self.orders: dict[str, int] = {}

    def enter_sale(self, sale: dict) -> str:
        answer = self.ui.post("/__test__/certification/sales", json=sale)
        answer.raise_for_status()
        self.orders[str(answer.json()["vehicle_id"])] = answer.json()["order_number"]
        return str(answer.json()["vehicle_id"])

    def correct(self, handle: str, changes: dict) -> None:
        self.ui.post(f"/__test__/certification/sales/{handle}", json=changes).raise_for_status()

    def declare(self, handle: str) -> str | None:
        page = self.ui.get(f"/vo/vehicules/{handle}/services-externes")
        answer = self.ui.post(f"/vo/vehicules/{handle}/declaration-spoticar",
                              data={"csrf_token": CSRF_RE.search(page.text).group(1)})
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
