"""``scripts/with-postgres.sh`` never skips in silence: CI fails, elsewhere the JUnit report says why."""
from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "with-postgres.sh"


def _without_postgres(tmp_path: Path) -> dict:
    """A copy of the script on a machine where PostgreSQL cannot be installed (apt refuses) and is absent."""
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    shutil.copy(SCRIPT, scripts / "with-postgres.sh")
    (scripts / "ensure-apt.sh").write_text("#!/usr/bin/env bash\nexit 1\n")
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("bash", "env", "mkdir", "dirname", "cat", "id", "true"):
        os.symlink(shutil.which(tool), tools / tool)
    return {"PATH": str(tools), "HOME": str(tmp_path)}


def _run(tmp_path: Path, env: dict, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(tmp_path / "scripts" / "with-postgres.sh"), *command],
                          env=env, capture_output=True, text=True, timeout=30, cwd=tmp_path)


def test_missing_postgresql_fails_the_run_under_ci(tmp_path):
    env = {**_without_postgres(tmp_path), "CI": "true"}
    result = _run(tmp_path, env, "true", f"--junitxml={tmp_path}/reports/junit-pg.xml")
    assert result.returncode == 1
    assert "PostgreSQL indisponible" in result.stderr and "CI est défini" in result.stderr
    assert not (tmp_path / "reports" / "junit-pg.xml").exists()


def test_missing_postgresql_is_recorded_as_a_skip_with_its_reason(tmp_path):
    report = tmp_path / "reports" / "junit-pg.xml"
    result = _run(tmp_path, _without_postgres(tmp_path), "true", f"--junitxml={report}")
    assert result.returncode == 0
    assert "suite PostgreSQL non jouée" in result.stderr
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite.get("skipped") == "1"
    skipped = suite.find("testcase/skipped")
    assert skipped.get("message") == ("PostgreSQL indisponible : le paquet postgresql n'a pas pu être "
                                      "installé")
