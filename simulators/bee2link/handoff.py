"""From a Bee2link order to the v1 hand-off body, and the euro amounts as Bee2link shows them."""
from __future__ import annotations

from common import formats
from simulators.dms.handoff import vehicle_payload, warranty_for_level
from simulators.bee2link.store import Order

SALE_ORIGIN = "Reprise VO sur VO"


euros = formats.euros  # 10241 → "10 241,00 €", as the seed shows


def handoff_payload(order: Order, rrdi: str, callback_url: str | None) -> dict:
    """The v1 hand-off body (SPEC §4.1) for ``order``, sent by Bee2link for dealer ``rrdi``."""
    return {
        "source_dms": "bee2link",
        "dms_order_ref": str(order.number),
        "dealer": {"rrdi": rrdi},
        "seller": order.seller,
        "sale": {"sale_date": order.sale_date.isoformat(), "delivery_date": order.delivery_date.isoformat(),
                 "origin": order.sale_origin or SALE_ORIGIN, "price_ttc": f"{order.price_ttc:.2f}",
                 "trade_in_value": (f"{order.trade_in_value:.2f}" if order.trade_in_value is not None
                                    else None)},
        "customer": dict(order.customer),
        "vehicle": {**vehicle_payload(order.vehicle), "market_value": f"{order.vehicle.price_ttc:.2f}"},
        "warranty": warranty_for_level(order.warranty_level, order.delivery_date),
        "callback_url": callback_url,
    }
