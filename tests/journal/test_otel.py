"""Optional OpenTelemetry export: spans reach an OTLP/HTTP collector in the entry's trace when
OTEL_EXPORTER_OTLP_ENDPOINT is set; without it the SDK is not even imported."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from common.serve import AppServer

TRACE = "7df92f3577b34da6a3ce929d0e0e4736"


class Collector:
    """The smallest OTLP/HTTP trace receiver: keeps each ``POST /v1/traces`` body."""

    def __init__(self):
        self.bodies: list[bytes] = []

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if environ["PATH_INFO"] == "/v1/traces":
            self.bodies.append(environ["wsgi.input"].read(length))
        start_response("200 OK", [("Content-Type", "application/x-protobuf")])
        return [b""]

    def spans(self) -> list:
        from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
        found = []
        for body in self.bodies:
            request = ExportTraceServiceRequest.FromString(body)
            for resource in request.resource_spans:
                service = {a.key: a.value.string_value for a in resource.resource.attributes}["service.name"]
                found += [(service, span) for scope in resource.scope_spans for span in scope.spans]
        return found


def test_entries_are_exported_as_spans_of_their_trace(tmp_path, monkeypatch):
    pytest.importorskip("opentelemetry.sdk", reason="the otel extra is not installed")
    collector = Collector()
    with AppServer.bind().mount(collector) as server:
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", server.url)
        from centralisateur import create_app
        app = create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "URLS": {}})
        try:
            client = app.test_client()
            client.get("/connexion", headers={"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"}).close()
            assert app.extensions["journal"].exporter.flush()
        finally:
            app.extensions["harness_stop"]()
        [(service, span)] = [(s, span) for s, span in collector.spans() if span.trace_id.hex() == TRACE]
    assert service == "centralisateur" and span.name == "GET /connexion"
    attributes = {a.key: a.value for a in span.attributes}
    assert attributes["http.response.status_code"].int_value == 200
    assert span.end_time_unix_nano >= span.start_time_unix_nano > 0


def test_without_an_endpoint_the_sdk_is_not_imported(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    code = ("import sys; from centralisateur import create_app; "
            f"app = create_app({{'DATA_DIR': {str(tmp_path)!r}, 'DEMO_MODE': True, 'URLS': {{}}}}); "
            "app.test_client().get('/connexion').close(); "
            "print(sorted(m for m in sys.modules if m.startswith(('opentelemetry.sdk', 'opentelemetry.exporter'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
