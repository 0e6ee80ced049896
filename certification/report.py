"""A session's reports from its JSON state and its evidence alone: ``report.json`` (verdicts, findings,
the exchanges each rests on), ``junit.xml`` (one test case per scenario: the CI gate), a self-contained
``report.html`` and ``evidence.zip`` (JSON, HTML, HAR 1.2 of every exchange, SHA-256 manifest)."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from jinja2 import Environment, PackageLoader, select_autoescape

from certification import exchanges as ex, plans
from certification.attestation import fingerprint
from certification.evaluate import attribute
from certification.verdicts import FAILED, SKIPPED, STATUS_LABELS, WAITING, WARNING, diff_lines

FILES = ("report.json", "junit.xml", "report.html", "evidence.zip")
# evidence.zip's members, in the order written: the report's files, then their seals
BUNDLE = ("report.json", "report.html", "junit.xml", "evidence.har")
SEALS = ("manifest.json", "SHA256SUMS")


def _evidence(state: dict, entries: list[dict]) -> list[dict]:
    """The exchanges a report rests on: once the session is finished, none after its last verdict."""
    decided = [s["decided_at"] for s in state["scenarios"] if s.get("decided_at")]
    if state.get("current") is None and decided:  # finished: what came after the last verdict is no evidence
        end = max(ex.parse_time(t) for t in decided)
        return [e for e in entries if ex.when(e) <= end]
    return entries


def build(state: dict, entries: list[dict]) -> dict:
    """``report.json``'s content: the session, a summary, and per scenario its verdict and evidence."""
    plan = plans.load("v" + state["plan"]["version"].split(".")[0])
    entries = _evidence(state, entries)
    windows = {s["id"]: s["started_at"] for s in state["scenarios"] if s.get("started_at")}
    found = attribute(plan, entries, windows, {s["id"]: s.get("sale") for s in state["scenarios"]})
    summary = counts(state["scenarios"])
    scenarios = []
    for s in state["scenarios"]:
        own = found.get(s["id"], []) if not plans.scenario(plan, s["id"]).get("scope") else \
            [e for e in entries if any(e["id"] in f["entries"] for f in s["findings"])]
        scenarios.append({**s, "evidence": own})
    report = {"format": "spoticar-certification-report/1",
            "generated_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "session": {k: state[k] for k in ("id", "dms", "plan", "centralisateur_url", "dealer", "callback_url",
                                              "wait_seconds", "created_at", "actions")},
            "verdict": overall(state["scenarios"], summary),
            "summary": summary, "scenarios": scenarios}
    report["fingerprint"] = fingerprint(report)
    return report


def counts(scenarios: list[dict]) -> dict[str, int]:
    """How many scenarios have each status."""
    return {status: sum(s["status"] == status for s in scenarios)
            for status in ("passed", "failed", "warning", "skipped", "waiting")}


def overall(scenarios: list[dict], summary: dict) -> str:
    """The session's verdict: failed when a scenario failed; incomplete while one waits or when the
    tester skipped one (a skip is a claim, not an exchange: it never counts as passed); else passed."""
    if summary["failed"]:
        return "failed"
    tester_skips = any(f.get("check") == "tester" for s in scenarios for f in s.get("findings") or [])
    return "incomplete" if summary["waiting"] or tester_skips else "passed"


def junit(report: dict) -> bytes:
    """JUnit XML: one test case per scenario; failed → <failure>, skipped/waiting → <skipped>."""
    summary = report["summary"]
    suite = ET.Element("testsuite", name=f"certification {report['session']['plan']['id']} "
                                         f"{report['session']['plan']['version']} — {report['session']['dms']}",
                       tests=str(len(report["scenarios"])), failures=str(summary["failed"]), errors="0",
                       skipped=str(summary["skipped"] + summary["waiting"]), timestamp=report["generated_at"])
    for s in report["scenarios"]:
        case = ET.SubElement(suite, "testcase", classname=f"certification.{report['session']['dms']}",
                             name=f"{s['id']} — {s['title']}", time=_seconds(s))
        text = "\n".join(_finding_lines(s))
        if s["status"] == FAILED:
            failing = [f["message"] for f in s["findings"] if f["level"] == "fail"]
            ET.SubElement(case, "failure", message=failing[0] if failing else "échec", type="certification").text = text
        elif s["status"] in (SKIPPED, WAITING):
            ET.SubElement(case, "skipped", message=STATUS_LABELS[s["status"]] + (
                f" : {s['findings'][0]['message']}" if s["findings"] else ""))
        if s["status"] == WARNING or text:
            ET.SubElement(case, "system-out").text = text
    root = ET.Element("testsuites")
    root.append(suite)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _seconds(s: dict) -> str:
    if s.get("started_at") and s.get("decided_at"):
        start, end = (dt.datetime.fromisoformat(s[k]) for k in ("started_at", "decided_at"))
        return f"{max(0.0, (end - start).total_seconds()):.3f}"
    return "0"


def _finding_lines(s: dict) -> list[str]:
    lines = []
    for f in s["findings"]:
        lines.append(f"[{f['level']}] {f['message']}")
        lines += [f"    {line}" for line in diff_lines(f["diff"])]
    return lines


def html(report: dict) -> str:
    """One HTML file (inline style, no script, nothing fetched), everything escaped."""
    env = Environment(loader=PackageLoader("certification", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("certification/report.html").render(
        r=report, labels=STATUS_LABELS, diff_lines=diff_lines, as_json=lambda v: json.dumps(v, indent=2,
                                                                                          ensure_ascii=False))


def har(entries: list[dict]) -> dict:
    """HAR 1.2 of the exchanges, oldest first (the journal's own HAR export)."""
    from common.journal.har import to_har
    return to_har(ex.ordered(entries), comment="Preuves de la session de certification")


def har_file(state: dict, entries: list[dict]) -> bytes:
    """``evidence.har`` as written: every exchange of the session, up to its last verdict once it is
    finished (the centralisateur attests its SHA-256, ``certification.attestation.statement``)."""
    return json.dumps(har(_evidence(state, entries)), indent=2, ensure_ascii=False).encode()


def report_file(report: dict) -> bytes:
    return json.dumps(report, indent=2, ensure_ascii=False).encode()


def seals(files: dict[str, bytes]) -> dict[str, bytes]:
    """``manifest.json`` and ``SHA256SUMS`` of the report's files (``BUNDLE``, in that order)."""
    manifest = {name: hashlib.sha256(files[name]).hexdigest() for name in BUNDLE}
    return {"manifest.json": json.dumps({"algorithm": "SHA-256", "files": manifest}, indent=2).encode(),
            "SHA256SUMS": "".join(f"{digest}  {name}\n" for name, digest in manifest.items()).encode()}


def write(state: dict, entries: list[dict], out: Path) -> dict:
    """Write the four files into ``out``; returns report.json's content."""
    out.mkdir(parents=True, exist_ok=True)
    report = build(state, entries)
    files = {"report.json": report_file(report), "report.html": html(report).encode(), "junit.xml": junit(report),
             "evidence.har": har_file(state, entries)}
    for name in ("report.json", "report.html", "junit.xml"):
        (out / name).write_bytes(files[name])
    with zipfile.ZipFile(out / "evidence.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**files, **seals(files)}.items():
            archive.writestr(name, data)
    return report
