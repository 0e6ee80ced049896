"""tests.seeded keeps a seeded image per app and configuration: a ``SPOTICAR_*`` setting of the
environment that changes what seeding stores gets its own image, not a copy of the one seeded under
another value."""
from __future__ import annotations

from sqlalchemy import select

from simulators import portail_b2b
from simulators.portail_b2b.store import PortalUser
from tests.seeded import seeded_app


def _stored_hashes(app) -> set[str]:
    """The hash method of every stored demo identifiant's password (``scrypt:N:r:p``)."""
    with app.app_context():
        hashes = app.extensions["db"].session.scalars(select(PortalUser.password_hash)).all()
    return {h.split("$", 1)[0] for h in hashes}


def test_a_changed_spoticar_setting_seeds_again(tmp_path, monkeypatch):
    config = {"DEMO_MODE": True, "TESTING": True, "SEEDED_IMAGE_TEST": True}
    monkeypatch.setenv("SPOTICAR_TEST_KDF", "1")  # the suites' cheap hashes
    first = seeded_app(portail_b2b, {**config, "DATA_DIR": str(tmp_path / "cheap")})
    try:
        assert _stored_hashes(first) == {"scrypt:1024:8:1"}
    finally:
        first.extensions["harness_stop"]()
    monkeypatch.setenv("SPOTICAR_TEST_KDF", "0")  # as the apps run outside the suites
    second = seeded_app(portail_b2b, {**config, "DATA_DIR": str(tmp_path / "real")})
    try:
        assert _stored_hashes(second) == {"scrypt:32768:8:1"}
    finally:
        second.extensions["harness_stop"]()
