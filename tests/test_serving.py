"""``/healthz`` and ``/readyz`` on every app; ``spoticar-harness serve`` and ``up --processes`` under
gunicorn, as an operator runs them."""
from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx
import pytest

from harness.runner import Stack
from harness.serving import serve_command, wait_healthy


def free_port() -> int:
    """A port the OS says is free now (gunicorn is given a fixed bind address)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_every_app_is_alive_and_ready(stack):
    for name in stack.apps:
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


def test_serve_runs_one_app_under_gunicorn_with_its_workers(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = serve_command("centralisateur", f"127.0.0.1:{port}", workers=2, data_dir=tmp_path, seed=0,
                            demo=True, urls={"icare": f"http://127.0.0.1:{free_port()}"})
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_healthy(url, 60, process)
        workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True)
        assert len(workers.stdout.split()) == 2
        assert httpx.get(url + "/connexion").status_code == 200
        assert httpx.get(url + "/readyz").status_code == 503  # Icare is not running
        key = {"Authorization": "Bearer demo-tec3h"}
        assert httpx.get(url + "/api/v1/declarations/SP0", headers=key).status_code == 404
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        process.kill()


def test_up_processes_starts_each_app_in_its_own_server(tmp_path):
    offset = free_port() - 8000  # two consecutive free ports are very likely from here
    process = subprocess.Popen([sys.executable, "-m", "harness.cli", "up", "--processes", "--workers", "1",
                                "--only", "centralisateur,icare", "--data-dir", str(tmp_path),
                                "--port-offset", str(offset)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C pour arrêter." in line:
                break
        output = "".join(lines)
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
