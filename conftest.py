"""Options shared by every suite: aim a suite at an external app by URL (SPEC §8), and the keys and
logins to present to it (demo values by default)."""
from __future__ import annotations

import os
import secrets
import socket
import zlib

import pytest

from fixtures.factories import Factory
from harness import credentials
from harness.apps import APPS, available_apps
from harness.runner import Stack
from harness.testing import SUITE_CONFIG

# cheap password hashing for every app the suites start, in this process and in those it spawns
# (common.auth); production keeps the full scrypt cost
os.environ.setdefault("SPOTICAR_TEST_KDF", "1")

# a failing test that drove a stack gets the journal of the traces it touched (report extra + HAR);
# --dist loadgroup keeps each xdist_group on one worker (harness.pytest_xdist_groups); the SQLite engines
# of a process share their compiled statements (harness.pytest_sql_cache), its httpx clients one TLS context
# (harness.pytest_tls)
pytest_plugins = ["harness.pytest_journal", "harness.pytest_xdist_groups", "harness.pytest_cpu", "harness.pytest_heap",
                  "harness.pytest_sql_cache", "harness.pytest_tls"]


def pytest_addoption(parser):
    group = parser.getgroup("spoticar", "Spoticar harness")
    for spec in APPS:
        group.addoption(f"--{spec.name.replace('_', '-')}-url", dest=f"{spec.name}_url", default=None,
                        help=f"use the {spec.title} at this URL instead of starting the simulator")
    group.addoption("--stack", dest="spoticar_stack", default=os.environ.get("SPOTICAR_STACK"), metavar="DIR",
                    help="use every app of the stack « spoticar-harness up --data-dir DIR » runs (its "
                         "stack.json; a --<app>-url still wins); default: SPOTICAR_STACK")
    group.addoption("--data-salt", dest="data_salt", type=int, metavar="N",
                    default=int(os.environ["SPOTICAR_DATA_SALT"]) if os.environ.get("SPOTICAR_DATA_SALT") else None,
                    help="mixed into every test's data seed (default: SPOTICAR_DATA_SALT, else 0 on the suites' "
                         "own stack and a new one per run against an external stack, printed in the header): "
                         "a run's data never meets what earlier runs left on a stack that keeps it; give "
                         "the printed value to replay a run's data on a fresh stack")
    group.addoption("--browser-path", dest="spoticar_browser", default=None,
                    help="Chromium/Chrome executable (default: SPOTICAR_BROWSER, system, bundled)")
    credentials.add_options(group)
    group.addoption("--browser-cdp", dest="browser_cdp", default=os.environ.get("SPOTICAR_BROWSER_CDP"),
                    help="drive a Chromium running elsewhere over CDP, e.g. http://browser:9222 "
                         "(default: SPOTICAR_BROWSER_CDP)")
    group.addoption("--advertise-host", dest="advertise_host", default=None,
                    help="host name the browser reaches the test stack by: the stack listens on the "
                         "address it resolves to and hands out URLs with it")
    group.addoption("--shard", dest="shard", default=None, metavar="I/N",
                    help="run only shard I of N (1 ≤ I ≤ N), the same split on every machine "
                         "(pytest-split; by recorded durations when .test_durations exists)")


def pytest_configure(config):
    """The run's data salt (``--data-salt``, see ``_data_salt``). Under xdist on PostgreSQL (``make
    test``'s PostgreSQL pass), each worker gets a fresh database of its own next to DATABASE_URL's, so
    workers never share tables; dropped when the worker ends."""
    config.option.data_salt = _data_salt(config)
    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), os.environ.get("DATABASE_URL", "")
    if worker and url.startswith("postgresql"):
        config._worker_database = _worker_database(url, worker)
        os.environ["DATABASE_URL"] = config._worker_database


def _data_salt(config) -> int:
    """``--data-salt`` when given; an xdist worker takes its controller's; else 0 on the suites' own
    (fresh) stack, and a new value per run against an external one, where earlier runs' data stays:
    the same test creating the same plates, e-mails or orders again would meet its own leftovers."""
    if config.option.data_salt is not None:
        return config.option.data_salt
    if hasattr(config, "workerinput"):
        return config.workerinput["spoticar_data_salt"]
    external = config.option.spoticar_stack or any(getattr(config.option, f"{spec.name}_url", None) for spec in APPS)
    return secrets.randbelow(2**31 - 1) + 1 if external else 0


