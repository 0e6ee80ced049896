"""Verdicts (passed, failed, warning, skipped, waiting), the findings behind them, and readable
expected-versus-received diffs in the manner of Pact's mismatch reports."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASSED, FAILED, WARNING, SKIPPED, WAITING = "passed", "failed", "warning", "skipped", "waiting"
STATUS_LABELS = {PASSED: "Réussi", FAILED: "Échoué", WARNING: "Avertissement", SKIPPED: "Ignoré",
                 WAITING: "En attente du DMS…"}
FINAL = (PASSED, FAILED, WARNING, SKIPPED)


@dataclass
class Finding:
    """One observation of a check: ``level`` pass | fail | warn | skip, a French message, the journal
    entries it rests on, and for a mismatch the expected-versus-received lines."""
    check: str
    level: str
    message: str
    entries: list[str] = field(default_factory=list)
    diff: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Waiting:
    """A check still waiting for the DMS: what it waits for, in French."""
    check: str
    awaiting: str


def mismatch(path: str, expected, received) -> dict:
    return {"path": path, "expected": expected, "received": received}


def diff_lines(diff: list[dict]) -> list[str]:
    """Pact-like text: one line per mismatch, "attendu" then "reçu"."""
    def show(value):
        return "(absent)" if value is None else repr(value) if not isinstance(value, str) else f"« {value} »"
    return [f"{d['path']} : attendu {show(d['expected'])}, reçu {show(d['received'])}" for d in diff]


def combine(results: list[Finding | Waiting], *, expired: str | None = None) -> tuple[str, list[Finding]]:
    """The scenario's status from its checks' results: any waiting check keeps it waiting (or fails it
    once ``expired`` says why no more waiting), then failed > warning > skipped (all skipped) > passed."""
    findings = [r for r in results if isinstance(r, Finding)]
    waiting = [r for r in results if isinstance(r, Waiting)]
    if waiting:
        if not expired:
            return WAITING, findings
        said = set()   # two checks waiting for the same exchange: said once
        findings = findings + [Finding(w.check, "fail", f"{expired}, toujours en attente de : {w.awaiting}.")
                               for w in waiting if not (w.awaiting in said or said.add(w.awaiting))]
    levels = {f.level for f in findings}
    if "fail" in levels:
        return FAILED, findings
    if "warn" in levels:
        return WARNING, findings
    if findings and levels == {"skip"}:
        return SKIPPED, findings
    return PASSED, findings
