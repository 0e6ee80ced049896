"""The accessibility audit of the browser suites can fail: a screen with a contrast and a label
violation is reported with its rule and element; a clean screen is not."""
from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser

from common.serve import AppServer
from e2e.accessibility import AccessibilityAudit

SCREENS = Flask("a11y-screens")


@SCREENS.get("/faible-contraste")
def low_contrast():
    return ('<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
            '<p style="color:#bbb;background:#fff">Texte pâle</p>'
            '<input type="text" name="plaque"></main></body></html>')


@SCREENS.get("/propre")
def clean():
    return ('<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
            '<p>Texte lisible</p><label for="p">Immatriculation</label><input id="p" type="text">'
            '</main></body></html>')


def test_audit_reports_serious_violations_and_passes_a_clean_screen(browser: Browser):
    audit = AccessibilityAudit()
    # browser.new_page(): a context of its own, outside the suite-wide audit, which would fail this test
    page = browser.new_page()
    audit.watch_context(page.context)
    try:
        with AppServer.bind().mount(SCREENS) as server:
            page.goto(server.url + "/propre")
            assert audit.failure() is None
            assert audit.screens == [server.url + "/propre"]
            page.goto(server.url + "/faible-contraste")
            report = audit.failure()
    finally:
        page.context.close()
    assert report is not None
    assert "/faible-contraste — color-contrast (serious)" in report
    assert "/faible-contraste — label (critical)" in report
