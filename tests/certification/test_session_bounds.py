"""Outside demo mode, opening certification sessions (each creates a certification dealer) is bounded:
``CERTIFICATION_MAX_OPEN_PER_DMS`` sessions of one DMS open at once (unfinished, opened less than
``CERTIFICATION_OPEN_HOURS`` ago) and ``CERTIFICATION_MAX_PER_CLIENT`` openings per client in 24 h.
Past a bound: a French 429, and nothing written."""
from __future__ import annotations

import datetime as dt
import html
import re
import time

import httpx
import pytest
from sqlalchemy import func, select

from certification import sessions
from certification.store import CertSession
from centralisateur.store import Dealer
from harness.cli import main
from harness.runner import Stack

pytestmark = pytest.mark.centralisateur

TOO_MANY_OPEN = ("Trop de sessions de certification ouvertes pour le DMS tec3h : au plus 2 à la fois. Terminez-en "
                 "une (une session abandonnée se termine en ignorant ses scénarios restants : bouton « Ignorer ce "
                 "scénario » de sa page, ou POST …/skip avec sa clé), ou attendez qu'elle expire (24 h après son "
                 "ouverture), puis recommencez.")
TOO_MANY_FROM_CLIENT = ("Trop de sessions de certification ouvertes depuis votre adresse : au plus 3 en 24 h. "
                        "Reprenez une session ouverte avec sa clé, ou réessayez plus tard.")


def test_the_bounds_are_on_outside_demo_mode_only_unless_set(monkeypatch):
    class App:
        def __init__(self, **config):
            self.config = config
    assert sessions.bounds(App(DEMO_MODE=False)) == {"open_per_dms": 10, "per_client": 20, "open_hours": 24}
    assert sessions.bounds(App(DEMO_MODE=True)) == {"open_per_dms": 0, "per_client": 0, "open_hours": 24}
    monkeypatch.setenv("SPOTICAR_CERTIFICATION_MAX_OPEN_PER_DMS", "3")
    assert sessions.bounds(App(DEMO_MODE=True, CERTIFICATION_MAX_PER_CLIENT=5)) == {
        "open_per_dms": 3, "per_client": 5, "open_hours": 24}


def _client(stack, source: str = "127.0.0.1") -> httpx.Client:
    return httpx.Client(base_url=stack.url("centralisateur"), timeout=30,
                        transport=httpx.HTTPTransport(local_address=source))


def _open(client: httpx.Client, dms: str) -> httpx.Response:
    return client.post("/certification/sessions", json={"dms": dms, "wait_seconds": 60})


def _stored(db) -> tuple[int, int]:
    with db.read_sessionmaker() as s:
        return (s.scalar(select(func.count()).select_from(CertSession)),
                s.scalar(select(func.count()).select_from(Dealer).where(Dealer.name.startswith("CERTIFICATION "))))


def test_opening_sessions_is_bounded_per_dms_and_per_client(tmp_path, monkeypatch, capsys):
    config = tmp_path / "spoticar.toml"
    config.write_text('icare_service_key = "icare-service-kkkkkkkkkkkkkkkkkkkk"\n')
    assert main(["keys", "add", "--config", str(config), "--dms", "tec3h"]) == 0
    capsys.readouterr()
    with Stack(tmp_path / "data", names=["centralisateur"], demo=False, extra_config={"centralisateur": {
            "CONFIG_FILE": str(config), "CERTIFICATION_MAX_OPEN_PER_DMS": 2, "CERTIFICATION_MAX_PER_CLIENT": 3}}) as stack:
        db = stack.apps["centralisateur"].app.extensions["db"]
        with _client(stack) as vendor, _client(stack, "127.0.0.2") as lab:
            first, second = _open(vendor, "tec3h"), _open(vendor, "tec3h")
            assert (first.status_code, second.status_code) == (201, 201)
            refused = _open(vendor, "tec3h")
            assert refused.status_code == 429
            assert refused.json()["errors"] == [{"field": None, "message": TOO_MANY_OPEN}]
            page = vendor.get("/certification")  # the page's form says the same
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            refused = vendor.post("/certification", data={"csrf_token": token, "dms": "tec3h"})
            assert refused.status_code == 429 and TOO_MANY_OPEN in html.unescape(refused.text)
            assert _open(vendor, "pvo2").status_code == 201  # another DMS: the vendor's third opening
            refused = _open(vendor, "pvo2")
            assert refused.status_code == 429
            assert refused.json()["errors"] == [{"field": None, "message": TOO_MANY_FROM_CLIENT}]
            assert _open(lab, "pvo2").status_code == 201  # another client still opens one
            assert _stored(db) == (4, 4)  # the refusals wrote no session, no dealer
            # a session past CERTIFICATION_OPEN_HOURS, then a finished one, no longer count as open
            with db.transaction() as s:
                s.get(CertSession, first.json()["id"]).created_at -= dt.timedelta(hours=25)
            assert _open(lab, "tec3h").status_code == 201
            with db.transaction() as s:
                row = s.get(CertSession, second.json()["id"])
                row.state = {**row.state, "finished_at": "2026-01-01T00:00:00+00:00"}
            assert _open(lab, "tec3h").status_code == 201
            assert _open(lab, "tec3h").status_code == 429
            assert _stored(db) == (6, 6)


def test_a_session_abandoned_is_ended_by_skipping_what_is_left_and_frees_its_place(tmp_path, capsys):
    """What the 429 says to do works: a vendor's run that crashed halfway left a session open; skipping
    its remaining scenarios ends it (after its closing observation), and the DMS opens a new one."""
    config = tmp_path / "spoticar.toml"
    config.write_text('icare_service_key = "icare-service-kkkkkkkkkkkkkkkkkkkk"\n')
    assert main(["keys", "add", "--config", str(config), "--dms", "tec3h"]) == 0
    capsys.readouterr()
    with Stack(tmp_path / "data", names=["centralisateur"], demo=False, extra_config={"centralisateur": {
            "CONFIG_FILE": str(config), "CERTIFICATION_MAX_OPEN_PER_DMS": 1,
            "CERTIFICATION_OBSERVE_SECONDS": 0.5}}) as stack, _client(stack) as vendor:
        abandoned = _open(vendor, "tec3h").json()
        assert "Terminez-en une (une session abandonnée" in _open(vendor, "tec3h").json()["errors"][0]["message"]
        key = {"Authorization": f"Bearer {abandoned['key']}"}
        state = abandoned
        for _ in range(40):
            if state["finished"]:
                break
            if state["current"] and not state["observing_until"]:
                vendor.post(abandoned["url"] + "/skip", json={"reason": "run abandonné"}, headers=key)
            else:
                time.sleep(0.3)
            state = vendor.get(abandoned["url"], headers={**key, "Accept": "application/json"}).json()
        assert state["finished"], state
        assert _open(vendor, "tec3h").status_code == 201
