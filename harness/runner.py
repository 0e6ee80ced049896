"""Start a set of apps, each on its own port and origin, wired to each other by URL.

Used by ``spoticar-harness up`` (default ports) and by the test suites (ports picked by the OS).
"""
from __future__ import annotations

import concurrent.futures as cf
import http.client
import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from common.serve import AppServer
from harness.apps import AppSpec, select
from harness.credentials import Credentials
from harness.building import app_config, build_app, stop_app

log = logging.getLogger(__name__)


def _answers(host: str, port: int) -> bool:
    """Whether the server on ``host:port`` answers ``/healthz`` below 500 (plain ``http.client``: an
    ``httpx.Client`` would load the CA bundle for nothing, the apps being plain HTTP)."""
    connection = http.client.HTTPConnection(host, port, timeout=1.0)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status < 500
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


@dataclass
class RunningApp:
    spec: AppSpec
    server: AppServer
    app: object = None
    seeded_now: bool = False
    advertise_host: str | None = None   # the host other machines reach it by (a remote browser)

    @property
    def url(self) -> str:
        if self.advertise_host:
            return f"http://{self.advertise_host}:{self.server.port}"
        return self.server.url


@dataclass
class Stack:
    """Apps served from background threads. ``with Stack(data_dir, ["centralisateur", "icare"]) as s:``."""

    data_dir: Path
    names: list[str] | None = None
    host: str = "127.0.0.1"
    advertise_host: str | None = None  # URLs handed out use this host (listening stays on ``host``)
    default_ports: bool = False        # SPEC §2 ports (up) or OS-picked ports (tests)
    port_offset: int = 0
    seed: int = 0
    demo: bool = True
    reset: bool = False
    background_jobs: bool = True
    prepared: bool = False             # fresh apps start from seeded images (fixtures.prepared): up
    extra_config: dict = field(default_factory=dict)   # {app name: {KEY: value}}
    external_urls: dict = field(default_factory=dict)  # {app name: URL} served elsewhere
    credentials: Credentials = field(default_factory=Credentials)  # what tests present to the apps
    apps: dict[str, RunningApp] = field(default_factory=dict)
    cpu_marks: dict[str, float] = field(default_factory=dict)  # process CPU seconds when each step of start ended

    def start(self) -> Stack:
        self.data_dir = Path(self.data_dir)
        specs = select(self.names)
        if self.reset:
            for spec in specs:
                self._wipe(spec.name)
        for spec in specs:
            port = spec.port + self.port_offset if self.default_ports else 0
            self.apps[spec.name] = RunningApp(spec, AppServer.bind(self.host, port),
                                              advertise_host=self.advertise_host)
        urls = {**{n: a.url for n, a in self.apps.items()}, **self.external_urls}
        for running in self.apps.values():
            running.spec.load()  # imports one after another; building and seeding run side by side
        self.cpu_marks["imported"] = time.process_time()
        with cf.ThreadPoolExecutor(max_workers=len(self.apps) or 1) as pool:
            list(pool.map(lambda item: self._build(*item, urls), self.apps.items()))
        for running in self.apps.values():
            running.server.start()
        self.cpu_marks["built"] = time.process_time()
        return self

    def _build(self, name: str, running: RunningApp, urls: dict) -> None:
        """Create the app, seed it on a fresh data directory, and mount it on its bound server."""
        config = app_config(running.spec, self.data_dir, urls, running.url, demo=self.demo,
                            background_jobs=self.background_jobs, extra=self.extra_config.get(name))
        running.app, running.seeded_now = build_app(running.spec, config, seed=self.seed,
                                                    reset=self.reset, prepared=self.prepared)
        running.server.mount(running.app)

    def _wipe(self, name: str) -> None:
        target = self.data_dir / name
        if target.exists():
            shutil.rmtree(target)

    def wait_ready(self, timeout: float = 10.0) -> float:
        """Seconds until every app answers HTTP (``/healthz``, any status below 500). The liveness
        route renders no page, so start-up does not wait on compiling every app's home templates."""
        start = time.perf_counter()
        pending = dict(self.apps)
        while pending and time.perf_counter() - start < timeout:
            for name, running in list(pending.items()):
                if _answers(running.server.host, running.server.port):
                    pending.pop(name)
            if pending:
                time.sleep(0.02)
        if pending:
            raise TimeoutError(f"pas de réponse de : {', '.join(pending)}")
        return time.perf_counter() - start

    def url(self, name: str) -> str:
        return self.apps[name].url if name in self.apps else self.external_urls[name]

    def app(self, name: str):
        """The Flask app object of an app started here — for ``bench/`` only; tests go through HTTP."""
        return self.apps[name].app

    def stop_serving(self, name: str) -> None:
        """An outage of ``name``: its server stops answering (the app and its data stay)."""
        self.apps[name].server.stop()

    def serve_again(self, name: str) -> None:
        """``name`` answers again, on the same port, after ``stop_serving``."""
        running = self.apps[name]
        running.server = AppServer.bind(self.host, running.server.port).mount(running.app).start()

    def stop(self) -> None:
        for running in self.apps.values():
            running.server.stop()
            stop_app(running.app)

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def describe(self) -> str:
        """URLs, demo logins and API keys of every running app, for a person to read."""
        lines = []
        for name, running in self.apps.items():
            lines.append(f"■ {running.spec.title:<34} {running.url}")
            module = running.spec.load()
            for info in module.demo_info(running.app) if self.demo else []:
                lines.append(f"    {info}")
        return "\n".join(lines)
