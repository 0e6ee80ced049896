"""The plan's checks are pure functions of journal entries: verdicts recomputed from evidence alone."""
from __future__ import annotations

import copy
import datetime as dt
import random

import pytest

from certification import exchanges as ex, plans
from certification.evaluate import attribute, verdict
from certification.verdicts import diff_lines
from tests.certification.journal_entries import T0, callback, entry, handoff, poll

PLAN = plans.load("v1")
TODAY = T0.date()


def sale(scenario_id: str, ref: str = "4586") -> dict:
    body = plans.sale_for(PLAN, scenario_id, dms="tec3h", rrdi="C123456", today=TODAY)
    return {**body, "dms_order_ref": ref}


def run(scenario_id: str, entries: list[dict], *, final: bool = False, now: float = 60, **extra):
    return verdict(PLAN, scenario_id, {"sale": plans.sale_for(PLAN, scenario_id, dms="tec3h", rrdi="C123456",
                                                              today=TODAY),
                                       "entries": entries, "session_entries": entries, "final": final,
                                       "now": T0 + dt.timedelta(seconds=now),
                                       "correction": plans.correction_for(PLAN, scenario_id), **extra})


def test_complete_handoff_passes_and_missing_fields_name_the_form_label():
    assert run("handoff-complete", [handoff(sale("handoff-complete"))])[0] == "passed"
    body = sale("handoff-complete")
    del body["vehicle"]["plate"]
    body["customer"]["birth_place"] = None
    status, findings = run("handoff-complete", [handoff(body)])
    assert status == "failed"
    messages = " ".join(f.message for f in findings)
    assert "« Immatriculation* »" in messages and "« Lieu de Naissance* »" in messages
    assert any("vehicle.plate : attendu « AA-000-AA », reçu (absent)" in line
               for f in findings for line in diff_lines(f.diff))


def test_nothing_received_waits_then_fails_after_the_bound():
    assert run("handoff-complete", [])[0] == "waiting"
    status, findings = run("handoff-complete", [], started_at=T0.isoformat(), wait_seconds=30, now=31)
    assert status == "failed" and "Délai d'attente de 30 s dépassé, toujours en attente de" in findings[0].message
    # a DMS whose hand-offs were refused 401/403 (its production key, another dealer) is told why none counts
    assert "clé d'API et le point de vente de la session" in findings[0].message
    # each check waiting for that hand-off (accepted, fields, values) ran out: said once, not once each
    assert len({f.message for f in findings}) == len(findings) == 2, findings
    refused = handoff(sale("handoff-complete"), status=422)
    status, findings = run("handoff-complete", [refused], started_at=T0.isoformat(), wait_seconds=30, now=31)
    assert status == "failed" and [f.message.startswith("Délai d'attente") for f in findings] == [False, True], findings


def test_the_customer_sent_is_the_sale_s_however_written():
    written_otherwise = sale("handoff-complete")
    written_otherwise["customer"].update(first_name="JEAN", email="Jean.Dupond@example.fr", phone="+33 1 02 03 04 05",
                                         address="RUE SPOTICAR", city="Paris")
    written_otherwise["seller"] = "NICOLAS PELISSIER"
    written_otherwise["vehicle"]["plate"] = "aa000aa"
    del written_otherwise["customer"]["mobile"]                 # optional: not sent is not a wrong value
    assert run("handoff-complete", [handoff(written_otherwise)])[0] == "passed"
    for path, wrong in (("customer.email", "vo@concession.example.fr"), ("customer.first_name", "Nicolas"),
                        ("customer.postcode", "75011"), ("vehicle.energy", "DIESEL")):
        body = sale("handoff-complete")
        parent, leaf = path.split(".")
        body[parent][leaf] = wrong
        status, findings = run("handoff-complete", [handoff(body)])
        assert status == "failed", path
        assert [d["path"] for f in findings for d in f.diff] == [path]


def test_one_sale_sent_as_two_orders_fails():
    first = handoff(sale("handoff-complete", "100"), bdc="SPC1234560000002")
    assert run("handoff-complete", [first], now=1)[0] == "waiting"   # a second order may still come
    assert run("handoff-complete", [first], now=10)[0] == "passed"
    again = handoff(sale("handoff-complete", "100"), 200, "SPC1234560000002", at=0.2)
    assert run("handoff-complete", [first, again], now=10)[0] == "passed"        # the same order: harmless
    second = handoff(sale("handoff-complete", "101"), bdc="SPC1234560000003", at=0.2)
    status, findings = run("handoff-complete", [first, second], now=10)
    assert status == "failed"
    assert any("transmise sous 2 commandes" in f.message and "SPC1234560000003" in f.message for f in findings)


def test_resend_with_a_new_order_fails_with_a_diff():
    first = handoff(sale("handoff-resend", "100"), bdc="SPC1234560000002")
    assert run("handoff-resend", [first, handoff(sale("handoff-resend", "100"), 200, "SPC1234560000002", 1)])[0] \
        == "passed"
    status, findings = run("handoff-resend", [first, handoff(sale("handoff-resend", "101"), 201,
                                                             "SPC1234560000003", 1)])
    assert status == "failed"
    assert {d["path"] for f in findings for d in f.diff} == {"dms_order_ref", "bdc_number"}
    # a third send, later, under a new order number: judged too (the session's end judges every send)
    third = handoff(sale("handoff-resend", "102"), 201, "SPC1234560000004", 40)
    status, findings = run("handoff-resend", [first, handoff(sale("handoff-resend", "100"), 200, "SPC1234560000002", 1),
                                              third], final=True)
    assert status == "failed"
    assert any("dms_order_ref 100 puis 102, bon de commande SPC1234560000002 puis SPC1234560000004" in f.message
               for f in findings if f.level == "fail")


