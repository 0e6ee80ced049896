"""The dealer's part of a scenario, done over HTTP as a browser would: open the declaration link,
page 1/3 (programme, garantisseur), complete form 2/3 from the sale, « Déclarer et Garantir »."""
from __future__ import annotations

import html
import re

import httpx
from spoticar_handoff.tls import tls_context

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
TEXT_RE = re.compile(r'<input type="text" id="f-\w+" name="(\w+)"[^>]*value="([^"]*)"')
SELECT_RE = re.compile(r'<select id="f-\w+" name="(\w+)".*?</select>', re.S)
CHOSEN_RE = re.compile(r'<option value="([^"]*)" selected')
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def form_values(page: str) -> dict:
    """The values a browser would submit for form 2/3 as rendered."""
    values: dict = {"csrf_token": CSRF_RE.search(page).group(1)}
    for m in TEXT_RE.finditer(page):
        values[m.group(1)] = html.unescape(m.group(2))
    for m in SELECT_RE.finditer(page):
        chosen = CHOSEN_RE.search(m.group(0))
        values[m.group(1)] = html.unescape(chosen.group(1)) if chosen else ""
    values["consent"] = re.findall(r'name="consent" value="(\w+)" checked', page)
    return values


def _dig(data: dict, path: str):
    for part in path.split("."):
        data = (data or {}).get(part)
    return data


def declare(declaration_url: str, sale: dict, garantisseur: str = "stellantis") -> str:
    """Declare the sale in the centralisateur; the confirmation page's text (3/3)."""
    with httpx.Client(follow_redirects=True, timeout=30, verify=tls_context()) as browser:
        page = browser.get(declaration_url)
        page = browser.post(str(page.url), data={"csrf_token": CSRF_RE.search(page.text).group(1),
                                                 "programme": sale["warranty"]["label"],
                                                 "garantisseur": garantisseur})
        if not page.url.path.endswith("/formulaire"):
            raise ValueError(f"page 1/3 refusée : {page.status_code}")
        values = form_values(page.text)
        complete(values, sale)
        return browser.post(str(page.url), data=values).text


def complete(values: dict, sale: dict) -> None:
    """What the DMS left out, the dealer types from the order: every empty field of form 2/3 that
    the sale has a value for (dates as JJ/MM/AAAA)."""
    from spoticar_handoff.form_fields import FIELDS
    for field in FIELDS:
        value = _dig(sale, field.source) if field.source else None
        if value in (None, "", []) or values.get(field.name) not in (None, "", []):
            continue
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            year, month, day = value.split("-")
            value = f"{day}/{month}/{year}"
        values[field.name] = value if isinstance(value, list) else str(value)
