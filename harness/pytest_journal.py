"""pytest plugin: when a test that drives a stack fails, attach what crossed the wire.

The journals of every app of the test's stack (``stack``/``journal_stack`` fixtures, or any
``harness.runner.Stack`` argument) are read over HTTP for the traces the test touched (those with an
entry since the test started), then attached to the report: a table as an extra of the HTML report
(pytest-html) and a HAR 1.2 file under ``reports/journal/``.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from common.journal.har import to_har
from harness.journal_cli import fetch, table

MAX_TRACES = 30
_STARTED = pytest.StashKey[str]()


def _stacks(item) -> list:
    from harness.runner import Stack
    return [value for value in getattr(item, "funcargs", {}).values() if isinstance(value, Stack)]


def _urls(stack) -> dict[str, str]:
    return {**{name: running.url for name, running in stack.apps.items()}, **stack.external_urls}


def touched_entries(urls: dict[str, str], since: str, test_key: str | None = None) -> list[dict]:
    """Every entry of the traces with an exchange since ``since``, all apps merged by time."""
    recent, _ = fetch(urls, {"since": since}, timeout=5.0, test_key=test_key)
    traces = list(dict.fromkeys(e["trace_id"] for e in recent))[-MAX_TRACES:]
    found: dict[tuple, dict] = {}
    for trace in traces:
        entries, _ = fetch(urls, {"trace": trace}, timeout=5.0, test_key=test_key)
        found.update({(e["app"], e["id"]): e for e in entries})
    return sorted(found.values(), key=lambda e: (e["time"], e["app"], e["id"]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    item.stash[_STARTED] = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed or _STARTED not in item.stash:
        return
    stacks = _stacks(item)
    if not stacks:
        return
    try:
        entries = [e for stack in stacks
                   for e in touched_entries(_urls(stack), item.stash[_STARTED], stack.credentials.test_key)]
    except Exception as exc:  # evidence is a bonus: never hide the test's own failure
        report.sections.append(("journal", f"journal illisible : {exc!r}"))
        return
    if not entries:
        return
    folder = Path(item.config.rootpath) / "reports" / "journal"
    folder.mkdir(parents=True, exist_ok=True)
    har = folder / (re.sub(r"[^\w.-]+", "_", item.nodeid)[-150:] + ".har")
    har.write_text(json.dumps(to_har(entries, comment=item.nodeid), ensure_ascii=False, indent=1),
                   encoding="utf-8")
    text = f"{table(entries)}\n\nHAR 1.2 : {har}"
    report.sections.append(("journal des échanges", text))
    try:
        from pytest_html import extras
    except ImportError:
        return
    report.extras = [*getattr(report, "extras", []), extras.text(text, name="Journal des échanges"),
                     extras.url(har.resolve().as_uri(), name="HAR du journal")]
