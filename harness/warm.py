"""What a start leaves for the first requests, done once the apps answer: ``up`` runs it right after
every app answers, ``serve`` in its master before the workers fork (they inherit it) and each worker
loads its app's templates before it serves."""
from __future__ import annotations

OURS = ("centralisateur", "certification", "common", "simulators", "spoticar_handoff")

# What each app's first requests import (pydantic's models, httpx's clients: ~0.1 s of CPU for the
# stack) and its start leaves out: imported, and their validators built, once every app answers,
# so a person's first hand-off or form does not pay for it.
FIRST_USE = {
    "centralisateur": ("spoticar_handoff.warnings", "spoticar_handoff.client", "certification.inputs",
                       "common.errors"),
    "icare": ("simulators.icare.wire", "common.errors", "common.journal.client"),
    "pvo2": ("spoticar_handoff.client",), "tec3h": ("spoticar_handoff.client",),
    "bee2link": ("spoticar_handoff.client",), "neovo": ("spoticar_handoff.client",),
}
# What every app's first request carrying a ``traceparent`` imports (the journal's parser of it)
EVERY_APP = ("opentelemetry.trace.propagation.tracecontext", "opentelemetry.trace")


def warm_up(names, apps=()) -> int:
    """Import what the apps ``names`` left for their first requests (``FIRST_USE``), configure the
    ORM's mappers, load the templates of the Flask ``apps`` (from the compiled-template cache), then
    build the validators of our pydantic models declared ``defer_build`` (~30 ms of CPU for all):
    else the first request using one pays for it (the first hand-off: ~0.1 s, a page ~10 ms). How
    many models were built."""
    import importlib

    for module in dict.fromkeys(m for name in names for m in (*FIRST_USE.get(name, ()), *EVERY_APP)):
        importlib.import_module(module)
    for app in apps:
        load_templates(app)
    from sqlalchemy.orm import configure_mappers
    configure_mappers()  # the ORM's relationships, else set up by each app's first query
    from pydantic import BaseModel

    built, pending = 0, list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        if model.__module__.split(".")[0] in OURS and not model.__pydantic_complete__:
            built += bool(model.model_rebuild(raise_errors=False))
    return built


def load_templates(app) -> None:
    """Load every template of the Flask ``app`` (from the compiled-template cache when it has one)."""
    environment = getattr(app, "jinja_env", None)
    for template in environment.list_templates() if environment is not None else ():
        environment.get_template(template)