@pytest.hookimpl(optionalhook=True)   # xdist only
def pytest_configure_node(node):
    """Every worker uses the controller's data salt (one printed value replays the whole run)."""
    node.workerinput["spoticar_data_salt"] = node.config.option.data_salt


def pytest_unconfigure(config):
    url = getattr(config, "_worker_database", None)
    if url:
        _admin(url, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    """Run ``statement`` (``{name}``: the database of ``url``) from the server's ``postgres`` database."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    target = make_url(url)
    engine = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(statement.format(name=target.database)))
    engine.dispose()


def _worker_database(url: str, worker: str) -> str:
    from sqlalchemy.engine import make_url
    base = make_url(url)
    own = base.set(database=f"{base.database}_{worker}").render_as_string(hide_password=False)
    _admin(own, 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(own, 'CREATE DATABASE "{name}"')
    return own


# The longest tests (seconds on a quiet 2-core machine, ``--durations``), started first: under xdist a
# long test scheduled last keeps one worker busy while the others have nothing left to do. Tests of an
# ``xdist_group`` go before all of these (``--dist loadgroup`` sends the largest groups first).
SLOW_FIRST = ("e2e/test_remote_browser.py", "tests/test_sharding.py", "tests/test_external_stack.py",
              "tests/test_serving.py", "tests/security/test_slow_clients.py", "tests/certification/test_simulators.py",
              "tests/certification/test_session_http.py", "tests/journal/test_pytest_attachment.py",
              "tests/test_cli.py", "e2e/tec3h/test_flow.py", "e2e/pvo2/test_pvo2_flow.py",
              "tests/journal/test_storage.py", "tests/certification/test_outside_party.py",
              "tests/certification/test_durable_evidence.py", "e2e/pvo2/test_contract_push.py",
              "tests/journal/test_cross_process.py", "tests/test_cpu_report.py", "e2e/bee2link/test_bee2link_flow.py",
              "e2e/neovo/test_neovo_flow.py", "tests/centralisateur/test_manual_retry.py",
              "tests/journal/test_workers.py", "e2e/bee2link/test_sale_entry.py", "e2e/icare/test_portal.py",
              "e2e/tec3h/test_order_buttons.py", "e2e/pvo2/test_offer_buttons.py")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Under xdist, the files of ``SLOW_FIRST`` first, in that order; every other test keeps its place.
    A run without workers (the PostgreSQL groups) keeps the files' order: there the tests of a group
    share one database, and a stack started early would seed the demo data under a later one's."""
    if not (hasattr(config, "workerinput") or config.getoption("numprocesses", default=None)):
        return
    rank = {path: index for index, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.hookimpl(tryfirst=True, optionalhook=True)   # optional: runs with -p no:xdist too
def pytest_xdist_auto_num_workers(config):
    """``-n auto``: two workers per core (``PYTEST_XDIST_AUTO_NUM_WORKERS`` still wins). Most of the
    suites' time is waiting — on a browser, a server in another process, a certification plan's
    timers — so twice as many workers as cores keep the cores busy."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return 2 * max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """``--shard I/N`` is pytest-split's ``--group I --splits N``, in the form CI matrices use."""
    shard = config.getoption("shard")
    if not shard:
        return None
    index, _, total = shard.partition("/")
    if not (index.isdigit() and total.isdigit() and 1 <= int(index) <= int(total)):
        raise pytest.UsageError(f"--shard {shard} : attendu I/N avec 1 ≤ I ≤ N, par exemple 2/4")
    config.option.group, config.option.splits = int(index), int(total)
    # shards of even size (or duration, with .test_durations), not the default's contiguous chunks,
    # which can leave one shard with twice another's tests
    config.option.splitting_algorithm = "least_duration"
    return None


def pytest_report_header(config):
    salt = config.option.data_salt
    return [f"spoticar: --data-salt {salt} (the data this run creates; give it to replay them)"] if salt else []


@pytest.fixture
def factory(request) -> Factory:
    """Faker fr_FR factory seeded from the test's id (and ``--data-salt``): same test → same data,
    tests differ."""
    return Factory(zlib.crc32(request.node.nodeid.encode()) ^ request.config.option.data_salt)


@pytest.fixture
def client_address(request):
    """``address(label)``: a loopback address (127.x.y.z, never 127.0.0.1) for a client of its own, for
    the tests of per-client limits (login locks, public forms' hourly bound). Drawn from the label and
    the run's ``--data-salt``: against an external stack, where a limit counted by an earlier run stays
    for its window (15 min, an hour), each run is a new client — a fixed address was locked out the
    next time the suite ran there."""
    salt = request.config.option.data_salt

    def address(label: str) -> str:
        drawn = zlib.crc32(f"{salt}:{label}".encode())
        return f"127.{1 + drawn % 254}.{1 + (drawn >> 8) % 254}.{1 + (drawn >> 16) % 254}"
    return address


def external_urls(config) -> dict[str, str]:
    """Apps served elsewhere: those of ``--stack DIR``, then each ``--<app>-url``."""
    urls = {}
    if config.option.spoticar_stack:
        from pathlib import Path

        from harness.state import read_state
        where = Path(config.option.spoticar_stack)
        urls = read_state(where.parent if where.is_file() else where)
        if not urls:
            raise pytest.UsageError(f"--stack {config.option.spoticar_stack} : pas de stack.json d'une pile "
                                    "démarrée par « spoticar-harness up --data-dir … » dans ce répertoire")
    return {**urls, **{spec.name: getattr(config.option, f"{spec.name}_url") for spec in APPS
                       if getattr(config.option, f"{spec.name}_url", None)}}


def app_keys(creds: credentials.Credentials) -> dict[str, dict]:
    """The keys the apps started here use: the same the tests present (demo ones by default)."""
    keys = {dms: {"CENTRALISATEUR_API_KEY": key} for dms, key in creds.dms_keys.items()}
    return {**keys, "centralisateur": {"DMS_KEYS": creds.dms_keys, "ICARE_SERVICE_KEY": creds.icare_key},
            "icare": {"ICARE_SERVICE_KEY": creds.icare_key},
            "pvo2": {**keys.get("pvo2", {}), "PSA_INSURANCE_API_KEY": creds.icare_key}}


@pytest.fixture(scope="session")
def stack(tmp_path_factory, pytestconfig) -> Stack:
    """Every simulator not replaced by an external URL, seeded with the demo data (seed 0), with the
    test routes and the demo dealers' Profil configured (``harness.testing.SUITE_CONFIG``)."""
    creds = credentials.from_options(pytestconfig.option)
    if pytestconfig.option.spoticar_stack and not creds.test_key:  # a stack up started outside demo mode
        import dataclasses
        from pathlib import Path

        from harness.state import read_test_key
        where = Path(pytestconfig.option.spoticar_stack)
        creds = dataclasses.replace(creds, test_key=read_test_key(where.parent if where.is_file() else where))
    running = start_test_stack(tmp_path_factory.mktemp("stack"), external_urls(pytestconfig),
                               pytestconfig.option.advertise_host, creds)
    yield running
    running.stop()


def start_test_stack(data_dir, external: dict[str, str] | None = None, advertise: str | None = None,
                     creds: credentials.Credentials | None = None, config: dict[str, dict] | None = None) -> Stack:
    """A started stack of every available app (but those at ``external`` URLs), test routes on, the
    apps using the keys the tests present (``creds``, demo ones by default); ``advertise``: the host
    name other machines reach it by (default: loopback only); ``config``: more settings per app."""
    external, creds = external or {}, creds or credentials.Credentials()
    names = [spec.name for spec in available_apps() if spec.name not in external]
    keys = app_keys(creds)
    running = Stack(data_dir, names=names, external_urls=external, credentials=creds,
                    host=socket.gethostbyname(advertise) if advertise else "127.0.0.1",
                    advertise_host=advertise,
                    extra_config={name: {**SUITE_CONFIG.get(name, {}), **keys.get(name, {}), **(config or {}).get(name, {})}
                                  for name in names})
    running.start()
    running.wait_ready()
    return running
