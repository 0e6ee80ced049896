"""Who may import whom: the SDK stands alone (pydantic + httpx), ``common/`` imports no app, nothing
under ``common/`` or ``simulators/`` imports the centralisateur (they talk to it over HTTP)."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = {"centralisateur", "common", "simulators", "fixtures", "harness", "certification"}


def imported_modules(package: str) -> dict[str, set[str]]:
    """Each Python file of ``package`` → the top-level names it imports (lazy imports included)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_importing_the_sdk_loads_no_web_framework_database_or_app():
    code = ("import json, sys, spoticar_handoff, spoticar_handoff.callbacks, spoticar_handoff.catalogue; "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = set(json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                                           capture_output=True, text=True).stdout))
    assert "spoticar_handoff" in loaded
    assert not loaded & ({"flask", "werkzeug", "jinja2", "sqlalchemy"} | OUR_PACKAGES)


def test_the_sdk_imports_only_pydantic_httpx_and_the_standard_library():
    allowed = {"spoticar_handoff", "pydantic", "pydantic_core", "httpx", "__future__"}
    for path, names in imported_modules("spoticar_handoff").items():
        third_party = {n for n in names - allowed if n not in sys.stdlib_module_names}
        assert not third_party, f"{path} imports {third_party}"


@pytest.mark.parametrize("package", ["common", "simulators"])
def test_nothing_under_common_or_simulators_imports_the_centralisateur(package):
    offenders = {p: n for p, n in imported_modules(package).items() if "centralisateur" in n}
    assert offenders == {}


def test_common_imports_no_app():
    offenders = {p: n & {"centralisateur", "simulators", "harness"}
                 for p, n in imported_modules("common").items() if n & {"centralisateur", "simulators", "harness"}}
    assert offenders == {}
