"""docs/certification.md followed as an outside certifier and vendor would: a deployment file, ``up
--config`` (real mode) in another process, sessions opened with ``certify start``, the vendor's DMS
``examples/vendor_dms.py`` (Python's standard library only, nothing of ours) run as a program against
them — a sound one and one that skips the callback signature check (answering a test callback by
whatever is sent with it), at once — then ``certify report``
and, for the sound one, ``certify verify`` on the zip handed over."""
from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from examples.vendor_dms import dealer_declares
from harness.cli import main
from harness.serving import free_port
from tests.up_process import read_until_ready, start_up, stop

pytestmark = pytest.mark.centralisateur
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "vendor_dms.py"
PRODUCTION_KEY = "sk-neovo-production-key-0123456789"


def _free_ports(count: int) -> list[int]:
    # the DMS's callback origin goes into the deployment file before the stack starts
    return [free_port() for _ in range(count)]


def _up(config, data_dir) -> tuple[subprocess.Popen, str]:
    # 3 s of closing observation at each session's end, not 30 s (the suites' timers, tests/certification)
    process = start_up("--config", str(config), "--only", "centralisateur,icare", "--test-routes", "--any-port",
                       "--data-dir", str(data_dir), env={**os.environ, "SPOTICAR_CERTIFICATION_OBSERVE_SECONDS": "3"})
    output = read_until_ready(process)
    return process, re.search(r"Centralisateur.*?(http://127\.0\.0\.1:[0-9]+)", output).group(1)


def _session(url: str, capsys) -> tuple[str, str]:
    assert main(["certify", "start", "--dms", "neovo", "--url", url, "--wait", "60"]) == 0
    printed = capsys.readouterr().out
    # the report command printed is one to copy as is: with the centralisateur's address
    assert re.search(r"Rapport : spoticar-harness certify report cs_\w+ --out DIR --url " + re.escape(url), printed), \
        printed
    assert "ouverte pour le DMS neovo (plan spoticar-dms 1.0.0)" in printed  # as the guide and the report name it
    return (re.search(r"Session de certification (cs_\w+)", printed).group(1),
            re.search(r"Clé d'API de session (\S+)", printed).group(1))


