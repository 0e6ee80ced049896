"""Driving our PVO2 simulator as its user does: the site's Code RRDI and the sale entered through its
test routes, Livraisons → the order → Déclaration de garantie « Déclaration de garantie Spoticar » →
Déclarer, the order page read back."""
from __future__ import annotations

import re

import httpx

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CONTRACT_RE = re.compile(r'data-testid="contract-number">Numéro de contrat : (\d+)')


class Pvo2Driver:
    """``DmsDriver`` for ``simulators.pvo2`` (test routes on), its site set to ``rrdi``."""

    unsupported = {"label-alfa-romeo-certified": "PVO2 ne déclare que les labels Spoticar et DS Certified "
                                                 "(le bon de commande est refusé sans l'un d'eux)."}

    def __init__(self, url: str, rrdi: str):
        self.ui = httpx.Client(base_url=url.rstrip("/"), timeout=30)
        self.ui.post("/__test__/certification/site", json={"rrdi": rrdi}).raise_for_status()

    def enter_sale(self, sale: dict) -> str:
        answer = self.ui.post("/__test__/certification/sales", json=sale)
        answer.raise_for_status()
        return str(answer.json()["number"])

    def correct(self, handle: str, changes: dict) -> None:
        self.ui.post(f"/__test__/certification/sales/{handle}", json=changes).raise_for_status()

    def declare(self, handle: str) -> str | None:
        page = self.ui.get(f"/livraisons/{handle}")
        answer = self.ui.post(f"/livraisons/{handle}/declarer", data={
            "csrf_token": CSRF_RE.search(page.text).group(1), "garantisseur": "spoticar"})
        if answer.status_code != 303:
            return None
        url = answer.headers["Location"]
        httpx.get(url, timeout=30, follow_redirects=True)   # the centralisateur opens in a new window
        return url

    def contract_number(self, handle: str) -> str | None:
        found = CONTRACT_RE.search(self.ui.get(f"/livraisons/{handle}").text)
        return found.group(1) if found else None

    def close(self) -> None:
        self.ui.close()
