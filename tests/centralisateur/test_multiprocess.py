"""Two centralisateur processes × two gunicorn workers on one PostgreSQL (a supported deployment):
every hand-off, declaration, Icare contract and callback exactly once, whichever worker gets it."""
from __future__ import annotations

import collections
import concurrent.futures as cf
import json
import os
import subprocess
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from flask import Flask, request

from common.serve import AppServer
from fixtures.factories import Factory
from harness.runner import Stack
from harness.serving import serve_command, stop_processes, wait_healthy
from spoticar_handoff.callbacks import DELIVERY_HEADER
from tests.centralisateur.support import CSRF_RE, form_values
from tests.test_serving import free_port
from spoticar_handoff.tls import tls_context

pytestmark = [pytest.mark.centralisateur, pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL requis (DATABASE_URL) : bash scripts/with-postgres.sh pytest …")]

SALES = 200  # each a race between the two processes; 40 of them also a double submission
KEY = {"Authorization": "Bearer demo-tec3h"}


class CallbackReceiver:
    """The DMS side: records every callback it is sent, keyed by bdc_number."""

    def __init__(self):
        self.received: dict[str, list[str]] = collections.defaultdict(list)
        self.deliveries: dict[str, set[str]] = collections.defaultdict(set)
        self.lock = threading.Lock()
        self.app = Flask("dms-callbacks")
        self.app.add_url_rule("/callback", "callback", self._callback, methods=["POST"])

    def _callback(self):
        state = json.loads(request.get_data())
        with self.lock:
            delivery = request.headers.get(DELIVERY_HEADER, "")
            if delivery not in self.deliveries[state["bdc_number"]]:  # a retry of one state keeps its id
                self.received[state["bdc_number"]].append(state["status"])
            self.deliveries[state["bdc_number"]].add(delivery)
        return "", 204

    def missing(self, bdcs) -> set[str]:
        with self.lock:
            return set(bdcs) - set(self.received)


def _on(url: str, base: str) -> str:
    """The same path on another process of the centralisateur."""
    target = urlsplit(base)
    return urlunsplit(urlsplit(url)._replace(scheme=target.scheme, netloc=target.netloc))


def _declare(link: str, bases: list[str], twice: bool) -> int:
    """Follow the DMS link on one process, choose on the other, submit the form on the first (and,
    when ``twice``, on both at once: a double submission across processes). The final status code."""
    first, second = bases
    with httpx.Client(verify=tls_context(), follow_redirects=True, timeout=60) as browser:
        page = browser.get(_on(link, first))
        token = CSRF_RE.search(page.text).group(1)
        page = browser.post(_on(str(page.url), second), data={
            "csrf_token": token, "programme": "SPOTICAR", "garantisseur": "stellantis"})
        assert page.url.path.endswith("/formulaire"), page.text[-800:]
        values = form_values(page.text)
        form_url = str(page.url)
        # the confirmation is not fetched: the callbacks and Icare's contracts say what was declared
        submit = lambda base: browser.post(_on(form_url, base), data=values, follow_redirects=False)
        if not twice:
            return submit(first).status_code
        with cf.ThreadPoolExecutor(2) as pool:
            return max(answer.status_code for answer in pool.map(submit, bases))


def _configure_profile(base: str) -> None:
    """The demo dealer does its Profil once (Stellantis as garantisseur), as in its first declaration."""
    with httpx.Client(verify=tls_context(), base_url=base, follow_redirects=True, timeout=30) as browser:
        page = browser.get("/connexion")
        browser.post("/connexion", data={"csrf_token": CSRF_RE.search(page.text).group(1),
                                         "email": "vo@axilog-demo.example.fr", "password": "demo-953617Z"})
        page = browser.get("/profil")
        assert page.url.path == "/profil", page.url
        page = browser.post("/profil", data={"csrf_token": CSRF_RE.search(page.text).group(1),
                                             "stellantis": "oui"})
        assert page.status_code == 200, page.text[-800:]


@pytest.fixture
def deployment(tmp_path):
    """Icare, a DMS callback receiver (the Tec3H of this deployment, so an allowed callback origin) and two ``serve centralisateur --workers 2`` processes."""
    icare = Stack(tmp_path / "icare", names=["icare"]).start()
    receiver = CallbackReceiver()
    dms = AppServer.bind(threads=16).mount(receiver.app).start()
    ports = [free_port(), free_port()]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    env = {**os.environ, "SPOTICAR_SECRET_KEY": "shared-test-secret-" + Path(tmp_path).name,
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    processes = []
    try:
        for index, port in enumerate(ports):
            processes.append(subprocess.Popen(serve_command(
                "centralisateur", f"127.0.0.1:{port}", workers=2, data_dir=tmp_path / f"p{index}", seed=0,
                demo=True, urls={"icare": icare.url("icare"), "tec3h": dms.url}), env=env))
            wait_healthy(bases[index], 60, processes[-1])
        _configure_profile(bases[1])
        yield bases, receiver, icare, dms
    finally:
        stop_processes(processes)
        dms.stop()
        icare.stop()


def test_two_processes_two_workers_do_everything_exactly_once(deployment):
    bases, receiver, icare, dms = deployment
    factory = Factory(16)
    handoffs = [factory.handoff(callback_url=dms.url + "/callback") for _ in range(SALES)]
    clients = [httpx.Client(verify=tls_context(), base_url=base, headers=KEY, timeout=60) for base in bases]

    def send(index: int) -> set[str]:
        # the same order to both processes at once: one hand-off, the same number from each
        with cf.ThreadPoolExecutor(2) as pair:
            answers = list(pair.map(lambda c: c.post("/api/v1/handoffs", json=handoffs[index]), clients))
        assert sorted(a.status_code for a in answers) == [200, 201], answers[0].text
        return {(a.json()["bdc_number"], a.json()["declaration_url"]) for a in answers}

    with cf.ThreadPoolExecutor(6) as pool:
        receipts = list(pool.map(send, range(SALES)))
    assert all(len({bdc for bdc, _ in pair}) == 1 for pair in receipts)
    links = {bdc: url for pair in receipts for bdc, url in pair}
    assert len(links) == SALES

    with cf.ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(lambda item: _declare(item[1][1], bases[::1 if item[0] % 2 else -1],
                                                    twice=item[0] % 5 == 0),
                              enumerate(links.items())))
    assert set(codes) == {303}

    with httpx.Client(verify=tls_context(), base_url=icare.url("icare"), timeout=30,
                      headers={"Authorization": "Bearer demo-icare-service"}) as icare_api:
        contracts = {bdc: icare_api.get("/api/v1/contracts", params={"bdc_number": bdc}).json()["contracts"]
                     for bdc in links}
    assert all(len(found) == 1 for found in contracts.values())

    # every callback arrives, each state once: a DMS dedupes on X-Spoticar-Delivery (a retry after a
    # timed-out answer keeps the id), so one id per sale is what "once" means over HTTP. Give the four
    # workers their polling time, bounded: a delivery that timed out on a loaded machine waits its
    # lease (30 s) and back-off.
    import time
    deadline = time.monotonic() + 240
    while receiver.missing(links) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)  # a second state would come from another worker's next pass (interval 1 s)
    assert receiver.missing(links) == set()
    assert {bdc: ids for bdc, ids in receiver.deliveries.items() if len(ids) != 1} == {}
    assert {bdc: states for bdc, states in receiver.received.items() if states != ["declared"]} == {}
    for client in clients:
        client.close()
