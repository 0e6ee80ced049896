"""Static files (CSS, JS) kept by the browser: each ``url_for('static', filename=...)`` carries the
file's content hash (``?v=…``), and a request naming the current hash is answered as cacheable for a
year. A page then loads its stylesheet and script from the browser's cache instead of asking again
on every page (two requests per page in the DMS flows); a changed file gets a new address.

The scripts shared by several apps (``common/static/``, e.g. the DMS pages' declaration follow-up)
are served by each of them under ``/commun/`` (``install_shared``; ``url_for('shared.static', ...)``),
versioned the same way.

Only the apps' own static files: they hold no personal data (pages and JSON stay ``no-store``)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Blueprint, Flask, request
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
SHARED_FOLDER = Path(__file__).parent / "static"
SHARED_URL = "/commun"


def _folder(app: Flask, endpoint: str) -> str | None:
    """The folder the static ``endpoint`` (``static`` or ``<blueprint>.static``) serves."""
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def version(app: Flask, filename: str, endpoint: str = "static") -> str | None:
    """A short hash of the static file ``filename``'s content (None when there is no such file);
    read once per change of the file (its size and modification time)."""
    path = safe_join(_folder(app, endpoint) or "", filename)
    try:
        stat = os.stat(path) if path else None
    except OSError:
        return None
    if stat is None:
        return None
    known = app.extensions.setdefault("static_versions", {})
    key = (stat.st_mtime_ns, stat.st_size)
    cached = known.get((endpoint, filename))
    if cached is None or cached[0] != key:
        with open(path, "rb") as file:
            cached = known[(endpoint, filename)] = (key, hashlib.sha256(file.read()).hexdigest()[:12])
    return cached[1]


def _is_static(endpoint: str | None) -> bool:
    return endpoint == "static" or (endpoint or "").endswith(".static")


def install(app: Flask) -> None:
    """Version the static links of ``app`` and let the browser keep what a versioned link names."""

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if _is_static(endpoint) and "filename" in values and "v" not in values:
            found = version(app, values["filename"], endpoint)
            if found:
                values["v"] = found

    @app.after_request
    def _cacheable(response):
        if _is_static(request.endpoint) and response.status_code == 200 and request.args.get("v") and \
                request.args["v"] == version(app, request.view_args.get("filename", ""), request.endpoint):
            response.headers["Cache-Control"] = IMMUTABLE
        return response


def install_shared(app: Flask) -> None:
    """Serve the shared scripts of ``common/static/`` under ``/commun/`` (endpoint ``shared.static``)."""
    app.register_blueprint(Blueprint("shared", __name__, static_folder=str(SHARED_FOLDER),
                                     static_url_path=SHARED_URL))
