"""The accessibility audit of the browser suites can fail: a screen with a contrast and a label
violation is reported with its rule and element; a clean screen is not."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, request
from markupsafe import escape
from playwright.sync_api import Browser, Page, expect

from common.serve import AppServer
from e2e.accessibility import AccessibilityAudit

SCREENS = Flask("a11y-screens")


@SCREENS.get("/faible-contraste")
def low_contrast():
    plate = escape(request.args.get("plaque", ""))  # data in a field, as a screen shown again would differ
    return ('<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
            '<p style="color:#bbb;background:#fff">Texte pâle</p>'
            f'<input type="text" name="plaque" value="{plate}"></main></body></html>')


@SCREENS.get("/propre")
def clean():
    return ('<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1>'
            '<p>Texte lisible</p><label for="p">Immatriculation</label><input id="p" type="text">'
            '</main></body></html>')


PAGE = ('<!doctype html><html lang="fr"><head><title>Essai</title></head><body><main><h1>{title}</h1>'
        '{body}</main></body></html>')


@SCREENS.get("/lent.png")
def slow_image():
    time.sleep(1.5)  # the screen's load event, hence its audit, comes after the test's click
    return b"", 404


@SCREENS.get("/depart")
def leaving():
    return PAGE.format(title="Départ", body=(
        '<img src="/lent.png" alt=""><p><a href="/arrivee">Suivant</a></p>'
        '<form method="post" action="/arrivee"><label for="n">Nom</label><input id="n" name="nom" value="Dupont">'
        '<button type="submit" name="bouton" value="envoyer">Envoyer</button></form>'))


@SCREENS.route("/arrivee", methods=["GET", "POST"])
def arrival():
    sent = ", ".join(f"{k}={v}" for k, v in request.form.items())
    return PAGE.format(title="Arrivée", body=f"<p>Reçu : {sent or 'rien'}</p>")


@contextmanager
def _watched(browser: Browser, **serving) -> Iterator[tuple[AccessibilityAudit, Page, str]]:
    """A fresh audit watching a page of its own (browser.new_page(): a context outside the suite-wide
    audit, which would fail these tests), and the URL the test screens are served at; closed after."""
    audit = AccessibilityAudit()
    page = browser.new_page()
    audit.watch_context(page.context)
    try:
        with AppServer.bind(**serving).mount(SCREENS) as server:
            yield audit, page, server.url
    finally:
        page.context.close()


def _audited(browser: Browser, leave) -> tuple[AccessibilityAudit, str]:
    with _watched(browser, threads=4) as (audit, page, url):
        page.goto(url + "/depart", wait_until="commit")  # leave while it still loads
        leave(page, url)
        expect(page.get_by_role("heading", name="Arrivée")).to_be_visible()
        failure = audit.failure()
        text = page.locator("p").inner_text()
    assert failure is None, failure
    assert audit.unaudited == []
    assert [url.rsplit("/", 1)[1] for url in audit.screens] == ["depart", "arrivee"]
    return audit, text


def test_a_screen_left_by_a_link_before_its_audit_ended_is_audited_first(browser: Browser):
    _audit, text = _audited(browser, lambda page, _url: page.get_by_role("link", name="Suivant").click())
    assert text == "Reçu : rien"


def test_a_form_sent_before_its_audit_ended_is_audited_first_and_sent_as_clicked(browser: Browser):
    _audit, text = _audited(browser, lambda page, _url: page.get_by_role("button", name="Envoyer").click())
    assert text == "Reçu : nom=Dupont, bouton=envoyer"


def test_the_tests_own_goto_waits_for_the_audit_of_the_screen_it_leaves(browser: Browser):
    _audit, text = _audited(browser, lambda page, url: page.goto(url + "/arrivee"))
    assert text == "Reçu : rien"


def test_audit_reports_serious_violations_and_passes_a_clean_screen(browser: Browser):
    with _watched(browser) as (audit, page, url):
        page.goto(url + "/propre")
        assert audit.failure() is None
        assert audit.screens == [url + "/propre"]
        page.goto(url + "/faible-contraste")
        report = audit.failure()
    assert report is not None
    assert "/faible-contraste — color-contrast (serious)" in report
    assert "/faible-contraste — label (critical)" in report


def test_a_screen_seen_again_gets_its_first_audit_and_still_fails(browser: Browser):
    """axe runs once per distinct screen: the same screen with other data reuses the first audit's
    findings (the test opening it fails all the same); a screen built otherwise is audited anew."""
    with _watched(browser) as (audit, page, url):
        page.goto(url + "/faible-contraste?plaque=AA-000-AA")
        first = audit.failure()
        audit.reset()                                  # as between two tests of a session
        page.goto(url + "/faible-contraste?plaque=DL-342-MP")
        again = audit.failure()
        audit.reset()
        page.goto(url + "/propre")
        clean = audit.failure()
    assert "plaque=AA-000-AA — color-contrast (serious)" in first
    assert "plaque=DL-342-MP — color-contrast (serious)" in again and "plaque=DL-342-MP — label (critical)" in again
    assert clean is None
    assert audit.axe_runs == 2                             # the low-contrast screen once, the clean one once


def test_workers_sharing_a_directory_audit_a_screen_once_between_them(browser: Browser, tmp_path):
    """The xdist workers of one run share their audits (files in the run's temporary directory): a
    screen another worker audited gets its findings, and the test opening it fails all the same."""
    with _watched(browser) as (first, page, url):
        first.share(tmp_path / "axe-audits")
        page.goto(url + "/faible-contraste?plaque=AA-000-AA")
        found = first.failure()
    with _watched(browser) as (second, page, url):
        second.share(tmp_path / "axe-audits")
        page.goto(url + "/faible-contraste?plaque=DL-342-MP")
        again = second.failure()
    assert "plaque=AA-000-AA — color-contrast (serious)" in found
    assert "plaque=DL-342-MP — color-contrast (serious)" in again and "plaque=DL-342-MP — label (critical)" in again
    assert (first.axe_runs, second.axe_runs) == (1, 0)
