"""Seeded database images (fixtures/prepared.py): a fresh ``up`` starts from the image the previous
fresh start kept, shows the same data as seeding, and never replaces a database already there."""
from __future__ import annotations

import re
import sqlite3

import httpx
import pytest

from fixtures import prepared
from harness.runner import Stack


@pytest.fixture
def images(tmp_path, monkeypatch):
    folder = tmp_path / "prepared"
    monkeypatch.setenv("SPOTICAR_PREPARED_DIR", str(folder))
    return folder


def _stock_page(data_dir) -> tuple[str, bool]:
    """PVO2's « Stock » page of a stack started as ``up`` does, and whether it seeded the app now."""
    with Stack(data_dir, names=["pvo2"], prepared=True, background_jobs=False) as stack:
        stack.wait_ready(timeout=60)
        response = httpx.get(stack.url("pvo2") + "/stock/", follow_redirects=True, timeout=30)
        assert response.status_code == 200
        # each session has its own CSRF token; the rest of the page is the data
        page = re.sub(r'(name="csrf[-_]token"[^>]*(content|value)=")[^"]*', r"\1", response.text)
        return page, stack.apps["pvo2"].seeded_now


def test_a_fresh_start_comes_from_the_kept_image_and_shows_what_seeding_shows(tmp_path, images):
    seeded_page, seeded = _stock_page(tmp_path / "first")
    assert seeded and "CC-333-CC" in seeded_page
    [image] = images.glob("pvo2-*")
    assert [p.name for p in image.iterdir()] == ["pvo2.sqlite3"]

    restored_page, seeded = _stock_page(tmp_path / "second")
    assert seeded and restored_page == seeded_page
    assert (tmp_path / "second" / "pvo2" / "seeded").read_text() == "0"

    # the data really comes from the image: what the image holds is what the next fresh start shows
    with sqlite3.connect(image / "pvo2.sqlite3") as db:
        db.execute("UPDATE pvo2_vehicles SET plate = 'ZZ-999-ZZ' WHERE plate = 'CC-333-CC'")
    db.close()
    page, _ = _stock_page(tmp_path / "third")
    assert "ZZ-999-ZZ" in page and "CC-333-CC" not in page


def test_an_existing_database_is_never_replaced_by_an_image(tmp_path, images):
    _stock_page(tmp_path / "first")
    [image] = images.glob("pvo2-*")
    kept = tmp_path / "kept" / "pvo2"
    kept.mkdir(parents=True)
    (kept / "pvo2.sqlite3").write_bytes(b"data of a real deployment")
    assert not prepared.restore_image(image, kept)
    assert (kept / "pvo2.sqlite3").read_bytes() == b"data of a real deployment"


def test_the_image_depends_on_seed_and_settings_not_on_place(tmp_path, images):
    base = {"DATA_DIR": str(tmp_path / "a"), "URLS": {"pvo2": "http://127.0.0.1:1"}, "DEMO_MODE": True,
            "PUBLIC_URL": "http://127.0.0.1:1", "BACKGROUND_JOBS": True, "READY_NEEDS": []}
    elsewhere = {**base, "DATA_DIR": str(tmp_path / "b"), "URLS": {"pvo2": "http://127.0.0.1:2"},
                 "PUBLIC_URL": "http://127.0.0.1:2", "BACKGROUND_JOBS": False}
    path = prepared.image_path("pvo2", base, 0)
    assert path.parent == images
    assert prepared.image_path("pvo2", elsewhere, 0) == path
    assert prepared.image_path("pvo2", base, 1) != path
    assert prepared.image_path("tec3h", base, 0) != path
    assert prepared.image_path("pvo2", {**base, "DEMO_PROFILES_CONFIGURED": True}, 0) != path
    assert prepared.image_path("pvo2", {**base, "DATABASE_URL": "postgresql://h/db"}, 0) is None


def test_a_changed_spoticar_setting_in_the_environment_misses(tmp_path, images, monkeypatch):
    config = {"DATA_DIR": str(tmp_path), "DEMO_MODE": True}
    before = prepared.image_path("icare", config, 0)
    monkeypatch.setenv("SPOTICAR_ICARE_DEMO_PASSWORD", "autre-mot-de-passe")
    assert prepared.image_path("icare", config, 0) != before
