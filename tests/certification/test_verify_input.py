"""``certify verify`` given a file that is no evidence archive (not a zip, truncated, a member too big,
members missing or made up): « NON CONFORME » in French and exit status 3, never a traceback; a file
that is not there, or a centralisateur that does not answer: « vérification impossible », 4."""
from __future__ import annotations

import json
import os
import zipfile

import pytest

from certification import attestation
from harness.cli import main

NOWHERE = "http://127.0.0.1:9"


def _verify(path, capsys) -> tuple[int, str, str]:
    code = main(["certify", "verify", str(path), "--url", NOWHERE])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _report_zip(path, **members: bytes):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_verify_refuses_a_file_that_is_no_zip_in_french(tmp_path, capsys):
    report = tmp_path / "report.json"
    report.write_text('{"verdict": "passed"}', encoding="utf-8")
    code, out, _ = _verify(report, capsys)
    assert code == 3
    assert "NON CONFORME : report.json n'est pas l'archive de preuves (evidence.zip) d'un rapport" in out


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


def test_verify_refuses_a_truncated_zip(tmp_path, capsys):
    whole = _report_zip(tmp_path / "whole.zip", **{"report.json": json.dumps({"x": os.urandom(30_000).hex()}).encode()})
    cut = tmp_path / "evidence.zip"
    cut.write_bytes(whole.read_bytes()[:-200])          # the central directory's end lost
    code, out, _ = _verify(cut, capsys)
    assert code == 3 and "NON CONFORME : evidence.zip n'est pas l'archive de preuves" in out, out
    # the central directory kept, a member's data cut: its CRC or its inflating fails
    data = bytearray(whole.read_bytes())
    data[1000:1200] = bytes(200)
    cut.write_bytes(bytes(data))
    code, out, _ = _verify(cut, capsys)
    assert code == 3 and "NON CONFORME : " in out and "report.json" in out, out


def test_verify_reads_a_member_no_further_than_its_bound(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(attestation, "MAX_MEMBER_BYTES", 10_000)
    # compresses to almost nothing: a zip bomb in small
    archive = _report_zip(tmp_path / "evidence.zip", **{"evidence.har": b"0" * 50_000, "report.json": b"{}"})
    code, out, _ = _verify(archive, capsys)
    assert code == 3 and "NON CONFORME : evidence.har est trop volumineux (50000 octets annoncés)." in out, out

    monkeypatch.setattr(attestation, "MAX_ARCHIVE_BYTES", 100)
    code, out, _ = _verify(archive, capsys)
    assert code == 3 and "NON CONFORME : evidence.zip pèse plus de" in out, out


def test_verify_names_members_missing_or_made_up(tmp_path, capsys):
    archive = _report_zip(tmp_path / "evidence.zip", **{"report.json": b"[]", "notes.txt": b"x"})
    code, out, _ = _verify(archive, capsys)
    assert code == 3
    for says in ("notes.txt : fichier ajouté, étranger au rapport.", "junit.xml manque dans evidence.zip",
                 "report.html manque", "evidence.har manque", "manifest.json manque", "SHA256SUMS manque",
                 "report.json n'est pas le rapport d'une session de certification"):
        assert f"NON CONFORME : {says}" in out, out


@pytest.mark.parametrize("content", [b"not json", b'{"session": {"id": "x"}, "scenarios": [{}]}',
                                     b'{"session": {"id": 3}, "scenarios": []}'])
def test_verify_refuses_a_report_json_that_is_no_report(tmp_path, capsys, content):
    archive = _report_zip(tmp_path / "evidence.zip", **{"report.json": content})
    code, out, _ = _verify(archive, capsys)
    assert code == 3 and "NON CONFORME : report.json n'est pas le rapport d'une session de certification" in out, out


def test_verify_cannot_tell_without_the_file_or_the_centralisateur(tmp_path, capsys):
    code, out, err = _verify(tmp_path / "absent.zip", capsys)
    assert code == 4 and "vérification impossible : " in err and "introuvable" in err and not out
    code, _, err = _verify(tmp_path, capsys)       # a directory with no evidence.zip
    assert code == 4 and "evidence.zip introuvable" in err


def test_verify_usage_errors_keep_argparse_code_and_help_documents_the_codes(capsys):
    with pytest.raises(SystemExit) as usage:
        main(["certify", "verify"])
    assert usage.value.code == 2
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["certify", "verify", "--help"])
    helped = capsys.readouterr().out
    for line in ("0  rapport authentique, session réussie", "1  rapport authentique, session non réussie",
                 "2  erreur d'utilisation", "3  NON CONFORME", "4  vérification impossible"):
        assert line in helped, helped
