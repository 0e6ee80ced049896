"""A certification session driven over plain HTTP by a DMS that imports nothing of ours
(``examples/vendor_dms.py``: the standard library only), then the reports, read back by parsers."""
from __future__ import annotations

import hashlib
import json
import re
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from xml.etree import ElementTree as ET

import httpx
import pytest

from harness.cli import main
from spoticar_handoff.tls import tls_context
from tests.certification.conftest import dealer_declares, open_session, resealed, verify_then_forge
from examples.vendor_dms import OutsideDms

# the module's sessions are played together on one centralisateur: its tests on one xdist worker
pytestmark = [pytest.mark.centralisateur, pytest.mark.xdist_group("certification_sessions")]

# every scenario whose instructions enter a sale: each compares the sale sent with the one instructed
SALES = {"handoff-complete", "handoff-resend", "handoff-correction", "eligibility-brand", "eligibility-power",
         "eligibility-usage", "eligibility-ptac", "label-ds-certified", "label-alfa-romeo-certified",
         "callback-acknowledged", "contract-pending-then-declared"}
FAULTY = {
    "drop_fields": {"handoff-complete"},
    "new_order_on_resend": {"handoff-resend", "handoff-correction"},
    "ignore_signature": {"callback-signature"},
    "never_ack": {"callback-acknowledged", "callback-signature", "contract-pending-then-declared"},
    "hammer_status": {"status-polling"},
    "dedupe_on_signature": {"contract-pending-then-declared"},
    "price_without_vat": SALES,     # the price HT in every sale sent (refused ones included)
    "open_first_link_only": {"declaration-url-opened"},
    # sent again once the scenario passed (a back-off longer than the quiet seconds): failed at the end
    "late_resend": {"handoff-complete", "eligibility-brand", "eligibility-power", "eligibility-usage",
                    "eligibility-ptac"},
    # after the plan's last scenario, in the session's closing observation
    "poll_after_final": {"status-polling"},
    "resend_after_end": {"eligibility-brand"},
    # the DS sale sent under the standard sale's dms_order_ref: 200, the standard sale's bon de commande
    "reuse_order_ref": {"label-ds-certified"},
    # a VIN not the session's in every hand-off: no scenario's sale is the one instructed
    "foreign_vin": SALES,
    # no signature computed: the probes answered by their place (they came in a fixed order, once)
    "answer_by_position": {"callback-signature"},
}


def _play(cds, server, faults=frozenset()) -> tuple[dict, dict]:
    session = open_session(cds)
    dms = OutsideDms(session["url"], session["key"], server, frozenset(faults))
    try:
        final = dms.run(dealer_declares)
    finally:
        dms.close()
    return session, final


@pytest.fixture(scope="module")
def played(cds, callback_server) -> dict[str | None, tuple[dict, dict]]:
    """Every session of the module, played at once as several vendors would on one centralisateur:
    sessions are isolated (own key, dealer, VINs, callback URL, Icare outage); fault (None: the sound
    DMS) → (session, final state). The tests only read what their session recorded."""
    variants = [None, *sorted(FAULTY)]
    with ThreadPoolExecutor(len(variants)) as pool:
        plays = {fault: pool.submit(_play, cds, callback_server, {fault} if fault else set()) for fault in variants}
        return {fault: play.result() for fault, play in plays.items()}


