"""From recorded exchanges to verdicts: which entries belong to which scenario, and each scenario's
status — the same function the live session and a reviewer recomputing a report use."""
from __future__ import annotations

import datetime as dt

from certification import checks, checks_callbacks, exchanges as ex, plans
from certification.verdicts import FINAL, combine

CHECKS = {name: getattr(module, name) for module in (checks, checks_callbacks)
          for name in dir(module) if not name.startswith("_") and callable(getattr(module, name))
          and getattr(getattr(module, name), "__module__", "") == module.__name__
          and name not in ("Context", "mismatch")}


def attribute(plan: dict, entries: list[dict], windows: dict[str, str],
              sales: dict[str, dict | None]) -> dict[str, list[dict]]:
    """Entries per scenario: a hand-off by the VIN it carries; what names a bon de commande (polls,
    callbacks, pages) follows the hand-off that got it; a probe by its scenario header; anything else
    by the scenario current at its time (``windows``: scenario id → RFC 3339 start; ``sales``:
    scenario id → the sale the session asked for)."""
    vins = plans.vin_index(sales)
    by_bdc: dict[str, str] = {}
    result: dict[str, list[dict]] = {s["id"]: [] for s in plan["scenarios"]}
    starts = sorted((ex.parse_time(t), sid) for sid, t in windows.items())

    def current(entry):
        found = None
        for start, sid in starts:
            if start <= ex.when(entry):
                found = sid
        return found

    for entry in ex.ordered(entries):
        target = ex.probe_scenario(entry)
        if target is None and ex.is_handoff(entry):
            vin = ex.dig(ex.body_json(entry["request"]), "vehicle.vin")
            target = vins.get(str(vin).replace(" ", "").upper()) if vin else None
            target = target or current(entry)
            if ex.accepted(entry) and (bdc := ex.bdc_of(entry)):
                by_bdc.setdefault(bdc, target)
        elif target is None:
            target = by_bdc.get(ex.bdc_of(entry) or "") or current(entry)
        if target in result:
            result[target].append(entry)
    return result


def bdc_owners(found: dict[str, list[dict]]) -> dict[str, str]:
    """Bon de commande → the scenario whose accepted hand-off got it first (``found``: ``attribute``'s)."""
    firsts = sorted((ex.when(e), str(e["id"]), ex.bdc_of(e), sid) for sid, entries in found.items()
                    for e in entries if ex.is_handoff(e) and ex.accepted(e) and ex.bdc_of(e))
    owners: dict[str, str] = {}
    for _, _, bdc, sid in firsts:
        owners.setdefault(bdc, sid)
    return owners


# Judged in every scenario that instructs a sale, whether or not its plan names them: the sale sent is
# the one instructed, and a new sale is a new order.
EVERY_SALE = ("values_match_sale", "new_order")


def verdict(plan: dict, scenario_id: str, context: dict) -> tuple[str, list]:
    """(status, findings) of one scenario. ``context``: sale, entries, session_entries, now, final,
    correction, params, actions, started_at (RFC 3339), wait_seconds."""
    scenario = plans.scenario(plan, scenario_id)
    ctx = checks.Context(scenario=scenario, sale=context.get("sale"), entries=context.get("entries", []),
                         session_entries=context.get("session_entries", []),
                         now=context.get("now") or dt.datetime.now(dt.timezone.utc),
                         final=context.get("final", False), correction=context.get("correction", {}),
                         params=context.get("params", {}), actions=context.get("actions", {}),
                         bdc_owners=context.get("bdc_owners", {}))
    names = list(scenario["checks"])
    if ctx.sale is not None:
        names += [n for n in EVERY_SALE if n not in names and not (n == "new_order" and "handoff_accepted" in names)]
    results = []
    for name in names:
        outcome = CHECKS[name](ctx)
        results.extend(outcome if isinstance(outcome, list) else [outcome])
    expired = "Session terminée" if ctx.final else None
    if context.get("started_at") and context.get("wait_seconds"):
        started = dt.datetime.fromisoformat(context["started_at"].replace("Z", "+00:00"))
        if (ctx.now - started).total_seconds() > context["wait_seconds"]:
            expired = f"Délai d'attente de {context['wait_seconds']:.0f} s dépassé"
    return combine(results, expired=expired)


__all__ = ["CHECKS", "FINAL", "attribute", "verdict"]
