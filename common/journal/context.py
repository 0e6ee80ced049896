"""W3C Trace Context (``traceparent``/``tracestate``) for one hop, kept in a context variable.

Parsing is OpenTelemetry's propagator (the reference implementation of the spec); ``tracestate`` is
carried over byte for byte, as the spec asks of a participant that does not add its own entry.
"""
from __future__ import annotations

import contextlib
import contextvars
import random
from collections.abc import Iterator
from dataclasses import dataclass

MAX_TRACESTATE = 512  # the spec lets a vendor drop a tracestate longer than this


# Ids as OpenTelemetry's SDK makes them (``RandomIdGenerator``): ``random.getrandbits``, not the OS's
# entropy — two system calls a request for ids that name a trace and authorise nothing. (``random``
# is seeded anew in a forked worker.) All zeros is invalid (W3C): drawn again.
def new_trace_id() -> str:
    """32 hex digits, not all zeros."""
    bits = random.getrandbits(128)
    while not bits:
        bits = random.getrandbits(128)
    return f"{bits:032x}"


def new_span_id() -> str:
    """16 hex digits, not all zeros."""
    bits = random.getrandbits(64)
    while not bits:
        bits = random.getrandbits(64)
    return f"{bits:016x}"


@dataclass(frozen=True)
class TraceContext:
    """The trace a piece of work belongs to: ids in lower-case hex, ``tracestate`` as received."""

    trace_id: str
    span_id: str
    flags: str = "01"
    tracestate: str | None = None
    from_caller: bool = False  # True when the caller sent a valid traceparent

    def traceparent(self, span_id: str | None = None) -> str:
        """The ``traceparent`` header naming ``span_id`` (default: this context's span) as parent."""
        return f"00-{self.trace_id}-{span_id or self.span_id}-{self.flags}"

    def headers(self, span_id: str | None = None) -> dict[str, str]:
        """``traceparent`` (and ``tracestate`` when there is one) for an outgoing request."""
        out = {"traceparent": self.traceparent(span_id)}
        if self.tracestate:
            out["tracestate"] = self.tracestate
        return out

    def adopt(self, bound: tuple[str, str | None]) -> TraceContext:
        """The same hop moved into a declaration's trace ``(trace_id, tracestate)`` (a browser page,
        a background retry)."""
        trace_id, tracestate = bound
        # built directly: ``dataclasses.replace`` walks the fields' metadata, at every page of a declaration
        return TraceContext(trace_id, self.span_id, self.flags, tracestate or self.tracestate, self.from_caller)


def new_context() -> TraceContext:
    """A fresh trace, started here (the caller sent none, or a malformed one)."""
    return TraceContext(new_trace_id(), new_span_id())


def from_headers(traceparent: str | None, tracestate: str | None) -> TraceContext:
    """This hop's context: the caller's trace when its ``traceparent`` is valid, else a new trace.

    A malformed header is replaced, never refused (W3C §4.3: restart the trace)."""
    if not traceparent:
        return new_context()
    parent = _parent(traceparent.strip())
    if not parent.is_valid:
        return new_context()
    state = tracestate.strip() if tracestate else None
    if state and len(state) > MAX_TRACESTATE:
        state = None
    return TraceContext(format(parent.trace_id, "032x"), new_span_id(),
                        format(int(parent.trace_flags), "02x"), state or None, from_caller=True)


_OTEL = None  # (propagator's extract, get_current_span): imported at the first traceparent, not at start


def _parent(traceparent: str):
    """The span context OpenTelemetry's propagator reads from ``traceparent`` (invalid if malformed).
    OpenTelemetry is imported here, by the first request carrying one or ``up``'s warm-up (~4 ms of
    CPU every start did without)."""
    global _OTEL
    if _OTEL is None:
        from opentelemetry import trace
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
        _OTEL = (TraceContextTextMapPropagator().extract, trace.get_current_span)
    extract, current_span = _OTEL
    return current_span(extract({"traceparent": traceparent})).get_span_context()


_current: contextvars.ContextVar[TraceContext | None] = contextvars.ContextVar(
    "spoticar_trace", default=None)


def current() -> TraceContext | None:
    """The trace of the work under way in this thread (None outside a request or ``using``)."""
    return _current.get()


@contextlib.contextmanager
def using(context: TraceContext | None) -> Iterator[TraceContext | None]:
    """Run a block inside ``context`` (background jobs resuming a declaration's trace)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def join(trace_id: str) -> None:
    """Move the request under way into the trace ``trace_id`` (a link that carried it: the declaration
    link a DMS redirected the browser to), unless its caller sent a ``traceparent`` of its own."""
    ctx = _current.get()
    if ctx is not None and not ctx.from_caller and ctx.trace_id != trace_id:
        _current.set(ctx.adopt((trace_id, None)))


def set_current(context: TraceContext | None) -> None:
    """Replace this request's context in place (the request keeps it until its end)."""
    _current.set(context)
