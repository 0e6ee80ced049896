"""Server-sent events for a DMS page waiting on a declaration: the state is pushed as soon as the
centralisateur's callback is stored (``notify``), instead of the page polling on a timer.

    return events.stream(app, read_state, is_final)   # a view's body: text/event-stream

The stream sends the current state at once, then each new one; it ends on a final state or after
``MAX_STREAM`` seconds (the browser's EventSource reconnects). A callback stored by another process
(gunicorn workers) is seen by re-reading every ``RECHECK`` seconds (the app's ``STREAM_RECHECK_SECONDS``
when set); a page that cannot open a stream
(old browser, or too many streams: a ``busy`` event) falls back to polling its JSON state.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

from flask import Flask, Response, stream_with_context

MAX_STREAM = 60.0     # seconds a stream stays open before the browser reconnects
RECHECK = 2.0         # seconds between re-reads when no notification came (other processes)
MAX_STREAMS = 4       # a stream holds a server thread (waitress has 8): the others poll instead
PREFIX = "/flux/"     # streams live under this prefix, which the journal leaves out (long-lived)


class _Changes:
    """A counter bumped on every stored callback, and the streams of this app waiting on it."""

    def __init__(self):
        self.version = 0
        self.closings = 0   # bumped when the app's server stops: the streams open then end
        self.condition = threading.Condition()
        self.slots = threading.BoundedSemaphore(MAX_STREAMS)

    def close_streams(self) -> None:
        """End every open stream now (the server stops): a stream waits otherwise until its next
        writes find the tab gone, and the server's stop waits for it (the browser reconnects)."""
        with self.condition:
            self.closings += 1
            self.condition.notify_all()

    def bump(self) -> None:
        with self.condition:
            self.version += 1
            self.condition.notify_all()

    def wait(self, seen: int, timeout: float, closings: int) -> int:
        with self.condition:
            self.condition.wait_for(lambda: self.version != seen or self.closings != closings, timeout)
            return self.version


def _changes(app: Flask) -> _Changes:
    changes = app.extensions.get("dms_state_changes")
    if changes is None:
        changes = app.extensions.setdefault("dms_state_changes", _Changes())
        # common.serve.AppServer.stop calls these before it waits for the requests under way
        app.extensions.setdefault("before_server_stop", []).append(changes.close_streams)
    return changes


def notify(app: Flask) -> None:
    """A declaration's state was stored: wake this app's streams."""
    _changes(app).bump()


def stream(app: Flask, read_state: Callable[[], dict], is_final: Callable[[dict], bool],
           refresh: Callable[[], None] | None = None, refresh_every: float = 10.0) -> Response:
    """A ``text/event-stream`` of ``read_state()`` (a JSON object, read afresh each time: no
    long-lived snapshot), one ``data:`` event per change. ``refresh`` (asking the centralisateur,
    for a callback that never comes) runs every ``refresh_every`` seconds."""
    changes = _changes(app)
    # a re-read also writes to the tab: a closed one is noticed (its slot freed) within ~2 of them
    recheck = float(app.config.get("STREAM_RECHECK_SECONDS", RECHECK))

    def events():
        if not changes.slots.acquire(blocking=False):  # the page polls instead
            yield "event: busy\ndata: {}\n\n"
            return
        try:
            sent, deadline, refreshed = None, time.monotonic() + MAX_STREAM, time.monotonic()
            seen, closings = changes.version, changes.closings
            yield "retry: 1000\n\n"
            while True:
                state = read_state()
                if state != sent:
                    sent = state
                    yield f"data: {json.dumps(state, ensure_ascii=False)}\n\n"
                else:
                    yield ": \n\n"  # a comment: a closed tab is noticed at this write, its thread freed
                if is_final(state) or time.monotonic() >= deadline or changes.closings != closings:
                    return
                if refresh is not None and time.monotonic() - refreshed >= refresh_every:
                    refresh()
                    refreshed = time.monotonic()
                    continue
                seen = changes.wait(seen, recheck, closings)
        finally:
            changes.slots.release()

    return Response(stream_with_context(events()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
