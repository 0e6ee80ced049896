"""A restart with other DMS keys: the API knows exactly the keys configured now (a restart with the same
keys writes nothing; one with a key changed or dropped updates the clients before serving)."""
from __future__ import annotations

import centralisateur
from fixtures.factories import Factory

OLD, NEW = "tec3h-" + "a" * 40, "tec3h-" + "b" * 40


def _start(tmp_path, keys: dict):
    return centralisateur.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": False, "DMS_KEYS": keys,
                                      "ICARE_SERVICE_KEY": "k" * 32, "URLS": {"icare": "http://127.0.0.1:9"},
                                      "BACKGROUND_JOBS": False})


def _status(app, key: str, ref: str) -> int:
    return app.test_client().post("/api/v1/handoffs", json=Factory(3).handoff(dms_order_ref=ref),
                                  headers={"Authorization": f"Bearer {key}"}).status_code


def _stop(app) -> None:
    app.extensions["harness_stop"]()


def test_a_restart_serves_the_keys_configured_now(tmp_path):
    app = _start(tmp_path, {"tec3h": OLD})
    centralisateur.seed_demo(app)
    assert _status(app, OLD, "R-1") == 201
    _stop(app)

    same = _start(tmp_path, {"tec3h": OLD})  # the same keys again: still served
    assert _status(same, OLD, "R-2") == 201
    _stop(same)

    changed = _start(tmp_path, {"tec3h": NEW})  # the key replaced: the old one is refused at once
    assert _status(changed, OLD, "R-3") == 401
    assert _status(changed, NEW, "R-4") == 201
    _stop(changed)

    dropped = _start(tmp_path, {"pvo2": "pvo2-" + "c" * 40})  # tec3h no longer configured
    assert _status(dropped, NEW, "R-5") == 401
    _stop(dropped)
