"""The floor of ``bench/handoff.py``: a Flask route that parses a JSON body and answers JSON, nothing
else. Served in-process by the bench (``AppServer``), or on its own under gunicorn exactly as
``spoticar-harness serve`` runs an app: ``python -m bench.bare_flask HOST:PORT WORKERS THREADS``."""
from __future__ import annotations

import sys

from flask import Flask, jsonify, request


def create_app() -> Flask:
    """One POST route, ``/echo``: JSON in, JSON out (201)."""
    app = Flask("bare")

    @app.post("/echo")
    def echo():
        body = request.get_json()
        return jsonify({"received": len(body)}), 201

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app


def main(argv: list[str]) -> None:
    from harness.serving import GunicornApp, gunicorn_options
    bind, workers, threads = argv[0], int(argv[1]), int(argv[2])
    GunicornApp(create_app, gunicorn_options(bind, workers, threads, "bare")).run()


if __name__ == "__main__":
    main(sys.argv[1:])
