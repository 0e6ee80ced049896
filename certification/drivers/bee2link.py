"""Driving our Bee2link simulator through its screens, as its user does: the site chosen in the
header; VO → « Saisie d'une vente VO » (vehicle, customer, order); the vehicle's delivery page →
Services externes → « Déclaration SPOTICAR »; « Modifier la vente » for a correction; the order page
read back."""
from __future__ import annotations

import re

from certification.drivers import sale_entry
from certification.drivers.screens import ScreenDriver

ORDER_RE = re.compile(r"Commande n°(\d+)")


class Bee2linkDriver(ScreenDriver):
    """``DmsDriver`` for ``simulators.bee2link``, working on site ``rrdi``."""

    dms = "Bee2link"

    def _choose_site(self, rrdi: str) -> None:
        self.ui.submit(self.ui.get("/vo"), {"rrdi": rrdi}, action="/site")   # the header's site select

    def enter_sale(self, sale: dict) -> str:
        answer = self._expect(self.ui.submit(self.ui.get("/vo/ventes/nouvelle"), sale_entry.typed(sale),
                                             button="Enregistrer la vente"), "Enregistrer la vente")
        handle = answer.headers["Location"].split("/vo/vehicules/")[1].split("/")[0]
        self.entered[handle] = {"order": ORDER_RE.search(self.ui.get(f"/vo/vehicules/{handle}").text).group(1)}
        return handle

    def correct(self, handle: str, changes: dict) -> None:
        self._expect(self.ui.submit(self.ui.get(f"/vo/vehicules/{handle}/vente"), sale_entry.corrected(changes),
                                    button="Enregistrer la vente"), "Modifier la vente")

    def declare(self, handle: str) -> str | None:
        return self._declared(self.ui.submit(self.ui.get(f"/vo/vehicules/{handle}/services-externes"),
                                             action="/declaration-spoticar"))

    def _contract_path(self, handle: str) -> str:
        return f"/vo/commandes/{self.entered[handle]['order']}"   # the order's page shows the contract
