"""The signed callback scheme: timestamp + delivery id + body under one HMAC, freshness, replays."""
from __future__ import annotations

import json

import pytest

from spoticar_handoff import (CallbackRejected, MemorySeenDeliveries, STATUSES, is_final, sign_callback,
                              verify_callback)
from spoticar_handoff.callbacks import delivery_id

BODY = json.dumps({"bdc_number": "SP953617Z103833712", "status": "declared",
                   "contract_number": "22511015251"}).encode()
NOW = 1_764_480_000


def _refusal(headers, body=BODY, key="k-tec3h", **kwargs) -> CallbackRejected:
    with pytest.raises(CallbackRejected) as refused:
        verify_callback(headers, body, key, now=NOW, **kwargs)
    return refused.value


def test_a_correctly_signed_fresh_callback_gives_its_state():
    headers = sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW - 10)
    state = verify_callback(headers, BODY, "k-tec3h", now=NOW, seen=MemorySeenDeliveries())
    assert (state.bdc_number, state.status, state.contract_number) == \
        ("SP953617Z103833712", "declared", "22511015251")


def test_headers_are_read_whatever_their_case():
    headers = {k.lower(): v for k, v in sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW).items()}
    assert verify_callback(headers, BODY, "k-tec3h", now=NOW).status == "declared"


@pytest.mark.parametrize("change", ["key", "body", "timestamp", "delivery"])
def test_changing_anything_signed_breaks_the_signature(change):
    headers = sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW)
    body, key = BODY, "k-tec3h"
    if change == "key":
        key = "k-pvo2"
    elif change == "body":
        body = BODY.replace(b"declared", b"refused")
    elif change == "timestamp":
        headers["X-Spoticar-Timestamp"] = str(NOW - 1)
    else:
        headers["X-Spoticar-Delivery"] = "d-2"
    refused = _refusal(headers, body, key)
    assert refused.status == 401 and "signature X-Spoticar-Signature invalide" in refused.message


@pytest.mark.parametrize("forged", ["sha256=é", "sha256=\u0430bc", "\udcff"])
def test_a_signature_with_non_ascii_characters_is_a_401_not_an_error(forged):
    headers = {**sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW), "X-Spoticar-Signature": forged}
    refused = _refusal(headers)
    assert refused.status == 401 and "signature X-Spoticar-Signature invalide" in refused.message


def test_missing_headers_are_refused():
    headers = sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW)
    del headers["X-Spoticar-Delivery"]
    refused = _refusal(headers)
    assert refused.status == 401 and "obligatoires" in refused.message


@pytest.mark.parametrize("age,tolerance,accepted", [(299, 300, True), (301, 300, False), (-301, 300, False),
                                                    (50, 30, False), (50, 60, True)])
def test_a_stale_timestamp_is_refused_beyond_the_tolerance(age, tolerance, accepted):
    headers = sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW - age)
    if accepted:
        assert verify_callback(headers, BODY, "k-tec3h", now=NOW, tolerance=tolerance)
    else:
        refused = _refusal(headers, tolerance=tolerance)
        assert refused.status == 401 and "périmé" in refused.message


def test_a_delivery_seen_before_is_a_replay():
    seen = MemorySeenDeliveries()
    headers = sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW)
    verify_callback(headers, BODY, "k-tec3h", now=NOW, seen=seen)
    refused = _refusal(headers, seen=seen)
    assert refused.status == 409 and "d-1" not in refused.message  # no echo of the header
    assert verify_callback(sign_callback(BODY, "k-tec3h", "d-2", timestamp=NOW), BODY, "k-tec3h",
                           now=NOW, seen=seen)


def test_a_signed_body_that_is_not_a_state_is_refused():
    body = b'{"hello": "world"}'
    refused = _refusal(sign_callback(body, "k-tec3h", "d-1", timestamp=NOW), body)
    assert refused.status == 400


def test_retries_of_one_state_share_a_delivery_id_and_states_differ():
    assert delivery_id("SP1", "declared", "22511015251") == delivery_id("SP1", "declared", "22511015251")
    assert len({delivery_id("SP1", s) for s in STATUSES}) == 4


def test_statuses_have_french_labels_and_only_declared_and_refused_are_final():
    assert {v: s.label for v, s in STATUSES.items()}["declared"] == "Déclarée"
    assert [v for v in STATUSES if is_final(v)] == ["declared", "refused"]
    assert not is_final(None) and not is_final("draft")


def test_a_replay_refusal_does_not_repeat_the_delivery_id():
    seen = MemorySeenDeliveries(keep=600)
    headers = sign_callback(BODY, "k-tec3h", "d-1", timestamp=NOW)
    verify_callback(headers, BODY, "k-tec3h", now=NOW, seen=seen)
    refused = _refusal(headers, seen=seen)
    assert (refused.status, refused.message) == (409, "Rappel déjà reçu (même X-Spoticar-Delivery) : ignoré.")


@pytest.mark.parametrize("delivery", ["<b>d</b>", "d" * 65, "d\u00e9"])
def test_a_delivery_id_is_a_plain_bounded_token(delivery):
    refused = _refusal(sign_callback(BODY, "k-tec3h", delivery, timestamp=NOW))
    assert refused.status == 400 and "X-Spoticar-Delivery" in refused.message and delivery not in refused.message


def test_the_type_hints_resolve_in_a_fresh_process_with_the_sdk_alone(tmp_path):
    """A vendor's tools (sphinx, ``validate_call``) resolve ``verify_callback``'s hints before any
    callback was checked, with the SDK copied alone (no project package beside it)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    import spoticar_handoff
    shutil.copytree(Path(spoticar_handoff.__file__).parent, tmp_path / "spoticar_handoff")
    code = ("import sys, typing, spoticar_handoff.callbacks as c\n"
            "print(typing.get_type_hints(c.verify_callback)['return'].__name__)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('common', 'centralisateur')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["DeclarationState", "[]"]


def test_a_refusal_survives_pickling():
    """A vendor's task queue or process pool pickles the exception a worker raised."""
    import pickle

    refusal = pickle.loads(pickle.dumps(CallbackRejected(409, "Rappel déjà reçu.")))
    assert (type(refusal), refusal.status, refusal.message, str(refusal)) == \
        (CallbackRejected, 409, "Rappel déjà reçu.", "Rappel déjà reçu.")
