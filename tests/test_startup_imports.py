"""What a start leaves for later: a restart on existing data serves every app without importing
pydantic, httpx (~0.1 s of CPU) nor OpenTelemetry: the models, clients and the traceparent parser come
with the first request needing them, or with ``up``'s warm-up once every app answers. On SQLite,
SQLAlchemy's PostgreSQL dialect (~30 ms, every driver module) is not imported either."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.up_process import HANG

ROOT = Path(__file__).resolve().parent.parent

# start the whole stack in-process on DATA_DIR (as ``up`` does), then print the top-level modules loaded
START = """
import json, sys
from harness.runner import Stack
stack = Stack(sys.argv[1], prepared=True).start()
try:
    stack.wait_ready()
    # (a None entry is no module: harness/__init__.py blocks httpx's command line that way)
    print(json.dumps(sorted(m for m, module in sys.modules.items() if module is not None)))
finally:
    stack.stop()
"""


def _loaded_after_start(data_dir: Path, images: Path) -> set[str]:
    """Every module imported once the stack answers (dotted names)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SPOTICAR_PREPARED_DIR": str(images)}
    done = subprocess.run([sys.executable, "-c", START, str(data_dir)], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=HANG)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_restart_serves_every_app_without_pydantic_httpx_or_opentelemetry(tmp_path):
    _loaded_after_start(tmp_path / "var", tmp_path / "images")  # fresh: seeds (Faker and all)
    modules = _loaded_after_start(tmp_path / "var", tmp_path / "images")
    loaded = {m.split(".")[0] for m in modules}
    assert {"flask", "sqlalchemy", "centralisateur", "simulators"} <= loaded
    assert sorted(loaded & {"pydantic", "pydantic_core", "httpx", "httpcore", "faker", "opentelemetry"}) == []
    if not os.environ.get("DATABASE_URL"):
        assert "sqlalchemy.dialects.sqlite" in modules
        assert "sqlalchemy.dialects.postgresql" not in modules
