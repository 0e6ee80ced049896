"""A centralisateur and an Icare for the certification suites (Icare with its test routes, so a
session can put its dealer under convention and inject an outage)."""
from __future__ import annotations

import hashlib
import json
import time
import zipfile

import httpx
import pytest

from harness.cli import main
from harness.runner import Stack
from certification import dealer
from certification.attestation import fingerprint
from spoticar_handoff.tls import tls_context
from examples.vendor_dms import CallbackServer


@pytest.fixture(scope="module")
def callback_server():
    """The outside DMS's callback endpoint (one origin, allowed by the CDS operator's configuration)."""
    server = CallbackServer()
    yield server
    server.close()


def certification_stack(data_dir, callback_server: CallbackServer, **centralisateur) -> Stack:
    """A centralisateur and an Icare for certification sessions (not started yet), calling back
    ``callback_server`` only; ``centralisateur``: more of its configuration (e.g. the journal's)."""
    origins = {dms: [callback_server.origin] for dms in ("tec3h", "pvo2", "neovo", "bee2link")}
    return Stack(data_dir, names=["centralisateur", "icare"],
                 extra_config={"centralisateur": {"TEST_ROUTES": True, "WORKER_INTERVAL": 0.1,
                                                  "ICARE_TIMEOUT": 2.0, "CERTIFICATION_RATE_PER_SECOND": 10,
                                                  # 0.5 s without a resend after a refusal, not 2 s:
                                                  # four refusal scenarios per session each wait it out
                                                  "CERTIFICATION_SETTLE_SECONDS": 0.5,
                                                  # 6 s of closing observation, not 30 s: with ~17
                                                  # sessions played at once in this process on 2 busy
                                                  # cores, a faulty DMS's resend at the observation's
                                                  # start took more than 3 s to land
                                                  "CERTIFICATION_OBSERVE_SECONDS": 6.0,
                                                  "RETRY_FIRST_SECONDS": 0.2,   # the Icare outage scenario
                                                  "DMS_CALLBACK_ORIGINS": origins, **centralisateur},
                               "icare": {"TEST_ROUTES": True}})


@pytest.fixture(scope="module")
def cds(tmp_path_factory, callback_server):
    with certification_stack(tmp_path_factory.mktemp("certification"), callback_server) as stack:
        yield stack


def open_session(stack, dms: str = "tec3h", **extra) -> dict:
    """A certification session opened as a vendor does (JSON), with its key."""
    response = httpx.post(stack.url("centralisateur") + "/certification/sessions", verify=tls_context(),
                          json={"dms": dms, "wait_seconds": 60, **extra}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def judged(session: dict, scenario_id: str) -> dict:
    """The session (JSON, with its key) once ``scenario_id`` has its verdict: a hand-off scenario waits a
    few quiet seconds (``CERTIFICATION_SETTLE_SECONDS``) for a second order of the same sale."""
    deadline = time.monotonic() + 30
    while True:
        state = httpx.get(session["url"], verify=tls_context(), timeout=20, headers={
            "Accept": "application/json", "Authorization": f"Bearer {session['key']}"}).json()
        status = next(s["status"] for s in state["scenarios"] if s["id"] == scenario_id)
        if status != "waiting" or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def dealer_declares(declaration_url: str, sale: dict) -> None:
    """The tester's part in the centralisateur: page 1/3, complete form 2/3, « Déclarer et Garantir »."""
    page = dealer.declare(declaration_url, sale)
    assert "Votre demande a été effectuée avec succès" in page, page[:2000]


def _forge(out, name: str, edit) -> object:
    """A copy of ``out/evidence.zip`` whose report.json ``edit`` changed, fingerprint and manifest
    recomputed as a forger would."""
    with zipfile.ZipFile(out / "evidence.zip") as archive:
        files = {n: archive.read(n) for n in ("report.json", "report.html", "junit.xml", "evidence.har")}
    report = json.loads(files["report.json"])
    edit(report)
    report["fingerprint"] = fingerprint(report)
    files["report.json"] = json.dumps(report).encode()
    forged = out / name
    with zipfile.ZipFile(forged, "w") as archive:
        for file_name, data in files.items():
            archive.writestr(file_name, data)
        archive.writestr("manifest.json", json.dumps({"files": {n: hashlib.sha256(d).hexdigest()
                                                                for n, d in files.items()}}))
    return forged


def _leave_out_an_exchange(report: dict) -> None:
    report["scenarios"][0]["evidence"] = report["scenarios"][0]["evidence"][:-1]


def _pass_a_failure(report: dict) -> None:
    report["scenarios"][-1]["status"] = "failed" if report["scenarios"][-1]["status"] != "failed" else "passed"


def verify_then_forge(url: str, out, capsys) -> None:
    """The CDS operator checks the zip against the centralisateur: authentic; then an exchange left out,
    or a verdict edited (manifest recomputed, as a forger would), is caught."""
    capsys.readouterr()
    assert main(["certify", "verify", str(out / "evidence.zip"), "--url", url]) == 0
    assert "Rapport authentique" in capsys.readouterr().out
    for name, edit, says in (("trimmed.zip", _leave_out_an_exchange, "(échanges différents)"),
                             ("edited.zip", _pass_a_failure, "(verdicts différents : ")):
        assert main(["certify", "verify", str(_forge(out, name, edit)), "--url", url]) == 3
        printed = capsys.readouterr().out
        assert "NON CONFORME : Le rapport ne correspond pas à ce que le centralisateur a enregistré" in printed
        assert says in printed, printed


def resealed(out, name: str, edit) -> object:
    """A copy of ``out/evidence.zip`` whose members (name → bytes) ``edit`` changed, then manifest.json and
    SHA256SUMS written again over the files left, as ``tamper.py`` (an outsider's) does."""
    with zipfile.ZipFile(out / "evidence.zip") as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    edit(files)
    if "manifest.json" in files:
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = {n: hashlib.sha256(files[n]).hexdigest() for n in manifest["files"] if n in files}
        files["manifest.json"] = json.dumps(manifest, indent=2).encode()
        files["SHA256SUMS"] = "".join(f"{d}  {n}\n" for n, d in manifest["files"].items()).encode()
    forged = out / name
    with zipfile.ZipFile(forged, "w") as archive:
        for file_name, data in files.items():
            archive.writestr(file_name, data)
    return forged