def _vendor_dms(url: str, session: tuple[str, str], port: int, *faults: str) -> subprocess.Popen:
    session_id, key = session
    args = [f"--fault={fault}" for fault in faults]
    return subprocess.Popen([sys.executable, str(EXAMPLE), "--session", f"{url}/certification/sessions/{session_id}",
                             "--key", key, "--listen", f"127.0.0.1:{port}", "--deadline", "300", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_the_example_dms_imports_only_the_standard_library():
    imported = set()
    for node in ast.walk(ast.parse(EXAMPLE.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add(node.module.split(".")[0])
    assert imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names


def test_a_certifier_certifies_someone_elses_dms_in_real_mode(tmp_path, capsys, monkeypatch):
    sound_port, faulty_port = _free_ports(2)
    config = tmp_path / "spoticar.toml"
    config.write_text('icare_service_key = "a-long-random-service-key-for-icare"\n')
    monkeypatch.setenv("NEOVO_KEY", PRODUCTION_KEY)
    assert main(["keys", "add", "--config", str(config), "--dms", "neovo", "--key-env", "NEOVO_KEY",
                 "--callback-origin", f"http://127.0.0.1:{sound_port}",
                 "--callback-origin", f"http://127.0.0.1:{faulty_port}"]) == 0
    process, url = _up(config, tmp_path / "var")
    try:
        # the certifier picks the DMS by the name its users know (the code is what is sent)
        assert re.search(r'<option value="neovo"\s*>Reynolds Néo VO</option>',
                         httpx.get(f"{url}/certification", timeout=30).text)
        sound, faulty = _session(url, capsys), _session(url, capsys)
        players = [_vendor_dms(url, sound, sound_port), _vendor_dms(url, faulty, faulty_port, "ignore_signature",
                                                                    "answer_by_probe_header")]
        (sound_out, _), (faulty_out, _) = (player.communicate(timeout=400) for player in players)

        assert players[0].returncode == 0, sound_out
        assert "Session réussie" in sound_out and "failed" not in sound_out, sound_out
        assert main(["certify", "report", sound[0], "--url", url, "--key", sound[1], "--out", str(tmp_path / "r")]) == 0
        assert f"Rapport de la session {sound[0]} : RÉUSSI (passed), scénarios réussis 14," in capsys.readouterr().out
        assert main(["certify", "verify", str(tmp_path / "r" / "evidence.zip"), "--url", url]) == 0
        assert f"Rapport authentique : session {sound[0]} du DMS neovo" in capsys.readouterr().out

        # the DMS that accepts any callback fails on that scenario alone, the fault named: nothing sent
        # with a test callback tells what it tests (answered by such a header, it passed)
        assert players[1].returncode == 1, faulty_out
        assert re.search(r"callback-signature +failed", faulty_out), faulty_out
        for probe, count in (("Rappel mal signé (signature fausse)", " (3 sur 3)"),
                             ("Rappel périmé (X-Spoticar-Timestamp ancien)", "")):
            assert re.search(re.escape(probe) + r".*: HTTP 200, attendu 4xx" + re.escape(count + ". Le DMS a accepté"),
                             faulty_out), faulty_out
        # the replayed delivery (same id, signature still valid) acknowledged again: idempotent, not a fault
        assert "Rappel rejoué" not in faulty_out, faulty_out
        assert main(["certify", "report", faulty[0], "--url", url, "--key", faulty[1], "--out", str(tmp_path / "f")]) == 1
        assert f"Rapport de la session {faulty[0]} : ÉCHEC (failed), scénarios réussis 13, échoués 1," in capsys.readouterr().out

        # a finished session's key hands off nothing more: said so
        headers = {"Accept": "application/json", "Authorization": f"Bearer {sound[1]}"}
        sale = httpx.get(f"{url}/certification/sessions/{sound[0]}", headers=headers, timeout=30).json()
        late = httpx.post(f"{url}/api/v1/handoffs", headers=headers, timeout=30,
                          json={**sale["scenarios"][0]["sale"], "dms_order_ref": "X-0"})
        assert late.status_code == 403 and "est terminée : sa clé ne transmet plus de ventes" in late.text
        # a callback origin the operator did not allow: the vendor is told what to ask for, and from whom
        fresh = _session(url, capsys)  # a session still open
        headers = {"Accept": "application/json", "Authorization": f"Bearer {fresh[1]}"}
        sale = httpx.get(f"{url}/certification/sessions/{fresh[0]}", headers=headers, timeout=30).json()
        refused = httpx.post(f"{url}/api/v1/handoffs", headers=headers, timeout=30, json={
            **sale["scenarios"][0]["sale"], "dms_order_ref": "X-1", "callback_url": "http://127.0.0.1:1/rappel"})
        assert refused.status_code == 422
        assert refused.json()["errors"] == [{"field": "callback_url", "message": (
            "Adresse de rappel refusée : 127.0.0.1 est une adresse interne. Seules les origines configurées "
            "pour votre DMS peuvent être privées : demandez à l'opérateur du centralisateur d'autoriser "
            "http://127.0.0.1:1 (callback_origins).")}]

        # the example's dealer step says why the centralisateur refused a form, as the page shows it
        incomplete = {**sale["scenarios"][0]["sale"], "dms_order_ref": "X-2", "callback_url": None}
        incomplete["vehicle"] = {**incomplete["vehicle"], "plate": None}
        accepted = httpx.post(f"{url}/api/v1/handoffs", headers=headers, timeout=30, json=incomplete)
        assert accepted.status_code == 201, accepted.text
        with pytest.raises(ValueError, match=r"formulaire 2/3 refusé \(422\) : .*Le champ immatriculation est obligatoire"):
            dealer_declares(accepted.json()["declaration_url"], incomplete)

        # a dealer's production key is no session key: it reads nothing of the session
        assert httpx.get(f"{url}/certification/sessions/{sound[0]}", timeout=30, headers={
            "Accept": "application/json", "Authorization": f"Bearer {PRODUCTION_KEY}"}).status_code == 403
    finally:
        for player in locals().get("players", []):
            if player.poll() is None:
                player.kill()
                player.communicate()
        stop(process)
