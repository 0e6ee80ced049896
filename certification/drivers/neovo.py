"""Driving our NeoVO simulator through its screens, as its user does (in Chrome): the site chosen in
the header; MENU → « Nouveau dossier de vente » (vehicle, customer, sale, invoice); the dossier's
« Garantir »; « Modifier la vente » for a correction; the dossier page read back."""
from __future__ import annotations

import re

import httpx

from certification.drivers import sale_entry
from certification.drivers.browser import Browser

CONTRACT_RE = re.compile(r'data-testid="contract-number">(\d+)<')
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")   # NeoVO declares from Chrome only


class NeovoDriver:
    """``DmsDriver`` for ``simulators.neovo``, working on site ``rrdi``."""

    def __init__(self, url: str, rrdi: str):
        self.ui = Browser(url, headers={"User-Agent": CHROME})
        self.ui.submit(self.ui.get("/"), {"rrdi": rrdi}, action="/site")

    def enter_sale(self, sale: dict) -> str:
        answer = self.ui.submit(self.ui.get("/dossiers/nouveau"), sale_entry.typed(sale),
                                button="Enregistrer le dossier")
        if answer.status_code != 303:
            raise ValueError(f"NeoVO refuse le dossier (HTTP {answer.status_code})")
        return answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def correct(self, handle: str, changes: dict) -> None:
        answer = self.ui.submit(self.ui.get(f"/dossiers/{handle}/vente"), sale_entry.corrected(changes),
                                button="Enregistrer le dossier")
        if answer.status_code != 303:
            raise ValueError(f"NeoVO refuse la correction (HTTP {answer.status_code})")

    def declare(self, handle: str) -> str | None:
        answer = self.ui.submit(self.ui.get(f"/dossiers/{handle}"), action="/garantir")
        if answer.status_code != 303:
            return None
        url = answer.headers["Location"]
        httpx.get(url, timeout=30, follow_redirects=True, headers={"User-Agent": CHROME})
        return url

    def contract_number(self, handle: str) -> str | None:
        found = CONTRACT_RE.search(self.ui.get(f"/dossiers/{handle}").text)
        return found.group(1) if found else None

    def close(self) -> None:
        self.ui.close()
