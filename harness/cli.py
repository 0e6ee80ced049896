"""``spoticar-harness``: ``up`` starts the stack; ``browser`` prints the Chromium the suites use."""
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
    extra = {}
    if args.test_routes:  # what the suites need from an external stack (harness.testing.SUITE_CONFIG)
        from harness.testing import SUITE_CONFIG
        extra = SUITE_CONFIG
    stack = Stack(Path(args.data_dir), names=names, host=args.host, default_ports=not args.any_port,
                  port_offset=args.port_offset, seed=args.seed, demo=not args.no_demo, reset=args.reset,
                  extra_config=extra)
    try:
        stack.start()
    except (ValueError, OSError) as exc:
        print(f"spoticar-harness: {exc}", file=sys.stderr)
        return 2
    stack.wait_ready()
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
    up.add_argument("--test-routes", action="store_true",
                    help="pile pour les suites de tests : routes /__test__/ et profils de démo configurés")
    up.set_defaults(func=_up)
    browser = sub.add_parser("browser", help="afficher le navigateur utilisé par les suites")
    browser.add_argument("--browser-path")
    browser.set_defaults(func=_browser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
