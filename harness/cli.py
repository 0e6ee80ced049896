"""``spoticar-harness``: ``up`` starts the stack, ``serve`` one app under gunicorn; ``journal`` shows
what crossed between the apps; ``browser`` prints the Chromium the suites use."""
from __future__ import annotations

import argparse
import gc
import logging
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from harness.apps import APPS
from harness.browser import find_browser
from harness.french_args import FrenchArgumentParser


# guillemets held to their word by no-break spaces (the help's line wrapping leaves no « alone at a line's end)
DESCRIPTION = ("Simulateurs Spoticar : «\u00a0up\u00a0» démarre les applications avec leurs données de "
               "démonstration, «\u00a0serve\u00a0» une application sous gunicorn ; «\u00a0journal\u00a0» montre ce "
               "qui a transité entre les applications, «\u00a0browser\u00a0» le Chromium des suites ; "
               "«\u00a0dealers\u00a0», «\u00a0keys\u00a0» et «\u00a0certify\u00a0» : points de vente, clés d'API "
               "et certification d'un DMS.")


def _at_least_one(text: str) -> int:
    """An argument counting workers or threads: a whole number, 1 or more (0 workers served nothing,
    0 threads stopped every worker at its start)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"un nombre entier d'au moins 1 est attendu, pas « {text} »")
    return number


def _on_stop_signal() -> threading.Event:
    """An event set by Ctrl-C / SIGTERM from now on."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _wait_for(stop: threading.Event) -> None:
    # a signal the kernel hands to one of the server threads does not wake a main thread blocked on
    # a lock, and Python runs handlers in the main thread only: wake up now and then to run them
    while not stop.wait(0.5):
        pass


def _started() -> None:
    """Start-up is over: what it built is left out of the collector's passes (``common.serve.settle_heap``)
    and the collector runs again from now on. The little garbage start-up left (8,000–15,000 objects,
    a seeding start included) stays: collecting it would cost more CPU (~0.1 s) than the memory it
    holds is worth."""
    from common.serve import settle_heap  # imported already by the stack that was just started
    settle_heap()
    gc.enable()


def _run_until_signal(stack, data_dir: str, urls: dict[str, str], *, warm_up: bool = False,
                      cpu_phases: dict[str, float] | None = None, test_key: str | None = None) -> int:
    """Record what runs (``journal`` reads it), what the start cost (``cpu_phases``) and the test
    routes' key, build what start-up deferred (``warm_up``, in this process's apps), wait for Ctrl-C /
    SIGTERM, stop, forget it."""
    from harness.state import clear_state, write_state
    stop = _on_stop_signal()  # before the state file: whoever sees it may stop us right away
    if test_key:
        print(f"Routes de test (/__test__/…, pannes d'Icare /admin/faults) hors mode démo : en-tête "
              f"X-Spoticar-Test-Key: {test_key}\n  (pour le certificateur et ses suites, jamais pour un éditeur "
              f"de DMS ; aussi dans {Path(data_dir) / 'stack.json'})", flush=True)
    write_state(data_dir, urls, cpu_phases, test_key=test_key)
    if warm_up:
        from harness.warm import warm_up as warm
        warm(urls, [running.app for running in stack.apps.values()])
    _started()
    print("\nCtrl-C pour arrêter.", flush=True)
    _wait_for(stop)
    print("Arrêt…", flush=True)
    stack.stop()
    clear_state(data_dir)
    return 0


def _up_processes(args, names) -> int:
    from harness.building import test_routes_key
    from harness.serving import ProcessStack

    started = time.perf_counter()
    test_key = test_routes_key(not (args.no_demo or args.config), args.test_routes)  # the serve processes inherit it
    try:
        stack = ProcessStack(Path(args.data_dir), names, host=args.host, port_offset=args.port_offset,
                             workers=args.workers, seed=args.seed, demo=not (args.no_demo or args.config),
                             config=args.config, test_routes=args.test_routes, any_port=args.any_port)
        if args.reset:
            for spec in stack.specs:
                shutil.rmtree(Path(args.data_dir) / spec.name, ignore_errors=True)
        stack.start()
    except (ValueError, OSError, RuntimeError, TimeoutError) as exc:
        print(f"spoticar-harness: {exc}", file=sys.stderr)
        if "stack" in locals():
            stack.stop()
        return 2
    print(f"Spoticar harness prêt en {time.perf_counter() - started:.2f} s, un processus gunicorn par "
          f"application (données : {Path(args.data_dir).resolve()}, graine {args.seed})\n")
    print(stack.describe())
    return _run_until_signal(stack, args.data_dir, {spec.name: stack.urls[spec.name] for spec in stack.specs},
                             test_key=test_key)


# What a start's CPU went to, in order (``stack.json``'s ``cpu_phases``, ``bench/startup.py``): the
# interpreter and the command line; the stack's module, the servers bound and the app packages imported
# (the libraries with them); the apps created (their views imported), seeded or checked, served; then
# the logs set up and every app asked until it answered.
CPU_PHASES = ("cli", "imports", "build", "ready")


