"""What makes a report checkable by the CDS operator, whoever hands it over: its ``fingerprint`` (the
SHA-256 of the session, each scenario's verdict and the exchanges each verdict rests on, bodies
included). The reference centralisateur recomputes it from its own record of the session
(``GET /certification/sessions/<id>/attestation``): the exchanges it kept from its journal as it
judged the session (``certification.evidence``). ``certify verify`` compares the two and checks the
zip's manifest: an edited verdict, a made-up or trimmed exchange, or a report of another session shows."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import httpx
from spoticar_handoff.tls import tls_context


def _digest(text: str | None) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()


def _exchange(entry: dict) -> list:
    return [str(entry["id"]), entry["time"], entry["direction"], entry["method"], entry["path"], entry.get("status"),
            _digest((entry.get("request") or {}).get("body")), _digest((entry.get("response") or {}).get("body"))]


def fingerprint(report: dict) -> str:
    """SHA-256 (hex) over the session's identity, each scenario's status and its evidence."""
    session = report["session"]
    content = {"session": session["id"], "dms": session["dms"], "plan": session["plan"]["version"],
               "dealer": session["dealer"]["rrdi"], "verdict": report["verdict"],
               "scenarios": [[s["id"], s["status"], sorted(_exchange(e) for e in s.get("evidence") or [])]
                             for s in report["scenarios"]]}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def statement(report: dict) -> dict:
    """What the centralisateur attests of a session (no personal data: identity, verdicts, fingerprint)."""
    return {"session": report["session"]["id"], "dms": report["session"]["dms"],
            "plan": report["session"]["plan"], "dealer": report["session"]["dealer"]["rrdi"],
            "created_at": report["session"]["created_at"], "verdict": report["verdict"],
            "scenarios": {s["id"]: s["status"] for s in report["scenarios"]}, "fingerprint": fingerprint(report)}


def _read(path: Path) -> tuple[dict, list[str]]:
    """report.json from a report directory or an evidence.zip, and the manifest's mismatches."""
    problems = []
    archive_path = path / "evidence.zip" if path.is_dir() else path
    if not archive_path.exists():
        raise ValueError(f"{archive_path} introuvable.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(archive_path.read_bytes()))
    except zipfile.BadZipFile:
        raise ValueError(f"{archive_path} n'est pas l'archive de preuves (evidence.zip) d'un rapport.") from None
    with archive:
        manifest = json.loads(archive.read("manifest.json"))["files"]
        for name, digest in manifest.items():
            if hashlib.sha256(archive.read(name)).hexdigest() != digest:
                problems.append(f"{name} ne correspond pas à son empreinte du manifeste.")
        report = json.loads(archive.read("report.json"))
    return report, problems


def verify(path: Path, url: str) -> tuple[dict, list[str]]:
    """(the centralisateur's statement, problems): empty problems when the report is the session's."""
    report, problems = _read(path)
    if report.get("fingerprint") != fingerprint(report):
        problems.append("report.json a été modifié : son empreinte ne correspond plus à son contenu.")
    answer = httpx.get(f"{url.rstrip('/')}/certification/sessions/{report['session']['id']}/attestation", timeout=60,
                       verify=tls_context())
    if answer.status_code != 200:
        raise ValueError(f"le centralisateur ne connaît pas la session {report['session']['id']} "
                         f"(HTTP {answer.status_code}).")
    attested = answer.json()
    if attested["fingerprint"] != fingerprint(report):
        changed = [sid for sid, status in attested["scenarios"].items()
                   if status != next((s["status"] for s in report["scenarios"] if s["id"] == sid), None)]
        problems.append("Le rapport ne correspond pas à ce que le centralisateur a enregistré pour cette session"
                        + (f" (verdicts différents : {', '.join(changed)})." if changed else
                           " (échanges différents)."))
    return attested, problems