def test_an_outside_dms_passes_every_scenario_and_gets_its_reports(cds, played, tmp_path, capsys):
    session, final = played[None]
    statuses = {s["id"]: s["status"] for s in final["scenarios"]}
    assert final["current"] is None, statuses
    assert set(statuses.values()) == {"passed"}, json.dumps(final["scenarios"], ensure_ascii=False, indent=1)

    out = tmp_path / "rapport"
    code = main(["certify", "report", session["id"], "--out", str(out), "--key", session["key"],
                 "--url", cds.url("centralisateur")])
    assert code == 0, capsys.readouterr().err
    suite = ET.parse(out / "junit.xml").getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(final["scenarios"]) and suite.get("failures") == "0"
    assert {c.get("name").split(" — ")[0] for c in cases} == set(statuses)
    report = json.loads((out / "report.json").read_text())
    assert report["verdict"] == "passed"
    handoff = next(s for s in report["scenarios"] if s["id"] == "handoff-complete")
    assert any(e["path"] == "/api/v1/handoffs" and e["status"] == 201 for e in handoff["evidence"])
    assert session["key"] not in (out / "report.json").read_text()   # the Authorization header is masked
    with zipfile.ZipFile(out / "evidence.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))["files"]
        assert set(manifest) == {"report.json", "report.html", "junit.xml", "evidence.har"}
        for name, digest in manifest.items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        har = json.loads(archive.read("evidence.har"))
    assert har["log"]["version"] == "1.2" and len(har["log"]["entries"]) >= 20
    page = (out / "report.html").read_text()
    assert "Rapport de certification DMS Spoticar" in page and "<script" not in page
    verify_then_forge(cds.url("centralisateur"), out, capsys)


# What each failure says, in French, naming the field or the exchange at fault.
SAYS = {
    "drop_fields": ("« Immatriculation* »", "« Lieu de Naissance* »", "vehicle.plate"),
    "new_order_on_resend": ("a créé une nouvelle commande : dms_order_ref", "dms_order_ref"),
    # the replayed delivery, already applied, may be acknowledged again (2xx) without effect: not a failure
    "ignore_signature": ("Rappel mal signé (signature fausse) (POST http://127.0.0.1:",
                         "Rappel périmé", ": HTTP 200, attendu 4xx"),
    "never_ack": ("envoyé au DMS (POST http://127.0.0.1:", "non acquitté : HTTP 503, attendu 2xx"),
    "hammer_status": ("interrogations en 10 s pour",),
    "dedupe_on_signature": ("Après les rappels renvoyés, la commande du DMS a changé",),
    "price_without_vat": ("sale.price_ttc : 12500.00 transmis", "c'est le prix hors taxes de la vente (15000.00 / 1,2)"),
    # the 4 the DMS alone had to open (the dealer's part opened the callback scenarios' 2)
    "open_first_link_only": ("declaration_url reçue pour 4 bons de commande sur 7",
                             "Le DMS n'a jamais ouvert l'adresse declaration_url"),
    "late_resend": ("Jugé à nouveau en fin de session, sur tous ses échanges : ", "renvoyée 1 fois à l'identique",
                    "transmise sous 2 commandes"),
    "poll_after_final": ("interrogations de SPC", "après son statut final"),
    "resend_after_end": ("Jugé à nouveau en fin de session, sur tous ses échanges : Après le refus 422, la même "
                         "demande a été renvoyée 1 fois", "(seul le dms_order_ref change"),
    "reuse_order_ref": (("La vente de label-ds-certified a été transmise sous la commande de handoff-complete : "
                         "dms_order_ref 1000, réponse HTTP 200 avec le bon de commande SPC"),),
    "answer_by_position": ("Rappel correctement signé (POST http://127.0.0.1:",
                           ("Le DMS refuse un rappel correctement signé : il calcule X-Spoticar-Signature avec la clé "
                            "d'API de la session")),
    "foreign_vin": (("Les valeurs transmises (POST /api/v1/handoffs) ne sont pas celles de la vente demandée : "
                     "vehicle.vin."), "La demande refusée (422) n'est pas la vente demandée : vehicle.vin.",
                    "ne sont pas celles de la vente demandée corrigée : vehicle.vin."),
}


def _junit_passed(files: dict) -> None:
    """What an outsider did to a failed session's junit.xml: ``failures="0"``, no <failure>."""
    text = re.sub(r'failures="\d+"', 'failures="0"', files["junit.xml"].decode())
    files["junit.xml"] = re.sub(r"<failure[^>]*>.*?</failure>", "", text, flags=re.S).encode()


def _html_passed(files: dict) -> None:
    """… and to its report.html: « RÉUSSI », every scenario counted as passed."""
    text = files["report.html"].decode().replace("ÉCHEC", "RÉUSSI")
    files["report.html"] = re.sub(r"Réussi : (\d+), Échoué : (\d+)",
                                  lambda m: f"Réussi : {int(m[1]) + int(m[2])}, Échoué : 0", text).encode()


def _har_4xx_to_201(files: dict) -> None:
    """… and to its evidence.har: every refusal turned into a 201."""
    har = json.loads(files["evidence.har"])
    for entry in har["log"]["entries"]:
        if entry["response"]["status"] >= 400:
            entry["response"]["status"] = 201
    files["evidence.har"] = json.dumps(har, indent=2, ensure_ascii=False).encode()


def _finding_softened(files: dict) -> None:
    """… or report.json's findings (outside the fingerprint) made mild, junit.xml and report.html written
    again from it by our own code: every file consistent, the fingerprint unchanged."""
    from certification import report as reports
    report = json.loads(files["report.json"])
    for scenario in report["scenarios"]:
        for finding in scenario["findings"]:
            if finding["level"] == "fail":
                finding["message"] = "Écart mineur de présentation, sans effet."
                finding["diff"] = []
    files.update({"report.json": reports.report_file(report), "junit.xml": reports.junit(report),
                  "report.html": reports.html(report).encode()})


def _verdict_passed(files: dict) -> None:
    """… or report.json alone made to say « passed », written as ``certify report`` writes it."""
    from certification import report as reports
    report = json.loads(files["report.json"])
    report["verdict"] = "passed"
    files["report.json"] = reports.report_file(report)


def _both(*edits):
    def edit(files: dict) -> None:
        for one in edits:
            one(files)
    return edit


# tampering of a failed session's evidence.zip (manifest.json and SHA256SUMS written again) → the files named
TAMPERED = {
    "junit": (_junit_passed, ["junit.xml a été modifié"]),
    "html": (_html_passed, ["report.html a été modifié"]),
    "junit-html": (_both(_junit_passed, _html_passed), ["junit.xml a été modifié", "report.html a été modifié"]),
    "har": (_har_4xx_to_201, ["evidence.har a été modifié : il ne correspond pas aux échanges que le "
                              "centralisateur a enregistrés"]),
    "har-reformatted": (lambda f: f.update({"evidence.har": json.dumps(json.loads(f["evidence.har"])).encode()}),
                        ["evidence.har a été modifié"]),
    "findings": (_finding_softened, ["report.json a été modifié : ses constats ou ses échanges ne sont pas ceux "
                                     "que le centralisateur a enregistrés"]),
    # report.json alone edited: report.html, untouched, is said not to match it, not to be modified
    "report-only": (_verdict_passed, ["report.json a été modifié : son empreinte ne correspond plus à son contenu.",
                                      "report.html ne correspond pas à report.json, qui a été modifié."]),
    "extra": (lambda f: f.update({"attestation-cds.pdf": b"%PDF-1.4 valid"}),
              ["attestation-cds.pdf : fichier ajouté, étranger au rapport."]),
    "removed": (lambda f: f.pop("evidence.har"), ["evidence.har manque dans ", "fichier retiré"]),
}


def test_a_failed_sessions_report_is_authentic_and_any_file_tampered_is_refused_by_name(cds, played, tmp_path,
                                                                                        capsys):
    session, _ = played["price_without_vat"]
    url = cds.url("centralisateur")
    out = tmp_path / "rapport"
    assert main(["certify", "report", session["id"], "--out", str(out), "--key", session["key"], "--url", url]) == 1
    capsys.readouterr()
    # authentic but not passed: 1, told apart from a forgery (3)
    for handed in (out / "evidence.zip", out):
        assert main(["certify", "verify", str(handed), "--url", url]) == 1
        printed = capsys.readouterr().out
        assert f"Rapport authentique : session {session['id']}" in printed and "verdict ÉCHEC (failed)" in printed, printed

    for kind, (edit, says) in TAMPERED.items():
        assert main(["certify", "verify", str(resealed(out, f"{kind}.zip", edit)), "--url", url]) == 3, kind
        printed = capsys.readouterr().out
        assert "Rapport authentique" not in printed, (kind, printed)
        for words in says:
            assert words in printed, (kind, printed)
        if kind == "report-only":
            assert "junit.xml a été modifié" not in printed and "report.html a été modifié" not in printed, printed
        assert all(line.startswith("NON CONFORME : ") for line in printed.splitlines()), printed

    # edited files are refused even with no centralisateur to ask (3, not « vérification impossible »)
    assert main(["certify", "verify", str(out / "junit-html.zip"), "--url", "http://127.0.0.1:9"]) == 3
    assert "NON CONFORME : junit.xml a été modifié" in capsys.readouterr().out

    # the seals themselves rewritten: a digest of manifest.json or a line of SHA256SUMS
    def bad_manifest(files):
        manifest = json.loads(files["manifest.json"])
        manifest["files"]["junit.xml"] = hashlib.sha256(b"autre").hexdigest()
        files["manifest.json"] = json.dumps(manifest, indent=2).encode()

    def bad_sums(files):
        files["SHA256SUMS"] = files["SHA256SUMS"].replace(b"  junit.xml", b"  report.pdf")
    for name, edit, says in (("manifest.zip", bad_manifest, "manifest.json a été modifié"),
                             ("sums.zip", bad_sums, "SHA256SUMS a été modifié")):
        with zipfile.ZipFile(out / "evidence.zip") as archive:
            files = {n: archive.read(n) for n in archive.namelist()}
        edit(files)
        with zipfile.ZipFile(out / name, "w") as archive:
            for member, data in files.items():
                archive.writestr(member, data)
        assert main(["certify", "verify", str(out / name), "--url", url]) == 3
        assert f"NON CONFORME : {says}" in capsys.readouterr().out
    # a second report.json after the genuine one (zip readers take the last)
    with zipfile.ZipFile(out / "evidence.zip") as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    with zipfile.ZipFile(out / "twice.zip", "w") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        for member, data in files.items():
            archive.writestr(member, data)
        archive.writestr("report.json", files["report.json"].replace(b'"verdict": "failed"', b'"verdict": "passed"'))
    assert main(["certify", "verify", str(out / "twice.zip"), "--url", url]) == 3
    assert "NON CONFORME : report.json figure 2 fois dans twice.zip : fichier ajouté." in capsys.readouterr().out

    # a report directory: its junit.xml edited beside an untouched evidence.zip
    _junit_passed(loose := {"junit.xml": (out / "junit.xml").read_bytes()})
    (out / "junit.xml").write_bytes(loose["junit.xml"])
    assert main(["certify", "verify", str(out), "--url", url]) == 3
    assert f"NON CONFORME : {out / 'junit.xml'} a été modifié : il diffère du junit.xml de evidence.zip." \
        in capsys.readouterr().out


@pytest.mark.parametrize("fault", sorted(FAULTY))
def test_each_faulty_dms_fails_exactly_its_scenarios_with_evidence(cds, played, fault, tmp_path):
    session, final = played[fault]
    failed = {s["id"] for s in final["scenarios"] if s["status"] == "failed"}
    assert failed == FAULTY[fault], json.dumps(final["scenarios"], ensure_ascii=False, indent=1)
    for s in final["scenarios"]:
        if s["id"] in failed:
            assert any(f["level"] == "fail" and (f["entries"] or f["diff"]) for f in s["findings"]), s
    messages = " ".join(f["message"] for s in final["scenarios"] for f in s["findings"] if f["level"] == "fail")
    for words in SAYS[fault]:
        assert words in messages, messages
    # the reports carry it: JUnit failures, and each failure's journal entries as evidence
    assert main(["certify", "report", session["id"], "--out", str(tmp_path), "--key", session["key"],
                 "--url", cds.url("centralisateur")]) == 1
    suite = ET.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert {c.get("name").split(" — ")[0] for c in suite.findall("testcase") if c.find("failure") is not None} \
        == failed
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["verdict"] == "failed"
    for s in report["scenarios"]:
        cited = {i for f in s["findings"] if f["level"] == "fail" for i in f["entries"]}
        assert cited <= {e["id"] for e in s["evidence"]}, s["id"]   # every exchange cited is in the evidence
    page = (tmp_path / "report.html").read_text()
    assert SAYS[fault][0] in page


def test_the_session_observes_the_dms_before_its_end(cds):
    """Every scenario with its verdict (skipped here by the tester), the session still watches the DMS
    for its closing observation (6 s in these suites, 30 s by default) before it ends: the page says
    so, the state keeps a current scenario until then, and the session-wide ones are judged after."""
    session = open_session(cds)
    headers = {"Authorization": f"Bearer {session['key']}"}
    with httpx.Client(verify=tls_context(), timeout=20, headers=headers) as http:
        state = session
        while state["current"] and not state["observing_until"]:
            state = http.post(session["url"] + "/skip", json={"reason": "pas dans ce DMS"},
                              headers={"Accept": "application/json"}).json()
            state = http.get(session["url"], headers={"Accept": "application/json"}).json()
        assert state["current"] == "declaration-url-opened" and not state["finished"]
        assert 0 < state["observing_seconds_left"] <= 6
        page = http.get(session["url"], headers={"Accept": "text/html"}).text
        assert "Observation de fin de session" in page and "Observation en cours… (encore" in page
        assert "Session terminée" not in page and "Ignorer ce scénario" not in page
        while state["current"]:
            time.sleep(0.3)
            state = http.get(session["url"], headers={"Accept": "application/json"}).json()
    assert state["finished"] and state["observing_until"] is None and state["verdict"] == "failed"
    statuses = {s["id"]: s["status"] for s in state["scenarios"]}
    assert statuses["declaration-url-opened"] == "failed"   # no hand-off accepted: no link to open
    assert statuses["status-polling"] == "skipped"           # no poll at all
    # the session over: nothing left to skip, no readback expected (409, said so), and nothing changed
    with httpx.Client(verify=tls_context(), timeout=20, headers=headers) as http:
        skipped = http.post(session["url"] + "/skip", json={"reason": "trop tard"}, headers={"Accept": "application/json"})
        assert skipped.status_code == 409
        assert skipped.json()["errors"][0]["message"].startswith(
            "La session de certification est terminée : plus aucun scénario à ignorer.")
        late = http.post(session["url"] + "/readback", json={"contract_number": "1", "status": "declared"})
        assert late.status_code == 409
        assert late.json()["errors"][0]["message"].startswith(
            "La session de certification est terminée : le relevé de la commande n'est plus attendu.")
        # a sale sent with the key of a finished session is refused, said so: a 201 made it look counted
        sale = next(s["sale"] for s in state["scenarios"] if s["id"] == "handoff-complete")
        handed = http.post(cds.url("centralisateur") + "/api/v1/handoffs", json={**sale, "dms_order_ref": "TARD-1"})
        assert handed.status_code == 403, handed.text[:300]
        assert handed.json()["errors"][0]["message"] == (
            f"La session de certification {session['id']} est terminée : sa clé ne transmet plus de ventes (ce qui "
            "suit la fin d'une session n'en est pas une preuve). Ouvrez une nouvelle session pour certifier à nouveau.")
        after = http.get(session["url"], headers={"Accept": "application/json"}).json()
    assert {s["id"]: s["status"] for s in after["scenarios"]} == statuses and "readback" not in after["actions"]


def test_test_callbacks_go_to_the_callback_url_the_dms_sent_as_it_sent_it(cds, callback_server):
    """The session's callback URL only pre-fills the sales (docs/certification.md §3): a DMS sending
    its own ``callback_url`` gets its callbacks there, and so the session's signed, forged, replayed and
    stale test callbacks too — not at the pre-filled address, where nobody listens (404). That address
    carries a credential in its query (``?token=…``, checked by its endpoint): the journal masks it
    (« token=[REDACTED] »), and the test callbacks and the callbacks sent again must still go to the
    address the DMS gave, not to the masked copy, which it refuses. One session plays both."""
    session = open_session(cds, callback_url=callback_server.origin + "/spoticar/callback/pre-rempli")
    dms = OutsideDms(session["url"], session["key"], callback_server)
    path = dms.callback_url.removeprefix(callback_server.origin)
    del callback_server.receivers[path]                  # the address without its token: nobody there
    dms.callback_url += "?token=jeton-du-dms-42"
    received = []

    def receive(headers, body):
        received.append({k.lower(): v for k, v in headers.items()})
        return dms.receive(headers, body)
    callback_server.receivers[path + "?token=jeton-du-dms-42"] = receive
    try:
        final = dms.run(dealer_declares)
    finally:
        dms.close()
    # what a test callback tests never travels with it: a DMS answering by it needs no signature check
    assert len(received) >= 8 and not [h for h in received for name in h if "certification-probe" in name
                                       or "certification-scenario" in name], received
    statuses = {s["id"]: s["status"] for s in final["scenarios"]}
    assert set(statuses.values()) == {"passed"}, json.dumps(final["scenarios"], ensure_ascii=False, indent=1)
    assert final["finished"] and final["verdict"] == "passed"   # what the report will say, in the session's JSON
    probes = next(s for s in final["scenarios"] if s["id"] == "callback-signature")["findings"]
    assert len(probes) == 4 and all(f"(POST {callback_server.origin}{path}?token=" in f["message"]
                                    for f in probes), probes
    assert "jeton-du-dms-42" not in json.dumps(final)    # the evidence still masks it


def test_the_evidence_refuses_in_json_whatever_the_client_asks(cds):
    """``/evidence`` answers JSON alone: without a key, with another session's key, or for no such session,
    a client asking for nothing in particular (curl, a DMS's HTTP client) gets a JSON error, not the
    certification start page."""
    session, other = open_session(cds), open_session(cds)
    base = cds.url("centralisateur") + "/certification/sessions/"
    for url, headers, status in ((session["url"] + "/evidence", {}, 401),
                                 (session["url"] + "/evidence", {"Authorization": f"Bearer {other['key']}"}, 403),
                                 (base + "cs_0000000000000000/evidence", {}, 404)):
        for accept in ({}, {"Accept": "*/*"}, {"Accept": "text/html"}):
            answer = httpx.get(url, headers={**headers, **accept}, timeout=20)
            assert answer.status_code == status and answer.headers["content-type"].startswith("application/json")
            assert answer.json()["errors"][0]["message"], answer.text[:200]
    assert httpx.get(session["url"] + "/evidence", headers={"Authorization": f"Bearer {session['key']}"},
                     timeout=20).json()["entries"] == []
