"""Under ``spoticar-harness up --processes`` each gunicorn worker holds its own journal writer: a read
served by one worker still lists every exchange answered before it, whichever worker answered it."""
from __future__ import annotations

import concurrent.futures as cf
import secrets

import httpx
import pytest

from harness.state import read_state
from tests.up_process import read_until_ready, start_up, stop

pytestmark = pytest.mark.centralisateur

ROUNDS, REQUESTS = 6, 16


@pytest.fixture
def two_workers(tmp_path):
    """The centralisateur alone, started by ``up --processes`` with two gunicorn workers; its URL."""
    process = start_up("--processes", "--workers", "2", "--only", "centralisateur", "--data-dir", str(tmp_path),
                       "--any-port")
    try:
        output = read_until_ready(process)
        assert "un processus gunicorn par application" in output, output
        yield read_state(tmp_path)["centralisateur"]
    finally:
        stop(process)


def test_a_journal_read_lists_every_exchange_answered_before_it_on_any_worker(two_workers):
    def visit(parent: str) -> int:
        # a connection of its own each time: the two workers share the listening socket
        return httpx.get(two_workers + "/connexion", headers={"traceparent": parent}, timeout=30).status_code

    for _ in range(ROUNDS):
        trace = secrets.token_hex(16)
        parents = [f"00-{trace}-{secrets.token_hex(8)}-01" for _ in range(REQUESTS)]
        with cf.ThreadPoolExecutor(4) as pool:
            assert set(pool.map(visit, parents)) == {200}
        read = httpx.get(two_workers + "/__admin/journal", params={"trace": trace}, timeout=30)
        assert read.status_code == 200, read.text
        seen = [(e["direction"], e["method"], e["path"], e["status"]) for e in read.json()["entries"]]
        assert seen == [("in", "GET", "/connexion", 200)] * REQUESTS, seen


def test_a_reader_asks_the_live_workers_and_forgets_the_gone_ones(tmp_path):
    from harness.serving import free_port
    from common.journal.peers import Peers
    flushed = []
    live = Peers(tmp_path, lambda timeout: flushed.append(timeout) or True).start()
    (tmp_path / "999999-1").write_text(f"{free_port()} {secrets.token_hex(16)}\n")  # nobody listens
    impostor = tmp_path / "999998-2"  # its port was taken by another worker: a token nobody holds
    impostor.write_text(f"{live.path.name.split('-')[1]} {secrets.token_hex(16)}\n")
    reader = Peers(tmp_path, lambda timeout: True).start()
    try:
        assert reader.wait(reader.ask()) is True
        assert flushed == [10.0]  # the live worker flushed once; to the impostor's token it said "wrong"
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.path.name, reader.path.name])
    finally:
        live.close()
        reader.close()
    assert list(tmp_path.iterdir()) == []
