"""The DMS's API key for the centralisateur's hand-off API."""
from __future__ import annotations

import os

from fixtures import reference


def dms_api_key(config: dict, dms: str) -> str:
    """Config ``CENTRALISATEUR_API_KEY``, else env ``SPOTICAR_<DMS>_API_KEY``, else the demo key in demo
    mode only; raises ``ValueError`` outside demo mode when none is configured."""
    key = config.get("CENTRALISATEUR_API_KEY") or os.environ.get(f"SPOTICAR_{dms.upper()}_API_KEY")
    if key:
        return key
    if config.get("DEMO_MODE"):
        return reference.demo_api_keys()[dms]
    raise ValueError(f"CENTRALISATEUR_API_KEY est requis hors mode démo ({dms})")