def test_correction_must_reach_the_pending_declaration():
    corrected = copy.deepcopy(sale("handoff-correction"))
    corrected["vehicle"]["mileage_km"] = 12322
    entries = [handoff(sale("handoff-correction")), handoff(corrected, 200, at=2)]
    assert run("handoff-correction", entries)[0] == "passed"
    stale = [handoff(sale("handoff-correction")), handoff(sale("handoff-correction"), 200, at=2)]
    assert run("handoff-correction", stale)[0] == "failed"


@pytest.mark.parametrize("scenario_id,field", [("eligibility-brand", "vehicle.brand"),
                                               ("eligibility-usage", "vehicle.usage"),
                                               ("eligibility-ptac", "vehicle.ptac_kg")])
def test_refusal_needs_the_rule_and_no_blind_retry(scenario_id, field):
    refused = handoff(sale(scenario_id), 422, errors=[{"field": field, "message": "Véhicule non éligible"}])
    assert run(scenario_id, [refused], now=1)[0] == "waiting"          # settling: a retry may still come
    assert run(scenario_id, [refused], now=10)[0] == "passed"
    retry = handoff(sale(scenario_id), 422, at=0.5, errors=[{"field": field, "message": "Véhicule non éligible"}])
    status, findings = run(scenario_id, [refused, retry], now=10)
    assert status == "failed" and any("renvoyée 1 fois à l'identique" in f.message for f in findings)
    renumbered = handoff(sale(scenario_id, "4587"), 422, at=0.5,
                         errors=[{"field": field, "message": "Véhicule non éligible"}])
    status, findings = run(scenario_id, [refused, renumbered], now=10)
    assert status == "failed" and any("seul le dms_order_ref change" in f.message for f in findings)
    # other fields changed, the one the refusal names as it was: the same refusal again
    touched = sale(scenario_id, "4588")
    touched["vehicle"]["mileage_km"] += 1
    touched["customer"]["phone"] = "+33 1 02 03 04 05"
    again = handoff(touched, 422, at=0.5, errors=[{"field": field, "message": "Véhicule non éligible"}])
    status, findings = run(scenario_id, [refused, again], now=10)
    assert status == "failed"
    assert any(f"sans corriger ce que le refus nomme ({field} : toujours" in f.message for f in findings)
    # the refused field corrected (the vehicle was entered wrong): a new demand, not a retry
    corrected = sale(scenario_id, "4589")
    corrected["vehicle"][field.split(".")[1]] = {"vehicle.brand": "PEUGEOT", "vehicle.usage": "particulier",
                                                 "vehicle.ptac_kg": 2000}[field]
    _, findings = run(scenario_id, [refused, handoff(corrected, at=0.5)], now=10)
    assert [f.level for f in findings if f.check == "no_blind_retry"] == ["pass"]


def test_a_refusal_for_another_reason_is_not_the_rule_s_and_says_so():
    as_text = sale("eligibility-power")
    as_text["vehicle"]["din_power"] = "801"                # refused for its type: no rule was judged
    refused = handoff(as_text, 422, errors=[{"field": "vehicle.din_power", "message": "Doit être un nombre entier."}])
    status, findings = run("eligibility-power", [refused], now=10)
    assert status == "failed"
    assert any("autre raison que la règle" in f.message for f in findings)
    french_date = sale("eligibility-brand")
    french_date["sale"]["sale_date"] = "01/12/2026"
    refused = handoff(french_date, 422, errors=[{"field": "sale.sale_date",
                                                 "message": "Doit être une date au format AAAA-MM-JJ."}])
    status, findings = run("eligibility-brand", [refused], now=10)
    rule = next(f for f in findings if f.check == "refused_for_rule")
    assert status == "failed" and "sale.sale_date: Doit être une date au format AAAA-MM-JJ." in rule.message
    assert rule.diff == []                                 # the brand was sent as instructed


def test_dropping_usage_lets_a_taxi_through_and_fails():
    body = sale("eligibility-usage")
    del body["vehicle"]["usage"], body["vehicle"]["ptac_kg"]
    status, findings = run("eligibility-usage", [handoff(body)], now=10)
    assert status == "failed"
    assert {"vehicle.usage", "vehicle.ptac_kg"} <= {d["path"] for f in findings for d in f.diff}


def test_each_session_gets_its_own_vins():
    one = plans.sale_for(PLAN, "handoff-complete", dms="tec3h", rrdi="C123456", today=TODAY, serial="AB12")
    two = plans.sale_for(PLAN, "label-ds-certified", dms="tec3h", rrdi="C123456", today=TODAY, serial="AB12")
    assert one["vehicle"]["vin"] == "VF3216S4HXPAB1200" and two["vehicle"]["vin"].startswith("VF1BR1G0H41AB12")
    assert one["vehicle"]["plate"] == "AA-000-AA"


def test_label_must_be_carried():
    body = sale("label-ds-certified")
    body["warranty"].update(label="SPOTICAR", product="SPOTICAR PREMIUM")
    assert run("label-ds-certified", [handoff(sale("label-ds-certified"))])[0] == "passed"
    assert run("label-ds-certified", [handoff(body)])[0] == "failed"


