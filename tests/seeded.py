"""Per-test apps seeded once per test process. The first test of an app and configuration creates its
tables and seeds the demo data, and a copy of its SQLite database is kept (SQLite's backup); each next
test starts from a copy in its own data directory, as ``up`` starts from ``fixtures.prepared``'s
images — the same rows ``seed_demo`` writes, without creating the tables and seeding again per test
(a third of these suites' CPU). On a server database (DATABASE_URL) each app is seeded in place."""
from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from fixtures.prepared import restore_image

# configuration that leaves the seeded data as it is: where the app keeps it and whom it calls
PLACE = {"DATA_DIR", "URLS", "PUBLIC_URL", "HANDOFF_TRANSPORT"}
_images: dict[str, Path] = {}
_scratch: list[Path] = []


def seeded_app(module, config: dict, seed: int = 0):
    """``module.create_app(config)`` holding the data of ``module.seed_demo(app,
    seed)``: seeded by the process's first such app, copied from it for the next ones."""
    create = module.create_app
    data_dir = Path(config["DATA_DIR"])
    if config.get("DATABASE_URL"):
        app = create(config)
        module.seed_demo(app, seed)
        return app
    # the demo's dates count from today: a run going past midnight seeds again; the SPOTICAR_* settings
    # of the environment count as fixtures.prepared's images have them (SPOTICAR_TEST_KDF: the hashes)
    key = json.dumps([module.__name__, seed, dt.date.today().isoformat(),
                      {k: v for k, v in config.items() if k not in PLACE},
                      {k: v for k, v in os.environ.items() if k.startswith("SPOTICAR_")}], sort_keys=True, default=repr)
    image = _images.get(key)
    if image is not None and restore_image(image, data_dir):
        return create(config)
    # kept only when seeded on an empty directory: a test building its app again on its own data
    # (or beside another app's database) must not become the next tests' starting point
    fresh = not any(data_dir.glob("*.sqlite3"))
    app = create(config)
    module.seed_demo(app, seed)
    if fresh and key not in _images:
        _images[key] = _keep(data_dir)
    return app


def _keep(data_dir: Path) -> Path:
    """A consistent copy of every SQLite database of ``data_dir`` (write-ahead log included)."""
    if not _scratch:
        _scratch.append(Path(tempfile.mkdtemp(prefix="seeded-apps-")))
        atexit.register(shutil.rmtree, _scratch[0], True)
    image = Path(tempfile.mkdtemp(dir=_scratch[0]))
    for database in data_dir.glob("*.sqlite3"):
        source, copy = sqlite3.connect(database), sqlite3.connect(image / database.name)
        with source, copy:
            source.backup(copy)
        source.close()
        copy.close()
    return image
