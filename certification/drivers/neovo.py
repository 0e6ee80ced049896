"""Driving our NeoVO simulator through its screens, as its user does (in Chrome): the site chosen in
the header; MENU → « Nouveau dossier de vente » (vehicle, customer, sale, invoice); the dossier's
« Garantir »; « Modifier la vente » for a correction; the dossier page read back."""
from __future__ import annotations

from certification.drivers import sale_entry
from certification.drivers.screens import ScreenDriver

CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/131.0.0.0 Safari/537.36")   # NeoVO declares from Chrome only


class NeovoDriver(ScreenDriver):
    """``DmsDriver`` for ``simulators.neovo``, working on site ``rrdi``."""

    dms = "NeoVO"
    contract_page = "/dossiers/{handle}"
    headers = {"User-Agent": CHROME}

    def _choose_site(self, rrdi: str) -> None:
        self.ui.submit(self.ui.get("/"), {"rrdi": rrdi}, action="/site")

    def enter_sale(self, sale: dict) -> str:
        answer = self._expect(self.ui.submit(self.ui.get("/dossiers/nouveau"), sale_entry.typed(sale),
                                             button="Enregistrer le dossier"), "Enregistrer le dossier")
        return answer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def correct(self, handle: str, changes: dict) -> None:
        self._expect(self.ui.submit(self.ui.get(f"/dossiers/{handle}/vente"), sale_entry.corrected(changes),
                                    button="Enregistrer le dossier"), "Modifier la vente")

    def declare(self, handle: str) -> str | None:
        return self._declared(self.ui.submit(self.ui.get(f"/dossiers/{handle}"), action="/garantir"))