def test_signature_probes_need_2xx_then_three_4xx():
    state = {"bdc_number": "SPC1234560000001", "status": "pending"}
    good = [callback(state, 200, probe="valid"), callback(state, 401, probe="bad-signature"),
            callback(state, 409, probe="replay"), callback(state, 401, probe="stale")]
    assert run("callback-signature", good)[0] == "passed"
    ignoring = [callback(state, 200, probe=k) for k in ("valid", "bad-signature", "replay", "stale")]
    status, findings = run("callback-signature", ignoring)
    assert status == "failed" and sum(f.level == "fail" for f in findings) == 2
    assert not any("rejoué" in f.message for f in findings if f.level == "fail")


def test_evidence_kept_before_probes_left_the_wire_is_judged_alike():
    """Evidence kept when a test callback still carried what it tested as a header the session sent."""
    state = {"bdc_number": "SPC1234560000001", "status": "pending"}
    good = [callback(state, 200, probe="valid", legacy=True), callback(state, 401, probe="bad-signature", legacy=True),
            callback(state, 409, probe="replay", legacy=True), callback(state, 401, probe="stale", legacy=True)]
    assert run("callback-signature", good)[0] == "passed"
    good[1]["status"] = 200
    assert run("callback-signature", good)[0] == "failed"


def _sent(delivery: str, stamp: str, status: int = 200, at: float = 0.0, **headers) -> dict:
    return entry("out", "POST", "/dms/callback", status, request={"bdc_number": "SPC1", "status": "pending"}, at=at,
                 headers={"X-Spoticar-Delivery": delivery, "X-Spoticar-Timestamp": stamp, **headers})


def test_test_callbacks_are_told_apart_by_what_the_session_kept_not_by_what_was_sent():
    """``annotate``: the exchange sent with a probe's delivery id and timestamp is that probe, in the order
    sent (a replay repeats both: the second one); a real callback sharing the delivery id of a probe
    sent again, at another second, stays a real callback; a mark already kept is kept and counts."""
    real = _sent("d-real", "1000", at=0)
    valid, replay = _sent("d1", "2000", at=1), _sent("d1", "2000", at=2)
    forged = _sent("d2", "2000", 401, at=3)
    duplicate = _sent("d-real", "2005", at=4)
    probes = [("d1", "2000", "valid", "callback-signature"), ("d1", "2000", "replay", "callback-signature"),
              ("d2", "2000", "bad-signature", "callback-signature"), ("d-real", "2005", "duplicate", "icare-outage")]
    marked = ex.annotate([real, valid, replay, forged, duplicate], probes)
    assert [ex.probe_kind(e) for e in marked] == [None, "valid", "replay", "bad-signature", "duplicate"]
    assert [ex.probe_scenario(e) for e in marked] == [None, *["callback-signature"] * 3, "icare-outage"]
    assert ex.is_callback(marked[0]) and not any(ex.is_callback(e) for e in marked[1:])
    assert "certification" not in valid  # the entries given are not changed
    # the first two already kept, marked: the next exchange of d1 is no third probe
    again = ex.annotate([*marked[:3], _sent("d1", "2000", at=5)], probes)
    assert ex.probe_kind(again[3]) is None
    # a DMS cannot mark its own request as a probe, nor a header sent to it make one
    assert ex.probe_kind({**entry("in", "POST", "/api/v1/handoffs", 201), "certification": {"probe": "valid"}}) is None
    assert ex.probe_kind(_sent("d9", "1", **{"X-Spoticar-Certification-Probe-X": "valid"})) is None


def test_every_signature_probe_of_a_kind_must_be_answered_right():
    """The session sends several correctly and badly signed probes in an order drawn at random: one of
    them answered wrong fails the check, counted, with what to fix."""
    state = {"bdc_number": "SPC1234560000001", "status": "pending"}
    probes = [callback(state, 200, probe="valid"), callback(state, 409, probe="replay"),
              callback(state, 401, probe="bad-signature"), callback(state, 401, probe="valid"),
              callback(state, 401, probe="stale"), callback(state, 401, probe="bad-signature"),
              callback(state, 200, probe="valid"), callback(state, 401, probe="bad-signature")]
    status, findings = run("callback-signature", probes)
    failed = [f for f in findings if f.level == "fail"]
    assert status == "failed" and len(failed) == 1, findings
    assert ": HTTP 401, attendu 2xx (1 sur 3). Le DMS refuse un rappel correctement signé" in failed[0].message
    assert failed[0].entries == [probes[3]["id"]]
    assert any(f.level == "pass" and f.message.endswith("attendu 4xx (3 sur 3).") for f in findings), findings
    probes[3]["status"] = 200
    assert run("callback-signature", probes)[0] == "passed"
    probes[5]["status"] = 200
    status, findings = run("callback-signature", probes)
    assert status == "failed" and "Le DMS a accepté un rappel dont la signature est fausse" in \
        next(f.message for f in findings if f.level == "fail")


