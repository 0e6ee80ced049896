"""Driving our Tec3H simulator through its screens, as its user does: Gestion clients → Nouveau client
(from the vehicle's order), the order (Statut Commande, dates of sale and delivery) → Enregistrer; then
Garantie → Nouvelle garantie Spoticar: the pre-filled form checked and completed (usage, warranty level,
origin of the sale, nationality, consent) → Envoyer; « Renvoyer au centralisateur » and « Modifier les
informations » for the resend and the correction; the Garantie tab read back. Only the vehicle's arrival
in stock uses a test route (vehicle creation offers the referential's versions only)."""
from __future__ import annotations

import html
import re

import httpx

from certification.drivers.sale_entry import fr_date as _fr
from certification.drivers.screens import ScreenDriver
from fixtures import reference
from simulators.tec3h.handoff import FORM_FIELD

URL_RE = re.compile(r'id="open-declaration" href="([^"]+)"')
CONSENTS = ("email", "phone", "sms", "mail")


class Tec3hDriver(ScreenDriver):
    """``DmsDriver`` for ``simulators.tec3h`` (test routes on, ``TEC3H_RRDI`` the session's dealer)."""

    dms = "Tec3H"
    contract_page = "/vehicules/{handle}/garantie"

    def enter_sale(self, sale: dict) -> str:
        c = sale["customer"]
        handle = str(self._arrive_in_stock(sale))
        offer = f"/vehicules/{handle}/offre"
        created = self._expect(self.ui.submit(self.ui.get(f"/clients/nouveau?next={offer}"), {
            "type_client": "particulier", "civilite": c["civility"], "nom_naissance": c.get("birth_name") or c["last_name"],
            "nom_usage": c["last_name"], "prenoms": c["first_name"], "date_naissance": _fr(c.get("birth_date")),
            "ville_naissance": c.get("birth_place") or "", "pays_naissance": c.get("birth_country") or "",
            "adresse": c["address"], "code_postal": c["postcode"], "ville": c["city"],
            "tel_fixe": c.get("phone") or "", "tel_mobile": c.get("mobile") or "", "email": c.get("email") or ""}),
            "Nouveau client")
        self._expect(self.ui.submit(self.ui.get(created.headers["Location"]), {
            "statut": "Commande", "prix": sale["sale"]["price_ttc"], "date_vente": _fr(sale["sale"]["sale_date"]),
            "date_livraison": _fr(sale["sale"]["delivery_date"])}, action=offer), "Commande")
        self.entered[handle] = {"sale": sale}
        return handle

    def _warranty_form(self, handle: str, changes: dict) -> httpx.Response:
        return self.ui.submit(self.ui.get(f"/vehicules/{handle}/garantie/spoticar"), changes,
                              action="/garantie/spoticar")

    def correct(self, handle: str, changes: dict) -> None:
        """« Modifier les informations » of the warranty sent, the corrected values, Envoyer."""
        self._expect(self._warranty_form(handle, {FORM_FIELD[path]: str(value) for path, value in changes.items()}),
                     "Envoyer (correction)")

    def declare(self, handle: str) -> str | None:
        tab = self.ui.get(f"/vehicules/{handle}/garantie")
        if 'id="warranty-state"' in tab.text:   # already sent: « Renvoyer au centralisateur »
            self.ui.submit(tab, action="/renvoyer")
        else:
            sale = self.entered[handle]["sale"]
            c, w = sale["customer"], sale["warranty"]
            consent = {f"consent_{k}": "on" if k in (c.get("consent") or []) else None for k in CONSENTS}
            answer = self._warranty_form(handle, {
                "usage": sale["vehicle"].get("usage", "particulier"),
                "niveau": reference.dms_level(w["product"], w["duration_months"]) or "",
                "origine_vente": sale["sale"].get("origin") or "", "nationalite": c.get("nationality") or "",
                # « Prix vente » comes pre-filled with the order's total (Carte Grise, frais de gestion…):
                # the dealer puts the vehicle's sale price TTC, as instructed
                "prix_vente": sale["sale"]["price_ttc"],
                "pays_naissance": c.get("birth_country") or "", **consent})
            if answer.status_code not in (302, 303):
                return None
        found = URL_RE.search(self.ui.get(f"/vehicules/{handle}/garantie").text)
        if not found:
            return None
        return self._open_declaration(html.unescape(found.group(1)))   # the tab opens it in a new window
