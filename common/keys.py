"""Which API keys an app uses — the one place that decides demo keys versus configured keys.

Demo mode: the documented demo keys (``demo-<dms>``, ``demo-icare-service``) unless configuration
gives others. Real mode: configuration only (app config first, then environment), and a demo key
never works. Every app and the test suites ask this module; no other module types a demo key.

Environment: ``SPOTICAR_DMS_KEYS="tec3h=…,pvo2=…"`` (every DMS key, read by the centralisateur and by
each DMS), ``SPOTICAR_<DMS>_API_KEY`` (one DMS's own key), ``SPOTICAR_ICARE_SERVICE_KEY``.
"""
from __future__ import annotations

import os

from fixtures import reference

DEMO_PREFIX = "demo-"
DEMO_ICARE_SERVICE_KEY = "demo-icare-service"
# the test routes' key outside demo mode (``common.testing``): the header it travels in, its variable
TEST_KEY_HEADER = "X-Spoticar-Test-Key"
TEST_KEY_ENV = "SPOTICAR_TEST_ROUTES_KEY"


def test_key_headers(key: str | None) -> dict[str, str]:
    """What a call to a stack's test routes carries: the key's header, nothing without a key (demo mode)."""
    return {TEST_KEY_HEADER: key} if key else {}


def demo_dms_keys() -> dict[str, str]:
    """The documented demo key of each DMS (``fixtures/data/dealers.json``)."""
    return reference.demo_api_keys()


def demo_key_allowed(key: str | None, demo_mode: bool) -> bool:
    """Demo keys (``demo-…``) only ever work in demo mode."""
    return demo_mode or not (key or "").startswith(DEMO_PREFIX)


def parse_pairs(text: str | None) -> dict[str, str]:
    """``"tec3h=k1,pvo2=k2"`` → ``{"tec3h": "k1", "pvo2": "k2"}`` (blanks and empty items ignored)."""
    pairs = (item.split("=", 1) for item in (text or "").split(",") if "=" in item)
    return {name.strip(): value.strip() for name, value in pairs if name.strip() and value.strip()}


def dms_keys(config: dict) -> dict[str, str]:
    """Every DMS's key, as the centralisateur checks them: config ``DMS_KEYS``, else
    ``SPOTICAR_DMS_KEYS``, else (demo mode) the demo keys."""
    keys = dict(config.get("DMS_KEYS") or {}) or parse_pairs(os.environ.get("SPOTICAR_DMS_KEYS"))
    if not keys and config.get("DEMO_MODE"):
        keys = demo_dms_keys()
    return keys


def dms_key(config: dict, dms: str) -> str:
    """The key a DMS app presents to the centralisateur: config ``CENTRALISATEUR_API_KEY``, else
    ``SPOTICAR_<DMS>_API_KEY`` or its entry of ``SPOTICAR_DMS_KEYS``, else (demo mode) its demo key."""
    key = (config.get("CENTRALISATEUR_API_KEY") or os.environ.get(f"SPOTICAR_{dms.upper()}_API_KEY")
           or parse_pairs(os.environ.get("SPOTICAR_DMS_KEYS")).get(dms))
    if key:
        return key
    if config.get("DEMO_MODE"):
        return demo_dms_keys()[dms]
    raise ValueError(f"CENTRALISATEUR_API_KEY est requis hors mode démo ({dms})")


def icare_service_key(config: dict, setting: str = "ICARE_SERVICE_KEY", required: bool = True) -> str | None:
    """The Icare service key (Icare checks it, the centralisateur and PVO2 present it): config
    ``setting``, else ``SPOTICAR_ICARE_SERVICE_KEY``, else (demo mode) the demo key. Outside demo mode
    and unconfigured: ValueError when ``required``, else None."""
    key = config.get(setting) or os.environ.get("SPOTICAR_ICARE_SERVICE_KEY")
    if key:
        return key
    if config.get("DEMO_MODE"):
        return DEMO_ICARE_SERVICE_KEY
    if required:
        raise ValueError(f"{setting} (ou SPOTICAR_ICARE_SERVICE_KEY) est requis hors mode démo")
    return None


def demo_dealer_password(rrdi: str) -> str:
    """The centralisateur login password of a demo dealer (demo mode only)."""
    return f"demo-{rrdi}"


def demo_icare_password() -> str:
    """The Services.Spoticar password of the demo portal accounts (demo mode only)."""
    return reference.load("icare_billing")["demo_password"]


def demo_b2b_password() -> str:
    """The Portail B2B password of the demo identifiants (demo mode only)."""
    return reference.load("portail_b2b")["demo_password"]