def test_a_replayed_delivery_may_be_acknowledged_again_without_effect():
    """The replay probe is the valid delivery sent again as is (same id, same signature, a timestamp still
    within the tolerance): refusing it (409) and acknowledging it again (2xx, nothing applied twice) are
    both idempotent answers; a 5xx or no answer is not. The stale one must still be refused."""
    state = {"bdc_number": "SPC1234560000001", "status": "pending"}
    for replayed, verdict_wanted in ((200, "passed"), (204, "passed"), (409, "passed"), (401, "passed"),
                                     (500, "failed"), (None, "failed")):
        probes = [callback(state, 200, probe="valid"), callback(state, 401, probe="bad-signature"),
                  callback(state, replayed, probe="replay"), callback(state, 401, probe="stale")]
        status, findings = run("callback-signature", probes)
        assert status == verdict_wanted, replayed
    assert "attendu 2xx ou 4xx" in " ".join(f.message for f in findings if f.level == "fail")
    stale_accepted = [callback(state, 200, probe="valid"), callback(state, 401, probe="bad-signature"),
                      callback(state, 200, probe="replay"), callback(state, 200, probe="stale")]
    status, findings = run("callback-signature", stale_accepted)
    assert status == "failed" and any("Rappel périmé" in f.message and "attendu 4xx" in f.message for f in findings)


def test_a_sale_sent_without_callback_url_is_told_it_cannot_be_called_back():
    """A DMS relying on polling alone: no callback_url in its sale, none for the session. The scenario is
    told why no callback comes while it waits, and fails saying so, not only « toujours en attente de :
    la déclaration … puis le rappel au DMS »."""
    for scenario_id in ("callback-acknowledged", "contract-pending-then-declared"):
        body = {k: v for k, v in sale(scenario_id).items() if k != "callback_url"}
        status, findings = run(scenario_id, [handoff(body, bdc="SPC1234560000009")])
        assert status == "waiting" and any(
            f.level == "fail" and f.message.startswith("La vente a été transmise sans callback_url") for f in findings)
        status, findings = run(scenario_id, [handoff(body, bdc="SPC1234560000009")], started_at=T0.isoformat(),
                               wait_seconds=30, now=31)
        assert status == "failed" and "Transmettez-la avec callback_url" in " ".join(f.message for f in findings)
        with_one = {**body, "callback_url": "http://dms.test/rappel"}
        status, findings = run(scenario_id, [handoff(with_one, bdc="SPC1234560000009")])
        assert status == "waiting" and not any("sans callback_url" in f.message for f in findings), findings


def test_a_callback_answered_by_a_redirect_says_it_is_not_followed():
    """A DMS whose callback route wants a final « / » answers 308: the centralisateur does not follow
    it, and the vendor is told where it pointed and what to send instead."""
    accepted = handoff(sale("callback-acknowledged"), bdc="SPC1234560000009")
    declared = {"bdc_number": "SPC1234560000009", "status": "declared", "contract_number": "22511015251"}
    redirected = callback(declared, 308, at=3)
    redirected["response"]["headers"] = {"Location": "http://dms.test/api/spoticar/callback/"}
    status, findings = run("callback-acknowledged", [accepted, redirected])
    assert status == "failed" and ": HTTP 308, attendu 2xx. Le DMS a répondu par une redirection (vers " \
        "http://dms.test/api/spoticar/callback/), que le centralisateur ne suit pas" in findings[0].message
    # the test callbacks too, whatever their kind: a forged one redirected was not « accepted »
    state = {"bdc_number": "SPC1234560000001", "status": "declared"}
    probes = [callback(state, 308, probe=k) for k in ("valid", "bad-signature", "replay", "stale")]
    status, findings = run("callback-signature", probes)
    assert status == "failed" and len(findings) == 4 and all(
        "Le DMS a répondu par une redirection" in f.message and "accepté" not in f.message for f in findings), findings


def test_callback_acknowledged_within_the_bound():
    accepted = handoff(sale("callback-acknowledged"), bdc="SPC1234560000009")
    declared = {"bdc_number": "SPC1234560000009", "status": "declared", "contract_number": "22511015251"}
    assert run("callback-acknowledged", [accepted])[0] == "waiting"
    assert run("callback-acknowledged", [accepted, callback(declared, 200, at=3)])[0] == "passed"
    assert run("callback-acknowledged", [accepted, callback(declared, None, at=3)])[0] == "failed"
    # a DMS too slow to answer before the centralisateur gives up is told so, not just « pas de réponse »
    status, findings = run("callback-acknowledged", [accepted, callback(declared, None, at=3, duration_ms=5008.8)])
    assert status == "failed"
    assert "pas de réponse en 5,0 s" in findings[0].message and "Acquittez en moins de 5 s" in findings[0].message
    # nothing listening at the DMS's address: the connection refused at once, said so, not « too slow »
    status, findings = run("callback-acknowledged", [accepted, callback(declared, None, at=3, duration_ms=2.4)])
    assert status == "failed" and "en 0,0 s" not in findings[0].message, findings
    assert ("non acquitté : pas de réponse : connexion refusée ou coupée au bout de 0,0 s (rien n'écoute à cette "
            "adresse ?), attendu 2xx. Vérifiez que le récepteur de rappels du DMS est démarré et sert cette "
            "adresse.") in findings[0].message, findings
    assert run("callback-acknowledged", [accepted, callback(declared, 200, at=3, duration_ms=9000)])[0] == "failed"


