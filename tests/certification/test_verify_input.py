"""``certify verify`` given a file that is no evidence archive: a French message, never a traceback."""
from __future__ import annotations

from harness.cli import main


def test_verify_refuses_a_file_that_is_no_zip_in_french(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text('{"verdict": "passed"}', encoding="utf-8")
    assert main(["certify", "verify", str(report), "--url", "http://127.0.0.1:9"]) == 2
    assert "n'est pas l'archive de preuves (evidence.zip) d'un rapport." in capsys.readouterr().err