def _up(args) -> int:
    cpu_started = time.process_time()  # CPU_PHASES' "cli" ends here
    from harness.runner import Stack

    started = time.perf_counter()
    names = [n.strip() for n in args.only.split(",") if n.strip()] if args.only else None
    if args.processes and args.advertise_host:
        print("spoticar-harness: --advertise-host ne s'applique pas à --processes : donnez à chaque "
              "application son adresse publique avec serve --public-url.", file=sys.stderr)
        return 2
    if args.host in ("0.0.0.0", "::") and not args.advertise_host:
        # links handed out (declaration_url, OpenAPI servers) would name an address no one can open
        print(f"spoticar-harness: écoute sur toutes les interfaces ({args.host}) : les liens donnés aux DMS et "
              "aux navigateurs porteront cette adresse ; indiquez celle qui joint cette machine avec "
              "--advertise-host NOM (serve : --public-url).", file=sys.stderr)
    from harness.state import clear_stale_state
    clear_stale_state(args.data_dir)  # a crashed up's file would announce this start before it is ready
    if args.processes:
        return _up_processes(args, names)
    from harness.building import extra_config, test_routes_key  # not harness.serving: gunicorn is not needed here
    # --config: a real deployment, dealers and keys from the file, no demo data; --test-routes: what
    # the suites need from a stack started apart
    extra = extra_config(args.config, args.test_routes)
    test_key = test_routes_key(not (args.no_demo or args.config), args.test_routes)
    stack = Stack(Path(args.data_dir), names=names, host=args.host, default_ports=not args.any_port,
                  port_offset=args.port_offset, seed=args.seed, demo=not (args.no_demo or args.config),
                  reset=args.reset, extra_config=extra, prepared=True, advertise_host=args.advertise_host)
    from harness.logs import configure
    try:
        stack.start()
    except (ValueError, OSError) as exc:
        print(f"spoticar-harness: {exc}", file=sys.stderr)
        return 2
    # after start: --reset has wiped the app folders the log files live in
    configure(args.log_level, args.log_format, args.data_dir, list(stack.apps))
    stack.wait_ready()
    marks = (0.0, cpu_started, stack.cpu_marks["imported"], stack.cpu_marks["built"], time.process_time())
    print(f"Spoticar harness prêt en {time.perf_counter() - started:.2f} s "
          f"(données : {Path(args.data_dir).resolve()}, graine {args.seed})\n")
    print(stack.describe())
    return _run_until_signal(stack, args.data_dir, {name: running.url for name, running in stack.apps.items()},
                             warm_up=True, cpu_phases={name: end - begin for name, begin, end
                                                       in zip(CPU_PHASES, marks, marks[1:])}, test_key=test_key)


def _serve(args) -> int:
    from harness.apps import BY_NAME
    from harness.building import extra_config, test_routes_key
    from harness.serving import ServeOptions, default_urls, serve
    import os

    from common.keys import TEST_KEY_ENV

    urls = default_urls(args.host, args.port_offset)
    for item in args.url or []:
        name, _, url = item.partition("=")
        if name not in BY_NAME or not url:
            print(f"spoticar-harness: --url {item} : attendu NOM=URL, NOM parmi {', '.join(BY_NAME)}",
                  file=sys.stderr)
            return 2
        urls[name] = url
    bind = args.bind or f"{args.host}:{BY_NAME[args.app].port + args.port_offset}"
    given = os.environ.get(TEST_KEY_ENV)
    test_key = test_routes_key(not (args.no_demo or args.config), args.test_routes)
    if test_key and not given:  # a serve on its own: its own key (up --processes hands its own on)
        print(f"Routes de test hors mode démo : en-tête X-Spoticar-Test-Key: {test_key}", flush=True)
    try:
        threads = ServeOptions.threads if args.threads is None else args.threads
        serve(ServeOptions(args.app, bind, workers=args.workers, threads=threads,
                           data_dir=Path(args.data_dir), seed=args.seed, demo=not (args.no_demo or args.config),
                           reset=args.reset, urls=urls, public_url=args.public_url,
                           extra=extra_config(args.config, args.test_routes).get(args.app, {})))
    except (ValueError, OSError) as exc:
        print(f"spoticar-harness: {exc}", file=sys.stderr)
        return 2
    return 0


def _browser(args) -> int:
    path = find_browser(args.browser_path)
    print(path or "playwright-bundled")
    return 0


# Commands declared here; the others (journal, dealers, keys, certify) are declared by their own
# modules, imported and built only when one of them is named, or for --help and an unknown name:
# ``up`` does without them (~10 ms of CPU: four modules and their sub-parsers).
OWN_COMMANDS = ("up", "serve", "browser")
# every command, in the order --help and a usage line name them (whichever were built)
ALL_COMMANDS = ("up", "serve", "journal", "browser", "dealers", "keys", "certify")


