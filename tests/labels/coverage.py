"""Seed-label coverage: which of the seeds' labels a screen shows, word for word (labels as data in
``fixtures/data/seed_labels.json``). Used by the test, and by ``python -m tests.labels.coverage`` to
print the figures against a running stack."""
from __future__ import annotations

import html
import re
from collections.abc import Callable

from fixtures import reference

ATTRIBUTES = re.compile(r'\b(?:placeholder|aria-label|title|value|alt)="([^"]*)"')


def screens(app: str) -> list[dict]:
    """The seed screens of ``app``: [{screen, path | from + find, labels}]."""
    return reference.load("seed_labels")[app]


def apps() -> list[str]:
    return [name for name in reference.load("seed_labels") if not name.startswith("_")]


def visible_text(page: str) -> str:
    """What a user reads: the text without tags, scripts or styles, then attribute texts (placeholders,
    button values, aria-labels), blanks folded."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    extras = " ".join(html.unescape(v) for v in ATTRIBUTES.findall(body))
    return " ".join(f"{text} {extras}".split())


def missing_labels(labels: list[str], page: str) -> list[str]:
    """The labels ``page`` (HTML) does not show."""
    return missing_in_text(labels, visible_text(page))


def missing_in_text(labels: list[str], shown: str) -> list[str]:
    """The labels absent from ``shown``, the text a user reads (blanks folded)."""
    shown = " ".join(shown.split())
    return [label for label in labels if " ".join(label.split()) not in shown]


def coverage(app: str, get: Callable[[str], str],
             read: Callable[[str], str] | None = None) -> tuple[int, int, dict[str, list[str]]]:
    """(labels found, labels checked, {screen: missing labels}) with ``get(path) -> html`` (to find a
    screen's link), and ``read(path) -> the text a user reads there`` (by default ``get``'s HTML
    without its tags; a browser gives only what is rendered)."""
    read = read or (lambda path: visible_text(get(path)))
    found = total = 0
    missing: dict[str, list[str]] = {}
    for screen in screens(app):
        path = screen.get("path")
        if path is None:
            match = re.search(screen["find"], get(screen["from"]))
            path = html.unescape(match.group(1)) + screen.get("suffix", "") if match else None
        shown = read(path) if path else ""
        lost = missing_in_text(screen["labels"], shown) if shown else list(screen["labels"])
        found += len(screen["labels"]) - len(lost)
        total += len(screen["labels"])
        if lost:
            missing[screen["screen"]] = lost
    return found, total, missing