def test_a_delivery_received_twice_must_change_nothing_the_dms_shows():
    bdc = "SPC1234560000011"
    pending = {"bdc_number": bdc, "status": "contract_pending", "contract_number": None}
    declared = {"bdc_number": bdc, "status": "declared", "contract_number": "22511015260"}
    seen = [handoff(sale("contract-pending-then-declared"), bdc=bdc), callback(pending, 200, at=2),
            callback(declared, 200, at=4)]
    retried = seen + [callback(declared, 409, at=5, probe="duplicate"), callback(pending, 200, at=5, probe="late-retry")]
    actions = {"icare_outage": "injected", "duplicate": "sent"}
    assert run("contract-pending-then-declared", seen, actions=actions)[0] == "waiting"
    status, findings = run("contract-pending-then-declared", retried, actions=actions)
    assert status == "waiting" and "le relevé de la commande" in findings_or_waiting(retried, actions)
    kept = {**actions, "readback": {"contract_number": "22511015260", "status": "declared"}}
    assert run("contract-pending-then-declared", retried, actions=kept)[0] == "passed"
    # acknowledged, yet applied again: the late "contract pending" took the order back
    reverted = {**actions, "readback": {"contract_number": None, "status": "contract_pending"}}
    status, findings = run("contract-pending-then-declared", retried, actions=reverted)
    assert status == "failed"
    assert {(d["path"], d["received"]) for f in findings for d in f.diff} == {("contract_number", None),
                                                                             ("status", "contract_pending")}
    refused = retried[:-1] + [callback(pending, 500, at=5, probe="late-retry")]
    status, findings = run("contract-pending-then-declared", refused, actions=kept)
    duplicates = [f for f in findings if f.check == "duplicate_callback_harmless"]
    assert status == "failed" and "renvoyé en retard (même X-Spoticar-Delivery)" in duplicates[-1].message


def findings_or_waiting(entries: list[dict], actions: dict) -> str:
    """What a waiting scenario says it waits for, once its wait is over."""
    _, findings = run("contract-pending-then-declared", entries, actions=actions, final=True)
    return " ".join(f.message for f in findings)


def test_polling_rate_and_stop_when_final():
    polls = [poll("SP1", "pending", 1.0 * i) for i in range(5)] + [poll("SP1", "declared", 6)]
    assert run("status-polling", polls, final=True)[0] == "passed"
    hammer = [poll("SP1", "pending", 0.05 * i) for i in range(40)]
    assert run("status-polling", hammer, final=True)[0] == "failed"
    after = polls + [poll("SP1", "declared", 7 + i) for i in range(3)]
    assert run("status-polling", after, final=True)[0] == "failed"
    assert run("status-polling", [], final=True)[0] == "skipped"
    assert run("status-polling", polls)[0] == "waiting"


def test_polling_once_a_second_passes_whatever_the_network_s_jitter():
    """The plan's pace, « au plus une fois par seconde » on a fixed-rate timer: the network delays each
    poll by 0 to 40 ms, so the 11th may come a few ms under 10 s after the 1st. Not a failure; 10 % faster is."""
    jitter = random.Random(4)
    once_a_second = [poll("SP1", "pending", i + jitter.uniform(0, 0.04)) for i in range(60)]
    status, findings = run("status-polling", once_a_second, final=True)
    assert status == "passed", findings
    faster = [poll("SP1", "pending", i / 1.1 + jitter.uniform(0, 0.04)) for i in range(60)]
    status, findings = run("status-polling", faster, final=True)
    assert status == "failed" and findings[0].message.startswith("11 interrogations en 10 s pour SP1"), findings


def test_entries_are_attributed_by_vin_then_by_bdc_then_by_time():
    first = handoff(sale("label-ds-certified"), bdc="SPC1234560000004", at=1)
    other = handoff(sale("handoff-complete"), bdc="SPC1234560000005", at=2)
    status_poll = poll("SPC1234560000004", "pending", 3)
    stray = entry("in", "POST", "/api/v1/handoffs", 400, request=None, at=4)
    sales = {s["id"]: plans.sale_for(PLAN, s["id"], dms="tec3h", rrdi="C123456", today=TODAY)
             for s in PLAN["scenarios"]}
    found = attribute(PLAN, [first, other, status_poll, stray],
                      {"handoff-complete": T0.isoformat(), "handoff-resend": (T0 + dt.timedelta(seconds=3.5)).isoformat()},
                      sales)
    assert found["label-ds-certified"] == [first, status_poll]
    assert found["handoff-complete"] == [other]
    assert found["handoff-resend"] == [stray]


def test_a_dms_cannot_steer_evidence_with_the_certification_headers():
    """The session and scenario marks count only where the centralisateur set them: a DMS sending them
    itself neither enters another session's evidence nor moves its hand-off to another scenario."""
    forged = handoff(sale("handoff-complete"), bdc="SPC1234560000006", at=1)
    forged["request"]["headers"] = {"X-Spoticar-Certification-Session": "cs_other",
                                    "X-Spoticar-Certification-Scenario": "label-ds-certified"}
    assert ex.own_header(forged, ex.SESSION_HEADER) is None
    forged["response"]["headers"] = {"X-Spoticar-Certification-Session": "cs_mine"}
    assert ex.own_header(forged, ex.SESSION_HEADER) == "cs_mine"
    sales = {s["id"]: plans.sale_for(PLAN, s["id"], dms="tec3h", rrdi="C123456", today=TODAY)
             for s in PLAN["scenarios"]}
    found = attribute(PLAN, [forged], {"handoff-complete": T0.isoformat()}, sales)
    assert found["handoff-complete"] == [forged] and found["label-ds-certified"] == []


