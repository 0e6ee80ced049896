"""A Flask app naming the worker process that answers (``GET /pid``, after ``?sleep=`` seconds at work),
served under gunicorn exactly as ``spoticar-harness serve`` serves an app:
``python -m tests.pid_app HOST:PORT WORKERS THREADS``."""
from __future__ import annotations

import os
import sys
import time

from flask import Flask, request


def create_app() -> Flask:
    app = Flask("pid")

    @app.get("/pid")
    def pid():
        time.sleep(min(float(request.args.get("sleep", 0)), 2.0))
        return str(os.getpid())

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


if __name__ == "__main__":
    from harness.serving import GunicornApp, gunicorn_options
    bind, workers, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    GunicornApp(create_app, gunicorn_options(bind, workers, threads, "pid")).run()
