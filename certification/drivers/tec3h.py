"""Driving our Tec3H simulator as its user does: the sale entered through its test route (vehicle,
customer, Commande), then Garantie → Nouvelle garantie Spoticar: the pre-filled form checked and
completed (usage, warranty level) → Envoyer; the Garantie tab read back."""
from __future__ import annotations

import html
import re

import httpx

from fixtures import reference

INPUT_RE = re.compile(r"<input\b([^>]*)>")
SELECT_RE = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S)
ATTR_RE = re.compile(r'(\w[\w-]*)="([^"]*)"')
CONTRACT_RE = re.compile(r'id="contract-number">(\d+)<')
URL_RE = re.compile(r'id="open-declaration" href="([^"]+)"')


def form_values(page: str) -> dict:
    """What the browser would submit: every text input's value, every select's chosen option."""
    values = {}
    for attrs in INPUT_RE.findall(page):
        found = dict(ATTR_RE.findall(attrs))
        if "name" in found and found.get("type") not in ("checkbox", "submit"):
            values[found["name"]] = html.unescape(found.get("value", ""))
    for attrs, body in SELECT_RE.findall(page):
        found = dict(ATTR_RE.findall(attrs))
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        if "name" in found:
            values[found["name"]] = html.unescape(chosen.group(1)) if chosen else ""
    return values


class Tec3hDriver:
    """``DmsDriver`` for ``simulators.tec3h`` (test routes on, ``TEC3H_RRDI`` the session's dealer)."""

    unsupported = {
        "handoff-resend": "Tec3H n'envoie une garantie qu'une fois : « Envoyer » est sans effet une fois la "
                          "garantie transmise (seul « Réessayer » renvoie, quand le centralisateur était indisponible).",
        "handoff-correction": "Tec3H ne permet plus de modifier une garantie transmise au centralisateur.",
    }

    def __init__(self, url: str, rrdi: str):
        self.ui = httpx.Client(base_url=url.rstrip("/"), timeout=30)
        self.sales: dict[str, dict] = {}

    def enter_sale(self, sale: dict) -> str:
        answer = self.ui.post("/__test__/certification/sales", json=sale)
        answer.raise_for_status()
        handle = str(answer.json()["vehicle_id"])
        self.sales[handle] = sale
        return handle

    def correct(self, handle: str, changes: dict) -> None:
        raise NotImplementedError(self.unsupported["handoff-correction"])

    def declare(self, handle: str) -> str | None:
        page = self.ui.get(f"/vehicules/{handle}/garantie/spoticar")
        values = form_values(page.text)
        sale = self.sales[handle]
        values["usage"] = sale["vehicle"].get("usage", "particulier")
        level = reference.dms_level(sale["warranty"]["product"], sale["warranty"]["duration_months"])
        values["niveau"] = level or values.get("niveau", "")
        values["consent_email"] = "on"
        answer = self.ui.post(f"/vehicules/{handle}/garantie/spoticar", data=values)
        if answer.status_code not in (302, 303):
            return None
        tab = self.ui.get(f"/vehicules/{handle}/garantie")
        found = URL_RE.search(tab.text)
        if not found:
            return None
        url = html.unescape(found.group(1))
        httpx.get(url, timeout=30, follow_redirects=True)   # the tab opens it in a new window
        return url

    def contract_number(self, handle: str) -> str | None:
        found = CONTRACT_RE.search(self.ui.get(f"/vehicules/{handle}/garantie").text)
        return found.group(1) if found else None

    def close(self) -> None:
        self.ui.close()