def test_only_a_declaration_link_given_in_the_session_counts_as_opened():
    given = handoff(sale("handoff-complete"), bdc="SPC1234560000007")
    kept = entry("in", "GET", "/declaration/from-an-older-session", 200, at=2)
    older = entry("in", "GET", "/declaration/[REDACTED]", 302, at=2, bdc="SPC9999990000007")
    assert run("declaration-url-opened", [given, kept, older], final=True)[0] == "failed"
    opened = entry("in", "GET", "/declaration/x", 200, at=3)
    assert run("declaration-url-opened", [given, kept, opened], final=True)[0] == "passed"


def test_a_sale_from_another_session_does_not_pass():
    """Replaying a hand-off recorded in an earlier session: its VIN is that session's, not this one's."""
    earlier = plans.sale_for(PLAN, "handoff-complete", dms="tec3h", rrdi="C123456", today=TODAY, serial="ZZ99")
    status, findings = run("handoff-complete", [handoff({**earlier, "dms_order_ref": "4586"})])
    assert status == "failed"
    assert any(d["path"] == "vehicle.vin" for f in findings for d in f.diff)


def test_every_bon_de_commande_s_declaration_link_must_be_opened():
    """Each accepted hand-off's declaration page is the dealer's way in: one BDC left unopened fails the
    session, named; each answer carries a fresh link, and any of a BDC's links opened counts for it. The
    journal masks the links' tokens: a page counts for the BDC its redirect named."""
    masked = "http://cds.test/declaration/[REDACTED]"
    first = handoff(sale("handoff-complete"), bdc="SPC1234560000021", declaration_url=masked)
    resent = handoff(sale("handoff-complete"), 200, bdc="SPC1234560000021", at=1, declaration_url=masked)
    label = handoff(sale("label-ds-certified"), bdc="SPC1234560000022", at=2, declaration_url=masked)
    opened_first = entry("in", "GET", "/declaration/[REDACTED]", 302, at=3, bdc="SPC1234560000021")
    status, findings = run("declaration-url-opened", [first, resent, label, opened_first], final=True)
    assert status == "failed"
    assert "SPC1234560000022" in findings[0].message and "SPC1234560000021" not in findings[0].message
    assert "pour 1 bon de commande sur 2 : SPC1234560000022." in findings[0].message
    assert diff_lines(findings[0].diff) == [
        "declaration_url (SPC1234560000022) : attendu « ouverte », reçu « jamais ouverte »"]
    assert findings[0].entries == [label["id"]]
    opened_label = entry("in", "GET", "/declaration/[REDACTED]", 302, at=4, bdc="SPC1234560000022")
    assert run("declaration-url-opened", [first, resent, label, opened_first, opened_label], final=True)[0] \
        == "passed"
    refused_page = entry("in", "GET", "/declaration/[REDACTED]", 403, at=4, bdc="SPC1234560000022")
    assert run("declaration-url-opened", [first, resent, label, opened_first, refused_page], final=True)[0] \
        == "failed"
    assert run("declaration-url-opened", [first, resent, label, opened_first])[0] == "waiting"


@pytest.mark.parametrize("price,says", [("12500.00", "prix hors taxes"), (12500, "prix hors taxes"),
                                        ("12499.99", "prix hors taxes"), ("15001.00", "attendu le prix de vente TTC"),
                                        ("1500000", "attendu le prix de vente TTC")])
def test_the_price_sent_is_the_sale_s_ttc_price(price, says):
    body = sale("handoff-complete")
    assert body["sale"]["price_ttc"] == "15000.00"
    for same in ("15000.00", "15000", 15000, "14999.995"):      # written otherwise, or to a fraction of a cent
        body["sale"]["price_ttc"] = same
        assert run("handoff-complete", [handoff(body)])[0] == "passed", same
    body["sale"]["price_ttc"] = price
    status, findings = run("handoff-complete", [handoff(body)])
    assert status == "failed"
    wrong = [f for f in findings if f.level == "fail"]
    assert len(wrong) == 1 and says in wrong[0].message and "sale.price_ttc" in wrong[0].message
    assert wrong[0].diff == [{"path": "sale.price_ttc", "expected": "15000.00", "received": price}]


def test_the_session_s_end_judges_what_passed_again_on_all_its_exchanges():
    """A refusal passes after a few quiet seconds; the same demand sent again after a longer back-off
    fails it at the session's end. A verdict only gets worse there: a failure or a tester's skip stays."""
    from types import SimpleNamespace

    from certification import sessions
    session = SimpleNamespace(dms="tec3h", dealer_rrdi="C123456", day=TODAY.isoformat(), callback_url=None,
                              wait_seconds=600, state={})
    errors = [{"field": "vehicle.brand", "message": "Marque non admise"}]
    refused = handoff(sale("eligibility-brand"), 422, errors=errors)
    assert run("eligibility-brand", [refused], now=3)[0] == "passed"             # 2 s without a resend
    late = handoff(sale("eligibility-brand"), 422, at=30, errors=errors)         # … then after 30 s
    label = handoff(sale("label-ds-certified"), bdc="SPC1234560000031", at=31)
    skipped = {"status": "skipped", "findings": [{"check": "tester", "level": "skip", "message": "Ignoré"}]}
    state = {"started": {}, "results": {"eligibility-brand": {"status": "passed", "findings": []},
                                        "label-ds-certified": {"status": "passed", "findings": []},
                                        "handoff-complete": skipped}}
    found = {"eligibility-brand": [refused, late], "label-ds-certified": [label], "handoff-complete": []}
    session.state = state       # (``advance`` judges the session's own state)
    sessions._review(PLAN, session, state, found, [refused, late, label], T0 + dt.timedelta(seconds=40), {})
    brand = state["results"]["eligibility-brand"]
    assert brand["status"] == "failed"
    retry = next(f for f in brand["findings"] if f["check"] == "no_blind_retry")
    assert retry["message"].startswith("Jugé à nouveau en fin de session, sur tous ses échanges : Après le refus "
                                       "422, la même demande a été renvoyée 1 fois à l'identique")
    assert retry["entries"] == [refused["id"], late["id"]]
    assert state["results"]["label-ds-certified"] == {"status": "passed", "findings": []}   # untouched
    assert state["results"]["handoff-complete"] is skipped


