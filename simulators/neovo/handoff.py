"""From a NeoVO dossier to the v1 hand-off body NeoVO's web service sends."""
from __future__ import annotations

from simulators.dms.handoff import vehicle_payload, warranty_for_level
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
        "sale": {"sale_date": dossier.sale_date.isoformat(),
                 "delivery_date": dossier.delivery_date.isoformat(),
                 "origin": dossier.sale_origin or SALE_ORIGIN,
                 "price_ttc": f"{invoice.amount_ttc:.2f}" if invoice else None, "trade_in_value": None},
        "customer": dict(dossier.customer),
        "vehicle": vehicle_payload(dossier),
        "warranty": warranty_for_level(dossier.warranty_level, dossier.delivery_date),
        "callback_url": callback_url,
    }
