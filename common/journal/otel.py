"""Optional OpenTelemetry export of journal entries as spans, for users who run a collector.

Only when ``OTEL_EXPORTER_OTLP_ENDPOINT`` is set (the standard variable; ``OTEL_EXPORTER_OTLP_*`` and
``OTEL_*`` settings apply as usual): this module is not even imported otherwise. It needs the ``otel``
extra (``opentelemetry-sdk``, ``opentelemetry-exporter-otlp-proto-http``). Each entry becomes one span
of the entry's trace (SERVER for ``in``, CLIENT for ``out``), named ``METHOD path``, with the HTTP
attributes, the app as ``service.name`` and the numéro de BDC as ``spoticar.bdc``; bodies and headers
stay in the journal.
"""
from __future__ import annotations

import datetime as dt
import logging

log = logging.getLogger("spoticar.journal")


class SpanExporter:
    """One OpenTelemetry tracer provider per app, exporting over OTLP/HTTP in batches."""

    def __init__(self, app_name: str, built=None):
        self._built = built  # waits for the journal's writer to build (and so export) what it holds
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        self.provider = TracerProvider(resource=Resource.create({"service.name": app_name}))
        self.provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        self.tracer = self.provider.get_tracer("spoticar-harness.journal")

    def export(self, app_name: str, fields: dict, request: dict, response: dict) -> None:
        """Emit one finished span for a journal entry (never raises)."""
        from opentelemetry import trace
        from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, TraceFlags
        try:
            parent = SpanContext(trace_id=int(fields["trace_id"], 16), span_id=int(fields["span_id"], 16),
                                 is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED))
            start = int(fields["time"].replace(tzinfo=dt.UTC).timestamp() * 1e9)
            end = start + int((fields.get("duration_ms") or 0) * 1e6)
            span = self.tracer.start_span(
                f"{fields['method']} {fields['path']}", context=trace.set_span_in_context(NonRecordingSpan(parent)),
                kind=SpanKind.CLIENT if fields["direction"] == "out" else SpanKind.SERVER, start_time=start,
                attributes={"http.request.method": fields["method"], "url.full": fields["url"],
                            "http.response.status_code": fields.get("status") or 0,
                            "spoticar.app": app_name, "spoticar.direction": fields["direction"],
                            **({"spoticar.bdc": fields["bdc"]} if fields.get("bdc") else {})})
            span.end(end_time=end)
        except Exception:  # a collector problem never reaches the app
            log.warning("journal : span OpenTelemetry non exporté", exc_info=True)

    def flush(self, timeout_ms: int = 10000) -> bool:
        """Export every span of the entries answered before this call (the journal's writer exports an
        entry as it builds it: it is flushed first)."""
        if self._built is not None:
            self._built(timeout_ms / 1000)
        return self.provider.force_flush(timeout_ms)


def install(journal) -> None:
    """Give ``journal`` an exporter; without the SDK installed, say so once and go on."""
    try:
        journal.exporter = SpanExporter(journal.name, journal.flush_local)
    except ImportError:
        log.warning("OTEL_EXPORTER_OTLP_ENDPOINT est défini mais opentelemetry-sdk et "
                    "opentelemetry-exporter-otlp-proto-http ne sont pas installés : pas d'export "
                    "(pip install 'spoticar-harness[otel]').")
