"""What the four simulator drivers do the same way: the dealer's browser, a screen's answer checked,
the declaration opened as the DMS's new window opens it, the contract number read back, the end."""
from __future__ import annotations

import re

import httpx
from spoticar_handoff.tls import tls_context

from certification.drivers.browser import Browser


class ScreenDriver:
    """Base of the ``DmsDriver`` of one of our simulators, driven through its screens with ``ui``.

    A subclass names the DMS (``dms``, for messages), the page showing a sale's contract number
    (``contract_page``, formatted with ``handle``), the headers its browser sends (``headers``) and
    how the dealer chooses the site ``rrdi`` to work on (``_choose_site``)."""

    dms = ""
    contract_page = ""
    headers: dict[str, str] = {}
    # every simulator marks the number (id or test id "contract-number"), some with words before it
    contract_re = re.compile(r'="contract-number"[^>]*>[^<\d]*(\d+)')

    def __init__(self, url: str, rrdi: str):
        self.ui = Browser(url, headers=self.headers)   # the dealer's browser (its cookies)
        # the new window the DMS opens on a declaration's address (the centralisateur's, not the DMS's):
        # one client kept for every sale, as a browser keeps its connections
        self.window = httpx.Client(timeout=30, follow_redirects=True, verify=tls_context(),
                                   headers={"User-Agent": self.ui.http.headers["User-Agent"]})
        # each sale entered, by handle: what the DMS's screens gave back (order number, vehicle id…)
        self.entered: dict[str, dict] = {}
        self._choose_site(rrdi)

    def _choose_site(self, rrdi: str) -> None:
        """Work on the dealer site ``rrdi`` (nothing to do where the simulator serves one dealer)."""

    def _expect(self, answer: httpx.Response, what: str) -> httpx.Response:
        """``answer`` when the screen took the form (a redirect); otherwise the refusal, in French."""
        if answer.status_code not in (302, 303):
            raise ValueError(f"{self.dms} refuse « {what} » (HTTP {answer.status_code})")
        return answer

    def _arrive_in_stock(self, sale: dict) -> int:
        """The sale's vehicle put in stock through the simulator's test route (where no screen does it
        with the exact version the plan asks); its id."""
        arrival = self.ui.http.post("/__test__/certification/vehicles",
                                    json={"vehicle": sale["vehicle"], "price_ttc": sale["sale"]["price_ttc"]})
        arrival.raise_for_status()
        return arrival.json()["vehicle_id"]

    def _open_declaration(self, url: str) -> str:
        """What the DMS's new window does with the declaration's address: open it. ``url`` returned."""
        self.window.get(url)
        return url

    def _declared(self, answer: httpx.Response) -> str | None:
        """The declaration a send redirected to, opened; None when the DMS did not send (no redirect)."""
        return self._open_declaration(answer.headers["Location"]) if answer.status_code == 303 else None

    def _contract_path(self, handle: str) -> str:
        return self.contract_page.format(handle=handle)

    def contract_number(self, handle: str) -> str | None:
        """The contract number the sale's page shows, None before there is one."""
        found = self.contract_re.search(self.ui.get(self._contract_path(handle)).text)
        return found.group(1) if found else None

    def close(self) -> None:
        self.ui.close()
        self.window.close()
