"""One setting of an app: its config key, else its ``SPOTICAR_*`` environment variable, else a default
(the journal's ``JOURNAL_*``, the certification's bounds…)."""
from __future__ import annotations

import os


def setting(config, key: str, env: str, default, kind=int):
    """``config[key]``, else ``os.environ[env]``, else ``default``; read as ``kind`` (a ``bool`` from
    text: anything but "0", "false", "no", "non", "off" or empty is true)."""
    value = config.get(key)
    if value is None and os.environ.get(env) is not None:
        value = os.environ[env]
    if value is None:
        return default
    if kind is bool and isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "non", "off", "")
    return kind(value)
