"""One app per process under gunicorn (``spoticar-harness serve``), and the whole stack that way
(``spoticar-harness up --processes``). The in-process ``Stack`` stays what the test suites use.

The app is prepared once in the parent (tables, demo data), then each gunicorn worker builds its own
copy after the fork: its own database connections and its own background worker thread. Work shared
between workers and processes is claimed in the database (see ``centralisateur.declaring``).
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from gunicorn.app.base import BaseApplication

from common.serve import settle_heap
from harness.apps import AppSpec, select
from harness.building import app_config, build_app, stop_app
from harness.warm import load_templates, warm_up


def default_urls(host: str, port_offset: int = 0) -> dict[str, str]:
    """Every app's URL on the SPEC §2 ports (plus ``port_offset``)."""
    return {spec.name: f"http://{host}:{spec.port + port_offset}" for spec in select(None)}


_HANDED_OUT: set[int] = set()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port(host: str = "127.0.0.1") -> int:
    """A port free now for a server started later with a fixed bind address (gunicorn). Drawn below the
    kernel's ephemeral range: a port the OS hands out for ``bind(0)`` or an outgoing connection could be
    taken again by the time the server binds it (parallel suites saw "Address already in use")."""
    low, _ = _ephemeral_range()
    draws = random.SystemRandom()
    for _ in range(200) if low > 20000 else ():
        port = draws.randrange(20000, low)
        if port in _HANDED_OUT:
            continue
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def parse_bind(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"adresse d'écoute invalide : {bind} (attendu HÔTE:PORT)")
    return host, int(port)


class GunicornApp(BaseApplication):
    """gunicorn driven from Python: ``factory()`` builds the WSGI app in each worker, ``options`` for
    gunicorn (``gunicorn_options``)."""

    def __init__(self, factory, options: dict):
        self.factory, self.options = factory, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("worker_exit", lambda _arbiter, worker: stop_app(getattr(worker, "wsgi", None)))
        self.cfg.set("post_worker_init", _worker_ready)

    def load(self):
        return self.factory()


def _worker_ready(worker) -> None:
    """A worker's app is built: its templates loaded before it serves (``harness.warm``), then what it
    built is left out of the collector's passes (``settle_heap``)."""
    load_templates(getattr(worker, "wsgi", None))
    settle_heap()


def gunicorn_options(bind: str, workers: int, threads: int, name: str) -> dict:
    """How ``serve`` runs an app under gunicorn (``bench/handoff.py`` serves its bare endpoint alike)."""
    return {"bind": [bind], "workers": workers, "threads": threads,
            "worker_class": "harness.gunicorn_worker.FrenchThreadWorker", "timeout": 30,
            "graceful_timeout": 10, "keepalive": 30, "accesslog": None, "errorlog": "-", "loglevel": "warning",
            "proc_name": f"spoticar-{name}",
            # forwarded headers are the app's alone (common.proxies), as under waitress: X-Forwarded-Proto
            # from a loopback peer (gunicorn's default) no longer changes the scheme
            "forwarded_allow_ips": "",
            # gunicorn's largest request line (its default, 4094, refused a query a waitress-served app
            # reads and answers, e.g. a 5,000-digit ``limit``: the same request, another answer); past
            # it, its French 414 (``harness.gunicorn_worker``)
            "limit_request_line": 8190}


@dataclass
class ServeOptions:
    """What ``spoticar-harness serve`` needs to start one app."""

    name: str
    bind: str
    workers: int = 2
    # a thread per connection of a DMS opening 16 (2 × 8): hand-offs waiting for their group commit hold
    # theirs (2 × 4: 0.36–0.39× the bare floor served alike, 2 × 8: 0.42–0.43×, bench/handoff.py)
    threads: int = 8
    data_dir: Path = Path("var")
    seed: int = 0
    demo: bool = True
    reset: bool = False
    urls: dict = field(default_factory=dict)
    public_url: str | None = None
    extra: dict = field(default_factory=dict)


