"""What makes a report checkable by the CDS operator, whoever hands it over: its ``fingerprint`` (the
SHA-256 of the session, each scenario's verdict and the exchanges each verdict rests on, bodies
included). The reference centralisateur recomputes it from its own record of the session
(``GET /certification/sessions/<id>/attestation``): the exchanges it kept from its journal as it
judged the session (``certification.evidence``). ``certify verify`` compares the two and checks the
zip's files: an edited verdict, a made-up or trimmed exchange, or a report of another session shows, and
so does any file of the zip edited, added or removed — junit.xml and report.html are written again from
report.json and compared byte for byte, the SHA-256 of all of report.json (but its date) and of
evidence.har are attested by the centralisateur too."""
from __future__ import annotations

import hashlib
import json
import lzma
import zipfile
import zlib
from pathlib import Path
from urllib.parse import quote

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


def content(report: dict) -> str:
    """SHA-256 (hex) of all of report.json but its ``generated_at`` and the centralisateur's address
    (``PUBLIC_URL``: it moves with the centralisateur, not with the session): findings, titles, every
    field of every exchange (what the fingerprint leaves out, and junit.xml and report.html show)."""
    rest = {k: v for k, v in report.items() if k != "generated_at"}
    rest["session"] = {k: v for k, v in rest["session"].items() if k != "centralisateur_url"}
    return hashlib.sha256(json.dumps(rest, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def statement(report: dict, har: bytes | None = None) -> dict:
    """What the centralisateur attests of a session (no personal data: identity, verdicts, fingerprint,
    the SHA-256 of report.json's ``content`` and of the ``evidence.har`` of its exchanges)."""
    attested = {"session": report["session"]["id"], "dms": report["session"]["dms"],
                "plan": report["session"]["plan"], "dealer": report["session"]["dealer"]["rrdi"],
                "created_at": report["session"]["created_at"], "verdict": report["verdict"],
                "scenarios": {s["id"]: s["status"] for s in report["scenarios"]}, "fingerprint": fingerprint(report)}
    if har is not None:
        attested["files"] = {"report.json": content(report), "evidence.har": hashlib.sha256(har).hexdigest()}
    return attested


class Unverifiable(Exception):
    """The report cannot be checked (file missing, centralisateur unreachable or unaware of the session)."""


MAX_ARCHIVE_BYTES = 256 * 2**20     # an evidence.zip of 5,000 exchanges is a few tens of MB at most
MAX_MEMBER_BYTES = 256 * 2**20      # read at most this much of one member, whatever its header says
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError,
               RuntimeError, zlib.error, lzma.LZMAError)


def _bounded(read, limit: int) -> bytes | None:
    """At most ``limit`` bytes from ``read`` (a file's read), None when there is more."""
    chunks, size = [], 0
    while chunk := read(min(2**20, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return None
    return b"".join(chunks)


def _members(archive_path: Path) -> tuple[dict[str, bytes], list[str]]:
    """The bundle's members read from ``archive_path`` (bounded), and what makes it no report's bundle."""
    from certification.report import BUNDLE, SEALS
    name = archive_path.name
    if archive_path.stat().st_size > MAX_ARCHIVE_BYTES:
        return {}, [f"{name} pèse plus de {MAX_ARCHIVE_BYTES // 2**20} Mo : ce n'est pas l'archive de preuves "
                    "d'un rapport."]
    handle = archive_path.open("rb")    # a file that cannot be opened is no verdict on it: OSError
    try:
        archive = zipfile.ZipFile(handle)
    except _ZIP_ERRORS:
        handle.close()
        return {}, [f"{name} n'est pas l'archive de preuves (evidence.zip) d'un rapport (archive ZIP illisible)."]
    problems, files = [], {}
    with handle, archive:
        infos = archive.infolist()
        seen = [i.filename for i in infos]
        for member in dict.fromkeys(seen):
            if seen.count(member) > 1:
                problems.append(f"{member} figure {seen.count(member)} fois dans {name} : fichier ajouté.")
            if member not in BUNDLE + SEALS:
                problems.append(f"{member} : fichier ajouté, étranger au rapport.")
        problems += [f"{member} manque dans {name} : fichier retiré." for member in BUNDLE + SEALS if member not in seen]
        for info in infos:
            if info.filename not in BUNDLE + SEALS or seen.count(info.filename) > 1:
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                problems.append(f"{info.filename} est trop volumineux ({info.file_size} octets annoncés).")
                continue
            try:
                with archive.open(info) as member:
                    data = _bounded(member.read, MAX_MEMBER_BYTES)
            except _ZIP_ERRORS as exc:
                problems.append(f"{info.filename} est illisible dans {name} ({type(exc).__name__}) : archive "
                                "tronquée ou modifiée.")
                continue
            if data is None:
                problems.append(f"{info.filename} est trop volumineux (plus de {MAX_MEMBER_BYTES} octets).")
            else:
                files[info.filename] = data
    return files, problems


def _derived(files: dict[str, bytes], report: dict, edited: bool = False) -> list[str]:
    """What differs from what ``certify report`` writes from ``report`` (report.json as read): the
    report's own form, junit.xml, report.html, and the manifest and SHA256SUMS of the files.
    ``edited``: report.json is known modified (its fingerprint), so a file written from it that differs
    says that much, not that this file was modified too."""
    from certification import report as reports
    problems = []
    expected = {"report.json": reports.report_file(report), "junit.xml": reports.junit(report),
                "report.html": reports.html(report).encode()}
    for name, data in expected.items():
        if name in files and files[name] != data:
            if edited and name == "report.json":
                continue  # said already
            problems.append(f"{name} ne correspond pas à report.json, qui a été modifié." if edited else
                            f"{name} a été modifié : il n'est pas celui que « certify report » écrit du "
                            "rapport (report.json).")
    if all(name in files for name in reports.BUNDLE):
        for name, data in reports.seals(files).items():
            if name in files and files[name] != data:
                problems.append(f"{name} a été modifié : il ne donne pas les empreintes SHA-256 des fichiers "
                                "de l'archive.")
    return problems


def _loose(directory: Path, files: dict[str, bytes]) -> list[str]:
    """The report's files beside evidence.zip in a report directory: each the same as in the zip."""
    problems = []
    for name in ("report.json", "junit.xml", "report.html"):
        loose = directory / name
        if not loose.exists():
            continue
        with loose.open("rb") as handle:
            data = _bounded(handle.read, MAX_MEMBER_BYTES)
        if name in files and data != files[name]:
            problems.append(f"{loose} a été modifié : il diffère du {name} de evidence.zip.")
    return problems


def _read(path: Path) -> tuple[dict | None, dict[str, bytes], list[str]]:
    """report.json (None when unreadable) from a report directory or an evidence.zip, the archive's
    files, and what makes the bundle no report's own."""
    archive_path = path / "evidence.zip" if path.is_dir() else path
    if not archive_path.is_file():
        raise Unverifiable(f"{archive_path} introuvable.")
    try:
        files, problems = _members(archive_path)
        if path.is_dir():
            problems += _loose(path, files)
    except OSError as exc:
        raise Unverifiable(f"{archive_path} illisible ({exc.strerror or exc}).") from None
    try:
        report = json.loads(files["report.json"]) if "report.json" in files else None
    except ValueError:
        report = None
    if not (isinstance(report, dict) and isinstance(report.get("session"), dict)
            and isinstance(report["session"].get("id"), str) and isinstance(report.get("scenarios"), list)):
        if "report.json" in files:
            problems.append("report.json n'est pas le rapport d'une session de certification (illisible).")
        return None, files, problems
    try:
        edited = report.get("fingerprint") != fingerprint(report)
        if edited:
            problems.append("report.json a été modifié : son empreinte ne correspond plus à son contenu.")
        problems += _derived(files, report, edited)
    except Exception as exc:  # noqa: BLE001 - whatever a made-up report.json breaks, it is no report of ours
        problems.append(f"report.json n'est pas le rapport d'une session de certification ({type(exc).__name__} : "
                        f"{exc}).")
        return None, files, problems
    return report, files, problems


def verify(path: Path, url: str) -> tuple[dict | None, list[str]]:
    """(the centralisateur's statement, problems): empty problems when every file of the report is the
    session's (report.json against the centralisateur's fingerprint and content digest, junit.xml and
    report.html written again from it, evidence.har against the digest the centralisateur attests,
    nothing added or removed). Raises ``Unverifiable`` when that cannot be told."""
    report, files, problems = _read(path)
    if report is None:
        return None, problems
    try:
        attested = _attested(report, url)
    except Unverifiable:
        if problems:        # edited whatever the centralisateur says: no need to reach it to refuse it
            return None, problems
        raise
    har_digest = attested["files"]["evidence.har"]
    if attested["fingerprint"] == fingerprint(report) and attested["files"]["report.json"] != content(report):
        problems.append("report.json a été modifié : ses constats ou ses échanges ne sont pas ceux que le "
                        "centralisateur a enregistrés pour cette session.")
    if attested["fingerprint"] != fingerprint(report):
        scenarios = attested.get("scenarios") if isinstance(attested.get("scenarios"), dict) else {}
        changed = [sid for sid, status in scenarios.items()
                   if status != next((s["status"] for s in report["scenarios"] if s["id"] == sid), None)]
        problems.append("Le rapport ne correspond pas à ce que le centralisateur a enregistré pour cette session"
                        + (f" (verdicts différents : {', '.join(changed)})." if changed else
                           " (échanges différents)."))
    if "evidence.har" in files and hashlib.sha256(files["evidence.har"]).hexdigest() != har_digest:
        problems.append("evidence.har a été modifié : il ne correspond pas aux échanges que le centralisateur a "
                        "enregistrés pour cette session.")
    return attested, problems


def _attested(report: dict, url: str) -> dict:
    """The centralisateur's statement of the report's session."""
    session_id = report["session"]["id"]
    try:
        answer = httpx.get(f"{url.rstrip('/')}/certification/sessions/{quote(session_id, safe='')}/attestation",
                           timeout=60, verify=tls_context())
    except httpx.HTTPError as exc:
        raise Unverifiable(f"le centralisateur {url} ne répond pas ({exc}).") from None
    if answer.status_code != 200:
        raise Unverifiable(f"le centralisateur ne connaît pas la session {session_id} (HTTP {answer.status_code}).")
    try:
        attested = answer.json()
        digests = attested.get("files", {})
        if not all(isinstance(attested[k], str) for k in ("session", "dms", "created_at", "verdict", "fingerprint")) \
                or not isinstance(digests, dict):
            raise ValueError(attested)
    except (ValueError, AttributeError, KeyError):
        raise Unverifiable(f"{url} n'a pas répondu en centralisateur de référence (attestation illisible).") from None
    if not all(isinstance(digests.get(name), str) for name in ("report.json", "evidence.har")):
        raise Unverifiable("le centralisateur n'atteste pas report.json et evidence.har (version antérieure) : "
                           "mettez-le à jour.")
    return attested
