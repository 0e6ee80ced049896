"""Static files are kept by the browser: every page links its CSS and JS with the file's content hash,
and that address is answered as cacheable for a year; the unversioned or outdated address is not."""
from __future__ import annotations

import html
import re

from pathlib import Path

import httpx
import pytest

from spoticar_handoff.tls import tls_context

APPS = ("centralisateur", "icare", "portail_b2b", "pvo2", "tec3h", "bee2link", "neovo")
STATIC_LINK = re.compile(r'(?:href|src)="(/(?:static|commun)/[^"?]+)\?v=([0-9a-f]{12})"')
DMS = ("pvo2", "tec3h", "bee2link", "neovo")
SHARED = Path(__file__).resolve().parents[2] / "common" / "static"


@pytest.mark.parametrize("app", APPS)
def test_static_links_carry_their_hash_and_are_cached(stack, app):
    with httpx.Client(base_url=stack.url(app), verify=tls_context(), timeout=30, follow_redirects=True) as http:
        page = http.get("/")
        links = STATIC_LINK.findall(page.text)
        assert links, f"{app}: aucune feuille de style ni script versionné sur {page.url}"
        assert page.headers["Cache-Control"] == "no-store"
        for path, version in links:
            kept = http.get(html.unescape(f"{path}?v={version}"))
            assert kept.status_code == 200
            assert kept.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert kept.content == http.get(path).content
            for other in (http.get(path), http.get(f"{path}?v=000000000000")):
                assert other.status_code == 200 and "immutable" not in other.headers.get("Cache-Control", "")


@pytest.mark.parametrize("app", DMS)
def test_every_dms_serves_the_shared_scripts(stack, app):
    with httpx.Client(base_url=stack.url(app), verify=tls_context(), timeout=30) as http:
        script = http.get("/commun/declaration_follow.js")
        assert script.status_code == 200 and "javascript" in script.headers["Content-Type"]
        assert script.content == (SHARED / "declaration_follow.js").read_bytes()
        assert http.get("/commun/../__init__.py").status_code == 404
