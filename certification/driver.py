"""``DmsDriver``: what ``certify run`` needs from a DMS to play the plan unattended — enter a sale,
press the DMS's declare button, correct a sale, read the contract number back. A vendor implements
these five methods for its own DMS (over its API, its test routes or Playwright) and calls ``play``.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

import httpx
from spoticar_handoff.tls import tls_context


class DmsDriver(Protocol):
    """A DMS under certification, driven as its user would."""

    def enter_sale(self, sale: dict) -> str:
        """Enter ``sale`` (hand-off v1 shape: vehicle, customer, warranty…) as a new order; its handle."""

    def correct(self, handle: str, changes: dict) -> None:
        """Change the order's values (``{"vehicle.mileage_km": 12322}``) before declaring again."""

    def declare(self, handle: str) -> str | None:
        """Press the DMS's declare button; the declaration_url the browser opened (None when refused)."""

    def contract_number(self, handle: str) -> str | None:
        """The contract number the DMS shows on the order (None while it has none). Read again once the
        session has sent its callbacks twice: a delivery applied twice must change nothing."""

    def close(self) -> None:
        """Release what the driver holds (HTTP clients, browser)."""

    # Optional method ``declaration_status(handle)``: the declaration status the DMS shows (a hand-off
    # status value), sent with the contract number in the readback.
    # Optional attribute ``unsupported``: {scenario id: French reason} for what the DMS does not offer
    # (e.g. a warranty label it does not sell); ``play`` skips those scenarios with that reason.


log = logging.getLogger(__name__)
DealerStep = Callable[[str, dict], None]   # (declaration_url, sale): the dealer's part in the centralisateur


def _act(driver: DmsDriver, scenario: dict, dealer: DealerStep, contract_wait: float) -> str | None:
    """What the tester does in the DMS for one scenario, read from the scenario's data; the order's handle."""
    sale = scenario.get("sale")
    if sale is None:
        return None
    handle = driver.enter_sale(sale)
    url = driver.declare(handle)
    if "resend_same_bdc" in scenario["checks"]:
        driver.declare(handle)
    if scenario.get("correction"):
        driver.correct(handle, scenario["correction"])
        driver.declare(handle)
    if url and {"callback_acknowledged", "pending_then_declared"} & set(scenario["checks"]):
        dealer(url, sale)
        deadline = time.monotonic() + contract_wait
        while driver.contract_number(handle) is None and time.monotonic() < deadline:
            time.sleep(0.5)
    return handle


def _read_back(driver: DmsDriver, handle: str, http: httpx.Client, session_url: str, deadline: float) -> dict:
    """Once the session has sent its callbacks again, what the DMS shows of the order (contract number,
    and its status when the driver reads one: ``declaration_status(handle)``) goes to the session."""
    state = http.get(session_url).json()
    while state["current"] and not state.get("awaiting_readback") and time.monotonic() < deadline:
        time.sleep(0.3)
        state = http.get(session_url).json()
    if state.get("awaiting_readback"):
        status = getattr(driver, "declaration_status", None)
        http.post(session_url + "/readback", json={"contract_number": driver.contract_number(handle),
                                                   "status": status(handle) if status else None})
        state = http.get(session_url).json()
    return state


def play(driver: DmsDriver, session_url: str, key: str, dealer: DealerStep, *, deadline_seconds: float = 600,
         contract_wait: float = 20) -> dict:
    """Play the session's plan through ``driver`` until every scenario has its verdict; the final
    session state (JSON, as ``GET session_url`` with ``Accept: application/json`` gives it)."""
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    played: set[str] = set()
    deadline = time.monotonic() + deadline_seconds
    with httpx.Client(timeout=30, headers=headers, verify=tls_context()) as http:
        state = http.get(session_url).json()
        while state["current"] and time.monotonic() < deadline:
            if state["current"] not in played:
                played.add(state["current"])
                reason = getattr(driver, "unsupported", {}).get(state["current"])
                if reason:
                    http.post(session_url + "/skip", json={"reason": reason})
                    state = http.get(session_url).json()
                    continue
                scenario = next(s for s in state["scenarios"] if s["id"] == state["current"])
                try:
                    handle = _act(driver, scenario, dealer, contract_wait)
                    if handle and "duplicate_callback_harmless" in scenario["checks"]:
                        _read_back(driver, handle, http, session_url, deadline)
                except (httpx.HTTPError, ValueError) as exc:  # the scenario's wait ends it, with its evidence
                    log.warning("scénario %s : %s", state["current"], exc)
            time.sleep(0.3)
            state = http.get(session_url).json()
    return state
