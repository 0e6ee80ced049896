"""Static files (CSS, JS) kept by the browser: each ``url_for('static', filename=...)`` carries the
file's content hash (``?v=…``), and a request naming the current hash is answered as cacheable for a
year. A page then loads its stylesheet and script from the browser's cache instead of asking again
on every page (two requests per page in the DMS flows); a changed file gets a new address.

Only the app's own static files: they hold no personal data (pages and JSON stay ``no-store``)."""
from __future__ import annotations

import hashlib
import os

from flask import Flask, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"


def version(app: Flask, filename: str) -> str | None:
    """A short hash of the static file ``filename``'s content (None when there is no such file);
    read once per change of the file (its size and modification time)."""
    path = safe_join(app.static_folder or "", filename)
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    if stat is None:
        return None
    known = app.extensions.setdefault("static_versions", {})
    key = (stat.st_mtime_ns, stat.st_size)
    cached = known.get(filename)
    if cached is None or cached[0] != key:
        with open(path, "rb") as file:
            cached = known[filename] = (key, hashlib.sha256(file.read()).hexdigest()[:12])
    return cached[1]


def install(app: Flask) -> None:
    """Version the static links of ``app`` and let the browser keep what a versioned link names."""

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            found = version(app, values["filename"])
            if found:
                values["v"] = found

    @app.after_request
    def _cacheable(response):
        if request.endpoint == "static" and response.status_code == 200 and request.args.get("v") and \
                request.args["v"] == version(app, request.view_args.get("filename", "")):
            response.headers["Cache-Control"] = IMMUTABLE
        return response
