"""The DMS's API key for the centralisateur's hand-off API. The policy (configuration first, the demo
key in demo mode only) lives in ``common.keys``, the one module that decides it for every app."""
from __future__ import annotations

from common.keys import dms_key as dms_api_key

__all__ = ["dms_api_key"]
