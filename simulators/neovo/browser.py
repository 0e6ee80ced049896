"""Is this browser Chrome? NeoVO's declaration portal is Chrome only (seed 000).

The User-Agent decides. Chrome, Chromium and headless Chrome count as Chrome; browsers built on
Chromium that announce themselves (Edge "Edg/", Opera "OPR/", Samsung Internet, Yandex…) do not, nor
do Firefox and Safari (a Safari User-Agent has no "Chrome/" token). Client hints (``Sec-CH-UA``) may
confirm Chrome or reveal another Chromium brand, but never turn a non-Chrome User-Agent into Chrome.
"""
from __future__ import annotations

import re

CHROME_MESSAGE = ("Attention, le navigateur CHROME est un prérequis pour l'utilisation de ce portail de "
                  "déclaration SPOTICAR.")

CHROME_TOKENS = ("Chrome/", "HeadlessChrome/", "Chromium/", "CriOS/")
OTHER_BROWSER_TOKENS = ("Edg/", "EdgA/", "EdgiOS/", "Edge/", "OPR/", "OPT/", "OPiOS/", "Opera",
                        "Firefox/", "FxiOS/", "SamsungBrowser/", "YaBrowser/", "UCBrowser/", "Vivaldi/",
                        "MSIE ", "Trident/")
OTHER_HINT_BRANDS = ("microsoft edge", "opera", "opera gx", "yandex", "samsung internet", "brave",
                     "vivaldi")
_BRAND_RE = re.compile(r'"([^"]*)"\s*;\s*v\s*=\s*"[^"]*"')


def hint_brands(sec_ch_ua: str | None) -> list[str]:
    """``"Google Chrome";v="120", "Chromium";v="120"`` → ["Google Chrome", "Chromium"]."""
    return _BRAND_RE.findall(sec_ch_ua or "")


def is_chrome(user_agent: str | None, sec_ch_ua: str | None = None) -> bool:
    """True for Chrome / Chromium / headless Chrome; False for every other browser or no User-Agent."""
    ua = user_agent or ""
    if not any(token in ua for token in CHROME_TOKENS):
        return False
    if any(token in ua for token in OTHER_BROWSER_TOKENS):
        return False
    brands = [b.strip().lower() for b in hint_brands(sec_ch_ua)]
    return not any(brand in OTHER_HINT_BRANDS for brand in brands)
