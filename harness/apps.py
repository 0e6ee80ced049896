"""The apps of the harness and their default ports (SPEC §2). An app is started when its package exists.

Each app package exposes ``create_app(config)``, ``seed_demo(app, seed)`` and ``demo_info(app)``.
"""
from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass


@dataclass(frozen=True)
class AppSpec:
    name: str
    module: str
    port: int
    title: str
    needs: tuple[str, ...] = ()   # apps it calls: /readyz checks they answer

    def available(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:
            return False

    def load(self):
        return importlib.import_module(self.module)


APPS: tuple[AppSpec, ...] = (
    AppSpec("centralisateur", "centralisateur", 8000, "Centralisateur Spoticar (CDS)", ("icare",)),
    AppSpec("icare", "simulators.icare", 8001, "Icare / Services.Spoticar"),
    AppSpec("pvo2", "simulators.pvo2", 8002, "PVO2 (Planet VO²)", ("centralisateur", "icare")),
    AppSpec("tec3h", "simulators.tec3h", 8003, "Tec3H", ("centralisateur",)),
    AppSpec("bee2link", "simulators.bee2link", 8004, "Bee2link", ("centralisateur",)),
    AppSpec("neovo", "simulators.neovo", 8005, "NeoVO (Reynolds)", ("centralisateur",)),
    AppSpec("portail_b2b", "simulators.portail_b2b", 8006, "Portail B2B Stellantis"),
)

BY_NAME = {spec.name: spec for spec in APPS}


def available_apps() -> list[AppSpec]:
    return [spec for spec in APPS if spec.available()]


def select(names: list[str] | None) -> list[AppSpec]:
    """The specs for ``names`` (all available apps when None, none for an empty list: every app
    served elsewhere); unknown or missing names raise."""
    if names is None:
        return available_apps()
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise ValueError(f"application inconnue : {', '.join(unknown)} "
                         f"(connues : {', '.join(BY_NAME)})")
    missing = [n for n in names if not BY_NAME[n].available()]
    if missing:
        raise ValueError(f"application pas encore disponible : {', '.join(missing)}")
    return [BY_NAME[n] for n in names]
