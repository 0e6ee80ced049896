"""What start-up leaves for later is not paid again at every start: templates compiled once per user
(``harness.template_cache``), never served stale; ``up`` builds the deferred pydantic models
once every app answers (``harness.warm``), not at the first request that needs one."""
from __future__ import annotations

import os
import shutil

import pytest
from jinja2 import Environment, FileSystemLoader

from harness.template_cache import template_cache


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    folder = tmp_path / "prepared"
    monkeypatch.setenv("SPOTICAR_PREPARED_DIR", str(folder))
    return folder


def _environment(templates) -> Environment:
    environment = Environment(loader=FileSystemLoader(str(templates)), autoescape=True)
    environment.bytecode_cache = template_cache(environment)
    return environment


def test_a_template_compiled_once_is_kept_and_a_changed_one_is_never_served_stale(tmp_path, cache_home):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Bonjour {{ name }}", encoding="utf-8")
    assert _environment(templates).get_template("page.html").render(name="<Léa>") == "Bonjour &lt;Léa&gt;"
    [kept] = (cache_home / "templates").glob("*/*.cache")
    assert kept.parent.stat().st_mode & 0o777 == 0o700  # code the apps run: this user's alone

    # a new process (a new environment) finds the kept code…
    assert _environment(templates).get_template("page.html").render(name="Léa") == "Bonjour Léa"
    # …but never for a template changed since: Jinja checks the source against the kept checksum
    (templates / "page.html").write_text("Au revoir {{ name }}", encoding="utf-8")
    assert _environment(templates).get_template("page.html").render(name="Léa") == "Au revoir Léa"


def test_a_cache_others_can_write_to_is_not_used(cache_home):
    environment = Environment(autoescape=True)
    folder = template_cache(environment).directory
    assert folder.startswith(str(cache_home))
    os.chmod(folder, 0o777)
    assert template_cache(environment).directory == ""


def test_a_page_is_served_when_its_compiled_code_cannot_be_kept(tmp_path, cache_home):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("Accueil", encoding="utf-8")
    environment = _environment(templates)
    shutil.rmtree(environment.bytecode_cache.directory)  # removed meanwhile; a full disk fails alike
    assert environment.get_template("page.html").render() == "Accueil"


def test_up_builds_the_models_left_for_later_once_every_app_answers():
    from pydantic import BaseModel

    import centralisateur  # noqa: F401  (its start leaves the hand-off models for later)
    from harness.warm import OURS, warm_up

    warm_up(["centralisateur", "icare"])
    from simulators.icare.wire import ContractIn
    from spoticar_handoff.models import HandoffIn
    ours = [m for m in _all(BaseModel) if m.__module__.split(".")[0] in OURS]
    assert {HandoffIn, ContractIn} <= set(ours) and all(m.__pydantic_complete__ for m in ours)
    assert warm_up(["centralisateur", "icare"]) == 0  # nothing left: a second pass builds nothing again


def test_up_loads_every_template_of_its_apps_once_every_app_answers(tmp_path):
    import centralisateur
    from harness.warm import warm_up

    app = centralisateur.create_app({"DATA_DIR": str(tmp_path), "URLS": {}, "BACKGROUND_JOBS": False})
    try:
        warm_up([], [app])
        loaded = {template.name for template in app.jinja_env.cache.values()}
        names = set(app.jinja_env.list_templates())
        assert len(names) > 10 and names <= loaded  # a first page finds its templates loaded
    finally:
        app.extensions["harness_stop"]()


def _all(model) -> list:
    found = []
    for sub in model.__subclasses__():
        found += [sub, *_all(sub)]
    return found


def test_changed_code_compiles_the_templates_again(cache_home, monkeypatch):
    # a filter applied to a constant is folded into the compiled code: a change of ours must not reuse it
    from fixtures import prepared

    environment = Environment(autoescape=True)
    before = template_cache(environment).directory
    monkeypatch.setattr(prepared, "code_fingerprint", lambda: "a later version of the code")
    assert template_cache(environment).directory not in ("", before)
