"""``spoticar-harness journal``: the journals of every app of the running stack as one timeline.

Apps are found in ``<data-dir>/stack.json`` (written by ``up``), else at their default ports; each
journal is read over HTTP (``GET /__admin/journal``), as a person or a CI job would.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from harness.apps import available_apps
from harness.state import read_state

COLUMNS = ("heure", "application", "sens", "méthode", "chemin", "statut", "ms")


def stack_urls(data_dir: str, port_offset: int = 0) -> dict[str, str]:
    """App name → URL of the stack running from ``data_dir`` (default ports when no state file)."""
    return read_state(data_dir) or {spec.name: f"http://127.0.0.1:{spec.port + port_offset}"
                                    for spec in available_apps()}


def fetch(urls: dict[str, str], filters: dict, admin_key: str | None = None,
          timeout: float = 15.0, test_key: str | None = None) -> tuple[list[dict], list[str]]:
    """Every app's entries matching ``filters`` merged by time; and the French problems met.
    ``admin_key`` or ``test_key`` (the test routes' key of a stack outside demo mode) open it there."""
    import httpx  # here, not at the top: every ``spoticar-harness`` command declares this one

    from common.journal.har import merge
    from spoticar_handoff.tls import tls_context
    from common.keys import test_key_headers
    headers = {"Authorization": f"Bearer {admin_key}"} if admin_key else {}
    headers.update(test_key_headers(test_key))
    params = {k: v for k, v in filters.items() if v}
    journals, problems = [], []
    with httpx.Client(timeout=timeout, headers=headers, verify=tls_context()) as client:
        for name, url in urls.items():
            try:
                response = client.get(url.rstrip("/") + "/__admin/journal", params=params)
            except httpx.HTTPError as exc:
                problems.append(f"{name} ({url}) ne répond pas : {exc.__class__.__name__}")
                continue
            if response.status_code != 200:
                try:
                    message = response.json()["errors"][0]["message"]
                except (ValueError, KeyError, IndexError, TypeError):
                    message = f"HTTP {response.status_code}"
                problems.append(f"{name} : {message}")
                continue
            answer = response.json()
            journals.append(answer["entries"])
            lost = answer.get("lost") or {}
            if lost.get("queue_full") or lost.get("write_failed"):  # a journal with holes says so
                print(f"spoticar-harness journal : {name} : {lost.get('queue_full', 0)} entrée(s) perdue(s) "
                      f"file pleine, {lost.get('write_failed', 0)} à l'écriture, depuis son démarrage",
                      file=sys.stderr)
    return merge(*journals), problems


def _cell(value, width: int) -> str:
    text = "" if value is None else str(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= width else text[:width - 1] + "…"


def table(entries: list[dict]) -> str:
    """A readable table: time, app, direction, method, path, status, ms (and the trace id)."""
    widths = (12, 15, 4, 7, 58, 6, 8)
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)) + "  trace"]
    for e in entries:
        cells = (e["time"][11:23], e["app"], "→" if e["direction"] == "out" else "←", e["method"],
                 e["path"], e["status"] if e["status"] is not None else "—",
                 f"{e['duration_ms']:.1f}" if e["duration_ms"] is not None else "")
        lines.append("  ".join(_cell(v, w).ljust(w) for v, w in zip(cells, widths)) + "  " + e["trace_id"])
    return "\n".join(lines)


def run(args) -> int:
    """The ``journal`` command."""
    urls = stack_urls(args.data_dir, args.port_offset)
    if args.only:
        wanted = {n.strip() for n in args.only.split(",")}
        urls = {n: u for n, u in urls.items() if n in wanted}
    filters = {"bdc": args.bdc, "trace": args.trace, "since": args.since, "limit": args.limit}
    key = args.admin_key or os.environ.get("SPOTICAR_JOURNAL_ADMIN_KEY")
    from common.keys import TEST_KEY_ENV
    from harness.state import read_test_key
    entries, problems = fetch(urls, filters, key, test_key=read_test_key(args.data_dir)
                              or os.environ.get(TEST_KEY_ENV))
    for problem in problems:
        print(f"spoticar-harness journal : {problem}", file=sys.stderr)
    if not entries and len(problems) == len(urls):
        return 2
    print(table(entries))
    print(f"\n{len(entries)} échange(s) dans {len(urls) - len(problems)} journal(aux).")
    if args.har:
        from importlib.metadata import PackageNotFoundError, version

        from common.journal.har import to_har
        try:
            release = version("spoticar-harness")
        except PackageNotFoundError:
            release = "0"
        label = " ".join(f"{k}={v}" for k, v in filters.items() if v)
        Path(args.har).write_text(json.dumps(to_har(entries, creator_version=release, comment=label),
                                             ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"HAR 1.2 écrit dans {args.har}")
    return 0


def add_parser(sub) -> None:
    """Declare ``journal`` and its options on the CLI's subparsers."""
    parser = sub.add_parser("journal", help="journal des échanges de toutes les applications (tableau, HAR)")
    parser.add_argument("--bdc", help="numéro de bon de commande (SP…)")
    parser.add_argument("--trace", help="identifiant de trace W3C (32 caractères hexadécimaux)")
    parser.add_argument("--since", help="depuis cette date ISO 8601 (ex. 2026-11-30T06:00:00Z)")
    parser.add_argument("--limit", help="au plus N échanges par application (les plus récents)")
    parser.add_argument("--har", help="écrire aussi le journal fusionné en HAR 1.2 dans ce fichier")
    parser.add_argument("--data-dir", default="var", help="répertoire des données de `up` (var)")
    parser.add_argument("--port-offset", type=int, default=0, help="sans stack.json : décalage des ports")
    parser.add_argument("--only", help="applications à lire, séparées par des virgules")
    parser.add_argument("--admin-key", help="clé d'administration hors mode démo "
                                            "(défaut : SPOTICAR_JOURNAL_ADMIN_KEY)")
    parser.set_defaults(func=run)
