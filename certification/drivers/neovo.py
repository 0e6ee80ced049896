"""Driving our NeoVO simulator as its user does (in Chrome): the sale entered as a dossier through its
test route, the dossier's « Garantir » link, the dossier page read back."""
from __future__ import annotations

import re

import httpx

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
CONTRACT_RE = re.compile(r'data-testid="contract-number">(\d+)<')
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")   # NeoVO declares from Chrome only


class NeovoDriver:
    """``DmsDriver`` for ``simulators.neovo`` (test routes on), working on site ``rrdi``."""

    def __init__(self, url: str, rrdi: str):
        self.ui = httpx.Client(base_url=url.rstrip("/"), timeout=30, headers={"User-Agent": CHROME})
        page = self.ui.get("/")
        self.ui.post("/site", data={"csrf_token": CSRF_RE.search(page.text).group(1), "rrdi": rrdi})

    def enter_sale(self, sale: dict) -> str:
        answer = self.ui.post("/__test__/certification/sales", json=sale)
        answer.raise_for_status()
        return answer.json()["number"]

    def correct(self, handle: str, changes: dict) -> None:
        self.ui.post(f"/__test__/certification/sales/{handle}", json=changes).raise_for_status()

    def declare(self, handle: str) -> str | None:
        page = self.ui.get(f"/dossiers/{handle}")
        answer = self.ui.post(f"/dossiers/{handle}/garantir", data={"csrf_token": CSRF_RE.search(page.text).group(1)})
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
