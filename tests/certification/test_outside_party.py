"""docs/certification.md followed as an outside certifier would: a deployment file, ``up --config``
(real mode) in another process, a session opened over HTTP, a vendor's DMS (nothing of ours) playing the
plan, ``certify report``, then ``certify verify`` on the zip handed over."""
from __future__ import annotations

import re
import subprocess

import httpx
import pytest

from harness.cli import main
from tests.certification.conftest import dealer_declares
from tests.certification.outside_dms import CallbackServer, OutsideDms
from tests.up_process import read_until_ready, start_up, stop

pytestmark = pytest.mark.centralisateur


def _up(config, data_dir) -> tuple[subprocess.Popen, str]:
    process = start_up("--config", str(config), "--only", "centralisateur,icare", "--test-routes", "--any-port",
                       "--data-dir", str(data_dir))
    output = read_until_ready(process)
    return process, re.search(r"Centralisateur.*?(http://127\.0\.0\.1:[0-9]+)", output).group(1)


def test_a_certifier_certifies_someone_elses_dms_in_real_mode(tmp_path, capsys, monkeypatch):
    server = CallbackServer()   # the vendor's staging DMS, on its own address
    config = tmp_path / "spoticar.toml"
    config.write_text('icare_service_key = "a-long-random-service-key-for-icare"\n')
    monkeypatch.setenv("NEOVO_KEY", "sk-neovo-production-key-0123456789")
    assert main(["keys", "add", "--config", str(config), "--dms", "neovo", "--key-env", "NEOVO_KEY",
                 "--callback-origin", server.origin]) == 0
    process, url = _up(config, tmp_path / "var")
    try:
        assert main(["certify", "start", "--dms", "neovo", "--url", url, "--wait", "60"]) == 0
        printed = capsys.readouterr().out
        session_id = re.search(r"Session de certification (cs_\w+)", printed).group(1)
        key = re.search(r"Clé d'API de session (\S+)", printed).group(1)
        dms = OutsideDms(f"{url}/certification/sessions/{session_id}", key, server)
        try:
            final = dms.run(dealer_declares)
        finally:
            dms.close()
        assert {s["status"] for s in final["scenarios"]} == {"passed"}, final["scenarios"]
        assert main(["certify", "report", session_id, "--url", url, "--key", key, "--out", str(tmp_path / "r")]) == 0
        assert main(["certify", "verify", str(tmp_path / "r" / "evidence.zip"), "--url", url]) == 0
        assert f"Rapport authentique : session {session_id} du DMS neovo" in capsys.readouterr().out
        # a dealer's production key is no session key: it reads nothing of the session
        assert httpx.get(f"{url}/certification/sessions/{session_id}", timeout=30, headers={
            "Accept": "application/json", "Authorization": "Bearer sk-neovo-production-key-0123456789"}
                         ).status_code == 403
    finally:
        stop(process)
        server.close()
