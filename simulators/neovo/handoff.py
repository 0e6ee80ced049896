"""From a NeoVO dossier to the v1 hand-off body NeoVO's web service sends."""
from __future__ import annotations

from common.dms_handoff import manufacturer_warranty, warranty_for_level
from simulators.neovo.store import Dossier

SALE_ORIGIN = "Reprise VO sur VO"


def handoff_payload(dossier: Dossier, callback_url: str | None) -> dict:
    """The v1 hand-off body (SPEC §4.1) for ``dossier``; the invoice gives the price."""
    invoice = dossier.invoice
    return {
        "source_dms": "neovo",
        "dms_order_ref": dossier.number,
        "dealer": {"rrdi": dossier.rrdi},
        "seller": dossier.seller,
        "sale": {"sale_date": dossier.sale_date.isoformat(), "delivery_date": dossier.delivery_date.isoformat(),
                 "origin": SALE_ORIGIN,
                 "price_ttc": f"{invoice.amount_ttc:.2f}" if invoice else None, "trade_in_value": None},
        "customer": dict(dossier.customer),
        "vehicle": {"kind": "VP", "plate": dossier.plate, "vin": dossier.vin, "brand": dossier.brand,
                    "model": dossier.model, "version": dossier.version, "energy": dossier.energy,
                    "first_registration": dossier.first_registration.isoformat(),
                    "din_power": dossier.din_power, "fiscal_power": dossier.fiscal_power,
                    "kw_power": dossier.kw_power, "mileage_km": dossier.mileage_km, "usage": dossier.usage,
                    "ptac_kg": dossier.ptac_kg, **manufacturer_warranty(dossier.first_registration)},
        "warranty": warranty_for_level(dossier.warranty_level, dossier.delivery_date),
        "callback_url": callback_url,
    }
