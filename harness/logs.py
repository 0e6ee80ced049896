"""Logging for ``up``: one stream on stderr, and each app's own lines in ``<data-dir>/<app>/app.log``
(rotated). The access log (``spoticar.access``, one line per request: app, method, path, status, ms,
trace id) is written by ``common.journal``'s capture, at INFO."""
from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
from pathlib import Path

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(app_name)s %(name)s: %(message)s"
ACCESS_FIELDS = ("method", "path", "status", "duration_ms", "trace_id")
MAX_BYTES, BACKUPS = 5 * 1024 * 1024, 3


def _app_of(record: logging.LogRecord) -> str:
    """The app a log line belongs to: given by the access log, else the Flask app serving the thread."""
    name = getattr(record, "app", None)
    if name:
        return name
    try:
        from flask import current_app, has_app_context
        if has_app_context():
            return current_app.import_name.rsplit(".", 1)[-1]
    except Exception:  # never let a log line fail
        pass
    return "-"


class AppTag(logging.Filter):
    """Adds ``app_name`` to every record; with ``only``, keeps that app's lines alone."""

    def __init__(self, only: str | None = None):
        super().__init__()
        self.only = only

    def filter(self, record: logging.LogRecord) -> bool:
        record.app_name = _app_of(record)
        return self.only is None or record.app_name == self.only


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, app, message, and the access fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        data = {"time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name,
                "app": getattr(record, "app_name", None) or _app_of(record),
                "message": record.getMessage()}
        data.update({k: getattr(record, k) for k in ACCESS_FIELDS if hasattr(record, k)})
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def _formatter(fmt: str) -> logging.Formatter:
    return JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT)


def configure(level: str = "warning", fmt: str = "text", data_dir: Path | str | None = None,
              apps: list[str] = ()) -> list[logging.Handler]:
    """Set up the root logger for ``up``; returns the handlers added (to close them at the end)."""
    root = logging.getLogger()
    root.setLevel(LEVELS[level])
    for handler in list(root.handlers):
        root.removeHandler(handler)
    console = logging.StreamHandler()
    handlers: list[logging.Handler] = [console]
    console.addFilter(AppTag())
    for name in apps if data_dir else ():
        path = Path(data_dir) / name / "app.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8")
        handler.addFilter(AppTag(only=name))
        handlers.append(handler)
    for handler in handlers:
        handler.setFormatter(_formatter(fmt))
        root.addHandler(handler)
    return handlers
