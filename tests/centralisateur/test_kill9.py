"""Durable once answered (SPEC §3: the hand-off is idempotent and never lost): a centralisateur killed
with SIGKILL while DMSs hand off sales at once keeps every hand-off it answered 201 for, with the same
numéro de BDC, and a sale sent again after the restart — answered or not before the kill — is one
hand-off, never a second BDC. Through HTTP only, against ``up`` in a process of its own."""
from __future__ import annotations

import re
import signal
import threading

import httpx

from fixtures.factories import Factory
from spoticar_handoff import HandoffClient
from spoticar_handoff.errors import CentralisateurUnavailable
from tests.up_process import read_until_ready, start_up, stop

SENDERS = 6
KILL_AFTER = 40   # answered hand-offs before the kill (the others are in flight or not sent yet)


def _up(data_dir):
    process = start_up("--only", "centralisateur", "--any-port", "--data-dir", str(data_dir))
    url = re.search(r"Centralisateur.*?(http://\S+)", read_until_ready(process)).group(1)
    return process, url


def _sender(url: str, payloads: list[dict], answered: dict, enough: threading.Event) -> None:
    """Send ``payloads`` one after the other until the server is gone; note each 201's BDC."""
    with HandoffClient(url, "demo-tec3h", http=httpx.Client(timeout=30)) as client:
        for payload in payloads:
            try:
                receipt = client.send(payload)
            except CentralisateurUnavailable:
                return  # killed: this one may or may not have been stored
            answered[payload["dms_order_ref"]] = receipt.bdc_number
            if len(answered) >= KILL_AFTER:
                enough.set()


def test_a_kill_9_loses_no_answered_hand_off_and_makes_no_second_bdc(tmp_path):
    factory = Factory(91)
    payloads = [factory.handoff(dms_order_ref=f"K9-{n:04d}", callback_url=None) for n in range(SENDERS * 40)]
    process, url = _up(tmp_path)
    answered: dict[str, str] = {}
    enough = threading.Event()
    senders = [threading.Thread(target=_sender, args=(url, payloads[n::SENDERS], answered, enough))
               for n in range(SENDERS)]
    try:
        for sender in senders:
            sender.start()
        assert enough.wait(120), f"{len(answered)} hand-offs answered"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        for sender in senders:
            sender.join(60)
    finally:
        process.kill()
    kept = dict(answered)  # what the DMSs were told before the kill

    process, url = _up(tmp_path)
    try:
        with HandoffClient(url, "demo-tec3h", http=httpx.Client(timeout=30)) as client:
            for ref, bdc in kept.items():  # answered: stored, under the same numéro
                assert client.status(bdc).bdc_number == bdc, ref
            numbers = {payload["dms_order_ref"]: client.send(payload).bdc_number for payload in payloads}
            for ref, bdc in kept.items():  # sent again: the same hand-off, not a second one
                assert numbers[ref] == bdc, ref
            assert len(set(numbers.values())) == len(payloads)  # one BDC per sale, whatever the kill cut
    finally:
        stop(process)
