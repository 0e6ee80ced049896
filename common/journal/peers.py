"""The other workers of one app, asked to write what their journal holds before a read.

Under ``spoticar-harness up --processes`` (gunicorn workers, or several ``serve`` processes on one data
directory) each worker has its own journal writer, which gathers entries for up to a second before one
commit. A reader served by one worker must still see every entry answered before its request, whichever
worker answered it: before reading, it asks every other worker to flush and waits for their answers.

Each worker listens on 127.0.0.1 (a port the OS picks) and leaves ``<port> <token>`` in a file
``<DATA_DIR>/journal-peers/<pid>-<port>``; a reader connects to each, sends the token, and the worker
answers ``ok`` once its requests under way are queued and its queue written (``Journal.flush``). A file
whose worker is gone (nobody listens on its port, or another token answers) is removed by the reader.
Off unless ``JOURNAL_PEERS`` is set (``spoticar-harness serve`` sets it): one process, nothing to ask.
"""
from __future__ import annotations

import atexit
import logging
import os
import secrets
import selectors
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("spoticar.journal")

FOLDER = "journal-peers"
OK, LATE, WRONG = b"ok\n", b"late\n", b"wrong\n"


class Peers:
    """This worker's listener, and the flush it asks of the others (``ask`` then ``wait``)."""

    def __init__(self, folder: Path, flush: Callable[[float], bool]):
        self.folder = Path(folder)
        self._flush = flush  # this worker's own flush, without asking the others (no ping-pong)
        self._token = secrets.token_hex(16)
        self._server: socket.socket | None = None
        self.path: Path | None = None

    def start(self) -> Peers:
        """Listen, then register: a reader never finds a file nobody answers for (unless it died)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        server = socket.create_server(("127.0.0.1", 0))
        port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._serve, name="journal:peers", daemon=True).start()
        self.path = self.folder / f"{os.getpid()}-{port}"
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(f"{port} {self._token}\n")
        temporary.chmod(0o600)  # the token is what lets a caller make this worker work
        temporary.replace(self.path)
        atexit.register(self.close)
        return self

    def close(self) -> None:
        """Unregister and stop listening (worker exit)."""
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None
        if self._server is not None:
            self._server.close()
            self._server = None

    def _serve(self) -> None:
        server = self._server
        while server is not None and server.fileno() >= 0:
            try:
                connection, _ = server.accept()
            except OSError:  # closed
                return
            with connection:
                try:
                    connection.settimeout(5.0)
                    asked = connection.recv(64).strip()
                    if not secrets.compare_digest(asked, self._token.encode()):
                        connection.sendall(WRONG)
                        continue
                    try:
                        done = self._flush(10.0)
                    except Exception:
                        log.exception("journal : vidage demandé par un autre worker impossible")
                        done = False
                    connection.sendall(OK if done else LATE)
                except OSError:
                    pass

    def ask(self) -> dict:
        """Ask every other registered worker to flush (they work side by side); ``wait`` for them."""
        asked: dict[socket.socket, Path] = {}
        failed = False
        for path, port, token in self._others():
            try:
                peer = socket.create_connection(("127.0.0.1", port), timeout=1.0)
            except ConnectionRefusedError:  # nobody listens there: that worker is gone
                path.unlink(missing_ok=True)
                continue
            except OSError:
                failed = True
                continue
            try:
                peer.sendall(token.encode() + b"\n")
            except OSError:
                peer.close()
                failed = True
                continue
            asked[peer] = path
        return {"asked": asked, "failed": failed}

    def wait(self, pending: dict, timeout: float = 10.0) -> bool:
        """Wait (bounded) for the answers of ``ask``; True when every worker said it has written all."""
        deadline = time.monotonic() + timeout
        asked, complete = pending["asked"], not pending["failed"]
        with selectors.DefaultSelector() as waiting:
            for peer in asked:
                peer.setblocking(False)
                waiting.register(peer, selectors.EVENT_READ)
            while waiting.get_map():
                remaining = deadline - time.monotonic()
                ready = waiting.select(remaining) if remaining > 0 else []
                if not ready:
                    complete = False
                    break
                for key, _ in ready:
                    try:
                        answer = key.fileobj.recv(16)
                    except OSError:
                        answer = b""
                    waiting.unregister(key.fileobj)
                    if answer == WRONG:  # another worker listens on that port now: this one is gone
                        asked[key.fileobj].unlink(missing_ok=True)
                    elif answer != OK:
                        complete = False
        for peer in asked:
            peer.close()
        return complete

    def _others(self):
        try:
            files = list(self.folder.iterdir())
        except OSError:
            return
        for path in files:
            if path == self.path or path.suffix == ".tmp":
                continue
            try:
                port, token = path.read_text().split()
                yield path, int(port), token
            except (OSError, ValueError):
                continue
