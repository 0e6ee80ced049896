"""Background retries: contracts Icare could not create yet, and callbacks the DMS did not take.

State lives in the database, so a restart resumes exactly where the last process stopped.
"""
from __future__ import annotations

import logging
import threading

from flask import Flask

from centralisateur.declaring import process_due

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, app: Flask, interval: float = 1.0):
        self.app = app
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cds-worker", daemon=True)

    def start(self) -> Worker:
        self._thread.start()
        return self

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                process_due(self.app)
            except Exception:  # keep retrying: a failing pass must not end the worker
                log.exception("échec d'un passage du worker")
            self._wake.wait(self.interval)
            self._wake.clear()