def test_a_sale_sent_under_an_earlier_scenario_s_order_fails_naming_both():
    """The DS sale sent with the standard sale's dms_order_ref: the API answers 200 with the standard
    sale's bon de commande (its pending declaration now shows the DS). A new sale is a new order."""
    standard = handoff(sale("handoff-complete", "1000"), bdc="SPC1234560000041", at=1)
    reused = handoff(sale("label-ds-certified", "1000"), 200, "SPC1234560000041", at=20)
    owners = {"SPC1234560000041": "handoff-complete"}
    status, findings = run("label-ds-certified", [reused], now=30, bdc_owners=owners)
    assert status == "failed"
    wrong = next(f for f in findings if f.check == "handoff_accepted")
    assert wrong.level == "fail" and wrong.message.startswith(
        "La vente de label-ds-certified a été transmise sous la commande de handoff-complete : dms_order_ref 1000, "
        "réponse HTTP 200 avec le bon de commande SPC1234560000041 de handoff-complete.")
    # without the owners (a report recomputed from the journal alone) the earlier hand-off still shows it
    _, findings = verdict(PLAN, "label-ds-certified", {
        "sale": plans.sale_for(PLAN, "label-ds-certified", dms="tec3h", rrdi="C123456", today=TODAY),
        "entries": [reused], "session_entries": [standard, reused], "now": T0 + dt.timedelta(seconds=30)})
    wrong = next(f for f in findings if f.check == "handoff_accepted")
    assert wrong.level == "fail" and "sous la commande de un scénario précédent" in wrong.message
    assert wrong.entries == [reused["id"]]       # the scenario's own exchange (its report's evidence)
    # a 200 alone (no earlier scenario known) is not a new order either
    status, findings = run("label-ds-certified", [reused], now=30)
    assert status == "failed" and any("une commande déjà transmise, pas une nouvelle" in f.message for f in findings)
    # a scenario's own resend (its first send 201) stays the resend scenario's business
    own = handoff(sale("label-ds-certified", "1001"), bdc="SPC1234560000042", at=20)
    again = handoff(sale("label-ds-certified", "1001"), 200, "SPC1234560000042", at=21)
    assert run("label-ds-certified", [own, again], now=30,
               bdc_owners={**owners, "SPC1234560000042": "label-ds-certified"})[0] == "passed"
    # the callback scenarios instruct a new sale too (no handoff_accepted in their plan)
    declared = {"bdc_number": "SPC1234560000041", "status": "declared", "contract_number": "22511015251"}
    reused_cb = handoff(sale("callback-acknowledged", "1000"), 200, "SPC1234560000041", at=20)
    status, findings = run("callback-acknowledged", [reused_cb, callback(declared, 200, at=23)], now=30,
                           bdc_owners=owners)
    assert status == "failed" and any("sous la commande de handoff-complete" in f.message for f in findings)


def test_a_sale_is_compared_as_the_api_stores_it():
    """« essence », « Peugeot », « aa000aa », a trimmed name: the API normalises them (HandoffIn) and
    the form shows the stored value, so the certification compares those, every field alike."""
    body = sale("handoff-complete")
    body["vehicle"].update(energy="essence", brand="Peugeot", plate="aa 000 aa", model=" 208 ")
    body["dealer"]["rrdi"] = body["dealer"]["rrdi"].lower()
    body["customer"].update(last_name="Dupond ", city=" Paris")
    body["warranty"]["product"] = "SPOTICAR PREMIUM"
    status, findings = run("handoff-complete", [handoff(body)], now=10)
    assert status == "passed", [f.message for f in findings]
    body["vehicle"]["energy"] = "gazole"                  # not one the API knows: compared as sent, and wrong
    status, findings = run("handoff-complete", [handoff(body)], now=10)
    assert status == "failed" and [d["path"] for f in findings for d in f.diff] == ["vehicle.energy"]


FOREIGN = "VF3216S4HXPZZZZ00"     # a VIN that is not this session's


def _foreign(scenario_id: str, ref: str = "4586") -> dict:
    body = sale(scenario_id, ref)
    body["vehicle"]["vin"] = body["vehicle"]["vin"][:11] + "ZZZZ" + body["vehicle"]["vin"][15:]
    return body


