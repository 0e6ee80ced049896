"""``/healthz`` and ``/readyz`` on every app; ``spoticar-harness serve`` and ``up --processes`` under
gunicorn, as an operator runs them."""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from common.peer_limits import SERVER_MESSAGES
from harness.runner import Stack
from harness.serving import free_port, serve_command, wait_healthy
from tests.security.test_malformed_http import _exchange
from tests.up_process import read_until_ready, start_up, two_free_ports_below_the_ephemeral_range




def _children(pid: int, wanted: int, seconds: float = 30.0) -> int:
    """How many child processes ``pid`` has, waiting (bounded) until it has ``wanted``."""
    deadline = time.monotonic() + seconds
    while True:
        found = len(subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split())
        if found == wanted or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_every_app_is_alive_and_ready(stack):
    for name in [*stack.apps, *stack.external_urls]:
        assert httpx.get(stack.url(name) + "/healthz").json() == {"status": "ok"}
        ready = httpx.get(stack.url(name) + "/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["database"] == "ok"
    assert httpx.get(stack.url("centralisateur") + "/readyz").json()["checks"]["icare"] == "ok"


def test_readyz_names_a_needed_app_that_does_not_answer(tmp_path):
    gone = f"http://127.0.0.1:{free_port()}"
    with Stack(tmp_path, names=["centralisateur"], external_urls={"icare": gone}) as stack:
        assert httpx.get(stack.url("centralisateur") + "/healthz").status_code == 200
        ready = httpx.get(stack.url("centralisateur") + "/readyz")
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["database"] == "ok"
        assert body["checks"]["icare"].startswith("injoignable")


def test_advertised_host_is_in_every_url_the_stack_hands_out(tmp_path, factory):
    with Stack(tmp_path, names=["centralisateur", "icare"], advertise_host="localhost") as stack:
        assert stack.url("centralisateur").startswith("http://localhost:")
        receipt = httpx.post(stack.url("centralisateur") + "/api/v1/handoffs", json=factory.handoff(),
                             headers={"Authorization": "Bearer demo-tec3h"}).json()
        assert receipt["declaration_url"].startswith(stack.url("centralisateur") + "/declaration/")
        assert httpx.get(stack.url("centralisateur") + "/readyz").json()["checks"]["icare"] == "ok"


def test_serve_runs_one_app_under_gunicorn_with_its_workers(tmp_path, factory):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = serve_command("centralisateur", f"127.0.0.1:{port}", workers=2, data_dir=tmp_path, seed=0,
                            demo=True, urls={"icare": f"http://127.0.0.1:{free_port()}"})
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_healthy(url, 60, process)
        assert _children(process.pid, 2) == 2  # the first worker may answer before the second is forked
        assert httpx.get(url + "/connexion").status_code == 200
        assert httpx.get(url + "/readyz").status_code == 503  # Icare is not running
        key = {"Authorization": "Bearer demo-tec3h"}
        assert httpx.get(url + "/api/v1/declarations/SP0", headers=key).status_code == 404
        # a request line past gunicorn's default (4,094 bytes) reaches the app, as under waitress
        long = httpx.get(url + "/__admin/journal", params={"limit": "1" * 5000})
        assert long.status_code == 400 and long.json()["errors"][0]["field"] == "limit", long.text[:200]
        for request, expected in ((b"GET\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400),
                                  (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                                  # answered and closed at once: not kept open to drain a body never used
                                  (b"POST /api/v1/handoffs HTTP/1.1\r\nHost: x\r\nContent-Length: " + b"9" * 30
                                   + b"\r\n\r\n", 413)):
            status, _head, body = _exchange(url, request)  # gunicorn's own refusals, in French too
            assert status == expected and SERVER_MESSAGES[expected] in body.decode(), (request[:40], body)
        # a malformed chunked body is the server's French 400, as under waitress — not a 500 from the view
        # reading it (gunicorn parses chunks only as the app reads them)
        for path in (b"/api/v1/handoffs", b"/connexion"):
            for chunks in (b"zz\r\nabc\r\n0\r\n\r\n", b"3\r\nabcdef"):
                status, _head, body = _exchange(url, b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nAuthorization: "
                                                b"Bearer demo-tec3h\r\nContent-Type: application/json\r\n"
                                                b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
                assert status == 400 and SERVER_MESSAGES[400] in body.decode(), (path, chunks, body)
        payload = json.dumps(factory.handoff()).encode()
        sent = httpx.post(url + "/api/v1/handoffs", content=iter([payload[:100], payload[100:]]),  # chunked
                          headers={**key, "Content-Type": "application/json"})
        assert sent.status_code == 201, sent.text
        big = httpx.post(url + "/api/v1/handoffs", json=factory.handoff(seller="x" * (2 * 1024 * 1024)), headers=key)
        assert big.status_code == 413 and big.json()["errors"][0]["message"] == SERVER_MESSAGES[413]  # the API's own
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()


def test_up_processes_starts_each_app_in_its_own_server(tmp_path):
    offset = two_free_ports_below_the_ephemeral_range() - 8000
    process = start_up("--processes", "--workers", "1", "--only", "centralisateur,icare", "--data-dir", str(tmp_path),
                       "--port-offset", str(offset))
    try:
        output = read_until_ready(process)
        assert "un processus gunicorn par application" in output, output
        assert "demo-tec3h" in output
        central = f"http://127.0.0.1:{8000 + offset}"
        ready = httpx.get(central + "/readyz")
        assert ready.json() == {"status": "ok", "checks": {"database": "ok", "icare": "ok"}}
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        with pytest.raises(httpx.ConnectError):
            httpx.get(central + "/healthz")
    finally:
        process.kill()


def test_up_processes_honours_config_and_test_routes(tmp_path, factory, monkeypatch, capsys):
    """``up --processes --config``: a real deployment, one gunicorn server per app, dealers and keys
    from the file (demo keys refused); ``--test-routes`` and ``--any-port`` as in-process ``up``."""
    from harness.state import read_state, read_test_key
    from tests.certification.test_onboarding import _onboard
    config = tmp_path / "spoticar.toml"
    key, dealer = _onboard(config, factory, monkeypatch, capsys)
    monkeypatch.delenv("SPOTICAR_TEST_ROUTES_KEY", raising=False)  # up generates one
    process = start_up("--processes", "--workers", "1", "--only", "centralisateur,icare", "--data-dir",
                       str(tmp_path / "data"), "--any-port", "--config", str(config), "--test-routes")
    try:
        output = read_until_ready(process)
        assert "un processus gunicorn par application" in output, output
        assert "demo-tec3h" not in output  # real mode: no demo keys printed, none accepted
        urls = read_state(tmp_path / "data")
        central = urls["centralisateur"]
        body = factory.handoff(rrdi=dealer["rrdi"])
        created = httpx.post(central + "/api/v1/handoffs", json=body, timeout=30,
                             headers={"Authorization": f"Bearer {key}"})
        assert created.status_code == 201, created.text
        refused = httpx.post(central + "/api/v1/handoffs", json=body, timeout=30,
                             headers={"Authorization": "Bearer demo-tec3h"})
        assert refused.status_code == 401
        bdc = created.json()["bdc_number"]
        # test routes on, outside demo mode behind the key up generated for every gunicorn server
        assert httpx.get(f"{central}/__test__/declarations/{bdc}", timeout=30).status_code == 401
        test_key = read_test_key(tmp_path / "data")
        assert test_key and (tmp_path / "data" / "stack.json").stat().st_mode & 0o077 == 0
        stored = httpx.get(f"{central}/__test__/declarations/{bdc}", timeout=30,
                           headers={"X-Spoticar-Test-Key": test_key})
        assert stored.status_code == 200 and stored.json()["status"] == "pending", stored.text
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()


def test_connections_opened_at_once_are_spread_over_the_workers(tmp_path):
    """Eight connections opened together to 2 workers × 2 threads, each request at work 0.3 s: gunicorn
    left each to whichever worker woke first (often one worker took them all and served them with its
    2 threads, the other idle); a worker whose threads are all at work now leaves the next ones to the
    other. Idle keep-alive connections do not count: a worker holding them takes a new one at once."""
    port = free_port()
    root = Path(__file__).resolve().parents[1]
    server = subprocess.Popen([sys.executable, "-m", "tests.pid_app", f"127.0.0.1:{port}", "2", "2"], cwd=root,
                              env={**os.environ, "PYTHONPATH": str(root)})

    try:
        wait_healthy(f"http://127.0.0.1:{port}", 60, server)
        assert _children(server.pid, 2) == 2
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(8)]
        for connection in connections:  # each request sent as soon as its connection is open
            connection.request("GET", "/pid?sleep=0.3")
        pids = [_pid(connection) for connection in connections]
        served = sorted(pids.count(pid) for pid in set(pids))
        assert len(served) == 2 and served[0] >= 2, f"connexions par worker : {served}"
        # the eight stay open, idle between two requests: they hold no thread, a new connection is served
        late = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        late.request("GET", "/pid")
        assert _pid(late) in pids
        for connection in [*connections, late]:
            connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def _pid(connection: http.client.HTTPConnection) -> str:
    """The worker that answered the request sent on ``connection`` (kept open)."""
    answer = connection.getresponse()
    body = answer.read().decode()
    assert answer.status == 200, body
    return body