def _named_command(argv: list[str]) -> str | None:
    """The command ``argv`` names; None for the top-level help (``-h`` before any command name: the
    parser has no other option of its own)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
        if arg in ("-h", "--help"):
            return None
    return None


def _add_journal_command(sub) -> None:
    from harness.journal_cli import add_parser as add_journal
    add_journal(sub)


def _add_account_commands(sub) -> None:
    from certification import cli as certification_cli
    from harness import onboard_cli
    onboard_cli.register(sub)
    certification_cli.register(sub)


def main(argv: list[str] | None = None) -> int:
    """Run one ``spoticar-harness`` command; its exit status."""
    # Importing and building the apps creates ~190,000 objects and almost no garbage: the cyclic
    # collector would walk them a few hundred times for nothing (~18 % of a start's CPU). Off until
    # the command is started (``up``: every app answers), or done.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(argv, collecting)
    finally:
        if collecting:
            gc.enable()
        else:
            gc.disable()  # as the caller had it


def _main(argv: list[str] | None, collecting: bool) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = FrenchArgumentParser(prog="spoticar-harness", description=DESCRIPTION)
    # the usage line of an error names every command, even those not built for this one
    sub = parser.add_subparsers(dest="command", required=True, metavar="{" + ",".join(ALL_COMMANDS) + "}")
    others = _named_command(sys.argv[1:] if argv is None else argv) not in OWN_COMMANDS
    up = sub.add_parser("up", help="démarrer les applications avec les données de démonstration")
    up.add_argument("--only", help="liste d'applications séparées par des virgules: "
                    + ", ".join(s.name for s in APPS))
    up.add_argument("--seed", type=int, default=0, help="graine des données de démonstration (0)")
    up.add_argument("--data-dir", default="var", help="répertoire des données (var)")
    up.add_argument("--reset", action="store_true", help="repartir de données neuves")
    up.add_argument("--host", default="127.0.0.1", help="adresse d'écoute (0.0.0.0 : toutes les interfaces)")
    up.add_argument("--advertise-host", help="nom ou adresse par lequel les autres machines joignent les "
                    "applications : URL affichées et liens donnés (declaration_url, OpenAPI)")
    up.add_argument("--port-offset", type=int, default=0, help="décalage ajouté aux ports 8000…8006")
    up.add_argument("--any-port", action="store_true", help="ports libres choisis par le système (affichés)")
    up.add_argument("--no-demo", action="store_true", help="mode réel : pas de clés ni comptes de démo")
    up.add_argument("--log-level", choices=("info", "warning", "debug"), default="warning",
                    help="niveau des journaux (info : une ligne par requête)")
    up.add_argument("--log-format", choices=("text", "json"), default="text",
                    help="format des journaux (aussi écrits dans <data-dir>/<app>/app.log)")
    up.add_argument("--config", help="mode réel : points de vente et clés lus dans ce fichier TOML")
    up.add_argument("--processes", action="store_true",
                    help="chaque application dans son propre processus gunicorn (comme serve)")
    up.add_argument("--workers", type=_at_least_one, default=2, help="workers gunicorn par application (--processes)")
    up.add_argument("--test-routes", action="store_true",
                    help="pile pour les suites de tests : routes /__test__/ et profils de démo configurés")
    up.set_defaults(func=_up)
    serve = sub.add_parser("serve", help="servir une application sous gunicorn (plusieurs workers)")
    serve.add_argument("app", choices=[s.name for s in APPS])
    serve.add_argument("--bind", help="HÔTE:PORT d'écoute (défaut : --host et le port de l'application)")
    serve.add_argument("--workers", type=_at_least_one, default=2, help="processus workers gunicorn (2)")
    serve.add_argument("--threads", type=_at_least_one, help="fils par worker (8 : ServeOptions.threads)")
    serve.add_argument("--host", default="127.0.0.1", help="hôte des autres applications et d'écoute")
    serve.add_argument("--port-offset", type=int, default=0, help="décalage ajouté aux ports 8000…8006")
    serve.add_argument("--url", action="append", metavar="NOM=URL",
                       help="adresse d'une autre application (répétable), ex. icare=http://h:8001")
    serve.add_argument("--public-url", help="adresse publique de cette application (liens envoyés)")
    serve.add_argument("--data-dir", default="var", help="répertoire des données (var)")
    serve.add_argument("--seed", type=int, default=0, help="graine des données de démonstration (0)")
    serve.add_argument("--reset", action="store_true", help="repartir de données neuves")
    serve.add_argument("--no-demo", action="store_true", help="mode réel : pas de clés ni comptes de démo")
    serve.add_argument("--config", help="mode réel : points de vente et clés lus dans ce fichier TOML")
    serve.add_argument("--test-routes", action="store_true",
                       help="routes /__test__/ et profils de démo configurés (pour les suites de tests)")
    serve.set_defaults(func=_serve)
    if others:
        _add_journal_command(sub)
    browser = sub.add_parser("browser", help="afficher le navigateur utilisé par les suites")
    browser.add_argument("--browser-path")
    browser.set_defaults(func=_browser)
    if others:
        _add_account_commands(sub)
    args = parser.parse_args(argv)
    if args.func is not _up and collecting:
        gc.enable()  # parsing imported what every command needs; serve runs, and collects, for good
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