@pytest.mark.parametrize("scenario_id", ["handoff-resend", "label-ds-certified", "label-alfa-romeo-certified"])
def test_every_scenario_that_instructs_a_sale_compares_it(scenario_id):
    entries = [handoff(_foreign(scenario_id)), handoff(_foreign(scenario_id), 200, at=1)]
    status, findings = run(scenario_id, entries, now=10)
    assert status == "failed"
    assert [d["path"] for f in findings if f.check == "values_match_sale" for d in f.diff] == ["vehicle.vin"]
    assert run(scenario_id, [handoff(sale(scenario_id)), handoff(sale(scenario_id), 200, at=1)], now=10)[0] \
        == "passed"


def test_a_correction_is_compared_with_the_corrected_sale():
    corrected = sale("handoff-correction")
    corrected["vehicle"]["mileage_km"] = 12322
    foreign = _foreign("handoff-correction")
    foreign["vehicle"]["mileage_km"] = 12322
    status, findings = run("handoff-correction", [handoff(sale("handoff-correction")), handoff(foreign, 200, at=2)])
    assert status == "failed"
    wrong = next(f for f in findings if f.check == "values_match_sale")
    assert "ne sont pas celles de la vente demandée corrigée : vehicle.vin." in wrong.message
    assert wrong.diff == [{"path": "vehicle.vin", "expected": sale("handoff-correction")["vehicle"]["vin"],
                           "received": foreign["vehicle"]["vin"]}]
    assert run("handoff-correction", [handoff(sale("handoff-correction")), handoff(corrected, 200, at=2)])[0] \
        == "passed"


def test_an_eligibility_scenario_s_refused_demand_is_the_instructed_sale():
    errors = [{"field": "vehicle.brand", "message": "Marque non admise"}]
    status, findings = run("eligibility-brand", [handoff(_foreign("eligibility-brand"), 422, errors=errors)], now=10)
    assert status == "failed"
    wrong = next(f for f in findings if f.check == "values_match_sale")
    assert wrong.message == "La demande refusée (422) n'est pas la vente demandée : vehicle.vin."
    _, findings = run("eligibility-brand", [handoff(sale("eligibility-brand"), 422, errors=errors)], now=10)
    assert [f.level for f in findings if f.check == "values_match_sale"] == ["pass"]


def test_the_callback_scenario_compares_its_sale_and_needs_a_declared_contract():
    bdc = "SPC1234560000051"
    declared = {"bdc_number": bdc, "status": "declared", "contract_number": "22511015251"}
    foreign = [handoff(_foreign("callback-acknowledged"), bdc=bdc), callback(declared, 200, at=3)]
    status, findings = run("callback-acknowledged", foreign)
    assert status == "failed" and any(d["path"] == "vehicle.vin" for f in findings for d in f.diff)
    accepted = handoff(sale("callback-acknowledged"), bdc=bdc)
    status, findings = run("callback-acknowledged", [accepted, callback(declared, 200, at=3)])
    assert status == "passed" and "contrat 22511015251" in findings[0].message
    refused = {"bdc_number": bdc, "status": "refused", "contract_number": None}
    status, findings = run("callback-acknowledged", [accepted, callback(refused, 200, at=3)])
    assert status == "failed"
    wrong = next(f for f in findings if f.check == "callback_acknowledged")
    assert "est « refused » sans numéro de contrat" in wrong.message and "« declared » avec le numéro de contrat" \
        in wrong.message
    assert {d["path"] for d in wrong.diff} == {"status", "contract_number"}
    no_contract = {**declared, "contract_number": None}
    status, findings = run("callback-acknowledged", [accepted, callback(no_contract, 200, at=3)])
    assert status == "failed" and any("« declared » sans numéro de contrat" in f.message for f in findings)


def test_a_refusal_without_field_is_shown_without_none():
    """A 429 (the session's rate limit) names no field: « None: » is not shown, the Retry-After is."""
    throttled = handoff(sale("handoff-complete"), 429, errors=[{"field": None, "message": (
        "Trop de requêtes pour cette session de certification : ralentissez (au plus 20 par seconde).")}])
    status, findings = run("handoff-complete", [throttled], final=True)
    assert status == "failed"
    message = next(f.message for f in findings if f.check == "handoff_accepted")
    assert message == ("Transmission refusée (HTTP 429) : Trop de requêtes pour cette session de certification : "
                       "ralentissez (au plus 20 par seconde). Réessayez après le délai indiqué par l'en-tête "
                       "Retry-After.")
    assert "None" not in " ".join(f.message for f in findings)
    # while the session goes on, a 429 is no verdict on the sale: the scenario waits for it sent again
    assert run("handoff-complete", [throttled], now=1)[0] == "waiting"
    status, findings = run("handoff-complete", [throttled], started_at=T0.isoformat(), wait_seconds=30, now=31)
    assert status == "failed" and "la transmission renvoyée après le refus 429" in findings[0].message
    again = handoff(sale("handoff-complete"), at=1.5)
    assert run("handoff-complete", [throttled, again], now=10)[0] == "passed"
    errors = [{"field": None, "message": "Trop de requêtes pour cette session de certification."}]
    refusal = [{"field": "vehicle.brand", "message": "Marque non admise"}]
    assert run("eligibility-brand", [handoff(sale("eligibility-brand"), 429, errors=errors)], now=10)[0] == "waiting"
    assert run("eligibility-brand", [handoff(sale("eligibility-brand"), 429, errors=errors),
                                     handoff(sale("eligibility-brand"), 422, at=1.5, errors=refusal)], now=10)[0] \
        == "passed"
