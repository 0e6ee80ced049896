"""Build one app from its spec the same way everywhere: in-process stacks, ``serve`` and ``up --processes``."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from harness.apps import AppSpec


def app_config(spec: AppSpec, data_dir: Path, urls: dict, public_url: str, *, demo: bool = True,
               background_jobs: bool = True, extra: dict | None = None) -> dict:
    """The configuration ``create_app`` receives: state under ``data_dir/<name>``, every app's URL."""
    config = {"DATA_DIR": str(Path(data_dir) / spec.name), "DEMO_MODE": demo, "URLS": dict(urls),
              "PUBLIC_URL": public_url, "BACKGROUND_JOBS": background_jobs,
              "READY_NEEDS": list(spec.needs), **(extra or {})}
    if os.environ.get("DATABASE_URL"):
        config.setdefault("DATABASE_URL", os.environ["DATABASE_URL"])
    return config


def extra_config(config_file: str | None = None, test_routes: bool = False) -> dict[str, dict]:
    """Per-app settings of ``--config`` (a deployment's dealers and keys, read by the centralisateur and
    Icare) and ``--test-routes`` (what the suites need: ``harness.testing.SUITE_CONFIG``), the same for
    ``up``, ``up --processes`` and ``serve``."""
    extra: dict[str, dict] = {}
    if config_file:
        extra = {app: {"CONFIG_FILE": str(Path(config_file).resolve())} for app in ("centralisateur", "icare")}
    if test_routes:
        from harness.testing import SUITE_CONFIG
        extra = {app: {**SUITE_CONFIG.get(app, {}), **extra.get(app, {})} for app in {*SUITE_CONFIG, *extra}}
    return extra


def test_routes_key(demo: bool, test_routes: bool) -> str | None:
    """Outside demo mode, the key the stack's test routes ask for (``common.testing``): the
    environment's ``SPOTICAR_TEST_ROUTES_KEY``, else a new random one put there, so every app of the
    stack — in this process or in the ``serve`` processes it starts — asks for the same. None when
    the routes are open (demo mode) or not mounted."""
    if demo or not test_routes:
        return None
    from common.keys import TEST_KEY_ENV
    if not os.environ.get(TEST_KEY_ENV):
        import secrets
        os.environ[TEST_KEY_ENV] = secrets.token_urlsafe(32)
    return os.environ[TEST_KEY_ENV]


# CPython 3.11 < 3.11.8 can fail compiling ASTs in two threads at once ("AST constructor recursion
# depth mismatch", gh-106905); werkzeug compiles each route with ``ast`` while an app is created, so
# apps are created one at a time and only their seeding runs side by side.
_CREATE_LOCK = threading.Lock()


def build_app(spec: AppSpec, config: dict, *, seed: int = 0, reset: bool = False,
              prepared: bool = False):
    """``(app, seeded_now)``: the app created, its tables reset on a server database when asked, and
    seeded with the demo data once per data directory (a ``seeded`` marker file). ``prepared``: a
    fresh SQLite data directory starts from the seeded image ``fixtures.prepared`` keeps, when one
    matches, else is seeded and its image kept for the next time."""
    module = spec.load()
    marker = Path(config["DATA_DIR"]) / "seeded"
    marker.parent.mkdir(parents=True, exist_ok=True)  # a server database leaves no file there
    to_seed = bool(config.get("DEMO_MODE")) and not marker.exists()
    image, restored = None, False
    if prepared and to_seed:
        from fixtures.prepared import image_path, restore_image
        image = image_path(spec.name, config, seed)
        restored = restore_image(image, marker.parent)
        if restored:
            marker.write_text(str(seed))  # the data is complete before the app opens it
    app = _create(module, config)
    db = app.extensions.get("db")
    if reset and db is not None and not db.url.startswith("sqlite"):
        # a shared server database: --reset drops this app's own tables, then the app is built again
        # as on a new database (what create_app writes at start — the DMS keys' digests, a deployment's
        # dealers — would be lost if the tables were only emptied after it)
        db.drop_all()
        stop_app(app)
        app = _create(module, config)
        db = app.extensions.get("db")
    if restored or not to_seed:
        return app, restored
    module.seed_demo(app, seed)
    marker.write_text(str(seed))
    if image is not None and db is not None and db.url.startswith("sqlite:///"):
        from fixtures.prepared import keep_image
        keep_image(image, Path(db.url.removeprefix("sqlite:///")))
    return app, True


def _create(module, config: dict):
    """``module.create_app(config)``, its templates compiled once per user and kept
    (``harness.template_cache``)."""
    with _CREATE_LOCK:
        app = module.create_app(config)
    environment = getattr(app, "jinja_env", None)
    if environment is not None and environment.bytecode_cache is None:
        from harness.template_cache import template_cache
        environment.bytecode_cache = template_cache(environment)
    return app


def stop_app(app) -> None:
    """Stop an app's background jobs and close its database connections."""
    stop = getattr(app, "extensions", {}).get("harness_stop")
    if stop:
        stop()
