"""Driving our PVO2 simulator through its screens, as its user does: Paramètres → Fiche d'identité du
site (Code RRDI); the vehicle card (Label constructeur, Garantie, Provenance, PTAC); Offres → Créer une
offre à particulier; Client → Modifiez (état civil, consentement, origine de la vente); Générer le bon
de commande; Livraison prévue le, Clôturer; Déclaration de garantie « Déclaration de garantie Spoticar »
→ Déclarer; the vehicle card's Kilométrage compteur for a correction; the order page read back. Only
the vehicle's arrival in stock, which PVO2 has no screen for, uses its test route."""
from __future__ import annotations

from certification.drivers.sale_entry import fr_date as _fr
from certification.drivers.screens import ScreenDriver
from fixtures import reference


class Pvo2Driver(ScreenDriver):
    """``DmsDriver`` for ``simulators.pvo2`` (test routes on), its site given the Code RRDI ``rrdi``."""

    dms = "PVO2"
    contract_page = "/livraisons/{handle}"

    def _choose_site(self, rrdi: str) -> None:
        """Paramètres → Fiche d'identité du site: its Code RRDI."""
        self._expect(self.ui.submit(self.ui.get("/parametres/site"), {"rrdi": rrdi}), "Fiche d'identité du site")

    def enter_sale(self, sale: dict) -> str:
        v, c, w = sale["vehicle"], sale["customer"], sale["warranty"]
        vehicle_id = self._arrive_in_stock(sale)
        provenance = next(label for label, wire in reference.load("pvo2_demo")["provenances"].items()
                          if wire == v.get("usage", "particulier"))
        self._expect(self.ui.submit(self.ui.get(f"/stock/{vehicle_id}"), {
            "label": w["label"], "warranty_level": reference.dms_level(w["product"], w["duration_months"]),
            "provenance": provenance, "plate": v["plate"], "ptac_kg": str(v.get("ptac_kg") or "")}),
            "Fiche véhicule")
        offer = self._expect(self.ui.submit(self.ui.get(f"/offres/nouvelle?vehicle_id={vehicle_id}"), {
            "civility": c["civility"], "last_name": c["last_name"], "first_name": c["first_name"],
            "address": c["address"], "postcode": c["postcode"], "city": c["city"],
            "phone": c.get("mobile") or c.get("phone") or "", "email": c.get("email") or "",
            "vehicle_id": str(vehicle_id)}), "Créer une offre à particulier")
        number = offer.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
        self._expect(self.ui.submit(self.ui.get(f"/offres/{number}/client"), {
            "birth_name": c.get("birth_name") or "", "birth_date": _fr(c.get("birth_date")),
            "birth_place": c.get("birth_place") or "", "birth_country": c.get("birth_country") or "",
            "nationality": c.get("nationality") or "", "residence_country": c.get("residence_country") or "",
            "consent": list(c.get("consent") or []), "origin": sale["sale"].get("origin") or ""}), "Client")
        self._expect(self.ui.submit(self.ui.get(f"/offres/{number}"), action="/bon-de-commande"),
                     "Générer le bon de commande")
        self._expect(self.ui.submit(self.ui.get(f"/livraisons/{number}"),
                                    {"delivery_date": _fr(sale["sale"]["delivery_date"]), "delivery_time": ""},
                                    action=f"/{number}/livraison"), "Livraison prévue le")
        self._expect(self.ui.submit(self.ui.get(f"/livraisons/{number}"), action="/cloturer"), "Clôturer")
        self.entered[number] = {"vehicle_id": vehicle_id}
        return number

    def correct(self, handle: str, changes: dict) -> None:
        """The vehicle card's Kilométrage compteur (the only correction the plan asks), Enregistrer."""
        fields = {"vehicle.mileage_km": "mileage_km", "vehicle.plate": "plate", "vehicle.ptac_kg": "ptac_kg"}
        self._expect(self.ui.submit(self.ui.get(f"/stock/{self.entered[handle]['vehicle_id']}"),
                                    {fields[path]: str(value) for path, value in changes.items()}), "Fiche véhicule")

    def declare(self, handle: str) -> str | None:
        return self._declared(self.ui.submit(self.ui.get(f"/livraisons/{handle}"), {"garantisseur": "spoticar"},
                                             action="/declarer"))
