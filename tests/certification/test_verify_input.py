"""``certify verify`` given a file that is no evidence archive: a French message, never a traceback."""
from __future__ import annotations

from harness.cli import main


def test_verify_refuses_a_file_that_is_no_zip_in_french(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text('{"verdict": "passed"}', encoding="utf-8")
    assert main(["certify", "verify", str(report), "--url", "http://127.0.0.1:9"]) == 2
    assert "n'est pas l'archive de preuves (evidence.zip) d'un rapport." in capsys.readouterr().err


def test_report_and_start_say_in_french_which_centralisateur_does_not_answer(tmp_path, capsys):
    """No centralisateur at the address: the message names it, in French (not « [Errno 111] Connection
    refused »), for ``certify report`` as for ``certify start``."""
    from harness.serving import free_port
    url = f"http://127.0.0.1:{free_port()}"
    assert main(["certify", "report", "cs_x", "--out", str(tmp_path), "--key", "cs-k", "--url", url]) == 2
    err = capsys.readouterr().err
    assert f"le centralisateur {url} ne répond pas : connexion impossible" in err
    assert "Errno" not in err and "Connection refused" not in err
    assert main(["certify", "start", "--dms", "tec3h", "--url", url]) == 2
    err = capsys.readouterr().err
    assert f"le centralisateur {url} ne répond pas : connexion impossible" in err and "Errno" not in err
