"""``spoticar-harness``: ``up`` starts the stack; ``journal`` shows what crossed between its apps;
``browser`` prints the Chromium the suites use."""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from pathlib import Path

from harness.apps import APPS
from harness.browser import find_browser


def _up(args) -> int:
    from harness.runner import Stack

    started = time.perf_counter()
    names = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    stack = Stack(Path(args.data_dir), names=names, host=args.host, default_ports=not args.any_port,
                  port_offset=args.port_offset, seed=args.seed, demo=not args.no_demo, reset=args.reset)
    from harness.logs import configure
    from harness.state import clear_state, write_state
    try:
        stack.start()
    except (ValueError, OSError) as exc:
        print(f"spoticar-harness: {exc}", file=sys.stderr)
        return 2
    # after start: --reset has wiped the app folders the log files live in
    configure(args.log_level, args.log_format, args.data_dir, list(stack.apps))
    stack.wait_ready()
    write_state(args.data_dir, {name: running.url for name, running in stack.apps.items()})
    print(f"Spoticar harness prêt en {time.perf_counter() - started:.2f} s "
          f"(données : {Path(args.data_dir).resolve()}, graine {args.seed})\n")
    print(stack.describe())
    print("\nCtrl-C pour arrêter.", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    print("Arrêt…", flush=True)
    stack.stop()
    clear_state(args.data_dir)
    return 0


def _browser(args) -> int:
    path = find_browser(args.browser_path)
    print(path or "playwright-bundled")
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="spoticar-harness", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="démarrer les applications avec les données de démonstration")
    up.add_argument("--only", help="liste d'applications séparées par des virgules: "
                    + ", ".join(s.name for s in APPS))
    up.add_argument("--seed", type=int, default=0, help="graine des données de démonstration (0)")
    up.add_argument("--data-dir", default="var", help="répertoire des données (var)")
    up.add_argument("--reset", action="store_true", help="repartir de données neuves")
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--port-offset", type=int, default=0, help="décalage ajouté aux ports 8000…8006")
    up.add_argument("--any-port", action="store_true", help="ports libres choisis par le système (affichés)")
    up.add_argument("--no-demo", action="store_true", help="mode réel : pas de clés ni comptes de démo")
    up.add_argument("--log-level", choices=("info", "warning", "debug"), default="warning",
                    help="niveau des journaux (info : une ligne par requête)")
    up.add_argument("--log-format", choices=("text", "json"), default="text",
                    help="format des journaux (aussi écrits dans <data-dir>/<app>/app.log)")
    up.set_defaults(func=_up)
    from harness.journal_cli import add_parser as add_journal
    add_journal(sub)
    browser = sub.add_parser("browser", help="afficher le navigateur utilisé par les suites")
    browser.add_argument("--browser-path")
    browser.set_defaults(func=_browser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