def prepare(options: ServeOptions) -> tuple[AppSpec, dict]:
    """Create the app's tables and demo data once, before any worker starts; its worker config."""
    spec = select([options.name])[0]
    if options.reset:
        shutil.rmtree(Path(options.data_dir) / spec.name, ignore_errors=True)
    host, port = parse_bind(options.bind)
    public = options.public_url or f"http://{host}:{port}"
    urls = {**options.urls, spec.name: public}
    base = dict(demo=options.demo, extra=options.extra)
    app, _ = build_app(spec, app_config(spec, options.data_dir, urls, public, background_jobs=False, **base),
                       seed=options.seed, reset=options.reset)
    stop_app(app)
    return spec, app_config(spec, options.data_dir, urls, public, background_jobs=True, **base)


def serve(options: ServeOptions) -> None:
    """Run one app under gunicorn until SIGTERM/SIGINT (blocks)."""
    spec, config = prepare(options)
    warm_up([spec.name])  # pydantic's models, httpx…: imported once here, inherited by every worker
    config["JOURNAL_PEERS"] = True  # a journal read asks the other workers to write what they hold
    GunicornApp(lambda: spec.load().create_app(config),
                gunicorn_options(options.bind, options.workers, options.threads, spec.name)).run()


def wait_healthy(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Wait until ``url``/healthz answers 200; fail early if ``process`` exits."""
    # one TLS context, not one per poll (~30 ms of CPU each)
    from spoticar_handoff.tls import tls_context

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"le processus de {url} s'est arrêté (code {process.returncode})")
        try:
            if httpx.get(url + "/healthz", timeout=1.0, verify=tls_context()).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"pas de réponse de {url}/healthz")


def stop_processes(processes: list[subprocess.Popen], timeout: float = 30.0) -> None:
    """Ask every process to stop (SIGTERM) at once, then wait for each: they shut down side by side."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=timeout)


def serve_command(name: str, bind: str, *, workers: int, data_dir: Path, seed: int, demo: bool,
                  urls: dict, public_url: str | None = None, config: str | None = None,
                  test_routes: bool = False) -> list[str]:
    """The ``spoticar-harness serve`` command line for one app (used by ``up --processes`` and tests)."""
    command = [sys.executable, "-m", "harness.cli", "serve", name, "--bind", bind,
               "--workers", str(workers), "--data-dir", str(data_dir), "--seed", str(seed)]
    command += [arg for other, url in urls.items() if other != name for arg in ("--url", f"{other}={url}")]
    if public_url:
        command += ["--public-url", public_url]
    if config:
        command += ["--config", str(Path(config).resolve())]
    if test_routes:
        command.append("--test-routes")
    if not demo:
        command.append("--no-demo")
    return command


class ProcessStack:
    """Every app in its own ``serve`` process on the SPEC §2 ports (or free ones with ``any_port``);
    ``config`` and ``test_routes`` as ``serve --config/--test-routes``. ``start()``, ``describe()``, ``stop()``."""

    def __init__(self, data_dir: Path, names: list[str] | None = None, host: str = "127.0.0.1",
                 port_offset: int = 0, workers: int = 2, seed: int = 0, demo: bool = True,
                 config: str | None = None, test_routes: bool = False, any_port: bool = False):
        self.data_dir, self.host, self.workers = Path(data_dir), host, workers
        self.seed, self.demo, self.config, self.test_routes = seed, demo, config, test_routes
        self.specs = select(names)
        self.urls = {**default_urls(host, port_offset),
                     **{s.name: f"http://{host}:{free_port(host) if any_port else s.port + port_offset}"
                        for s in self.specs}}
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self) -> ProcessStack:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
            str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")]))}
        for spec in self.specs:
            bind = self.urls[spec.name].removeprefix("http://")
            self.processes[spec.name] = subprocess.Popen(serve_command(
                spec.name, bind, workers=self.workers, data_dir=self.data_dir, seed=self.seed,
                demo=self.demo, urls=self.urls, config=self.config, test_routes=self.test_routes), env=env)
        for spec in self.specs:
            wait_healthy(self.urls[spec.name], 60, self.processes[spec.name])
        return self

    def describe(self) -> str:
        """URLs and, in demo mode, the logins and keys of each app (read from a local copy of it)."""
        lines = []
        for spec in self.specs:
            lines.append(f"■ {spec.title:<34} {self.urls[spec.name]}  ({self.workers} workers)")
            if self.demo:
                config = app_config(spec, self.data_dir, self.urls, self.urls[spec.name],
                                    background_jobs=False)
                app = spec.load().create_app(config)
                lines += [f"    {info}" for info in spec.load().demo_info(app)]
                stop_app(app)
        return "\n".join(lines)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
