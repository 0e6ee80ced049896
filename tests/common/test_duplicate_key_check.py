"""``json_has_duplicate_key`` with its decoder built once tells what ``json.loads`` with the same hook
told, over hand-offs as DMSs send them and bodies no DMS should send."""
from __future__ import annotations

import json

import pytest

from common.json_checks import _DuplicateKey, _unique_object, json_has_duplicate_key
from fixtures.factories import Factory


def reference(raw: bytes) -> bool:
    """The check as it was written before: ``json.loads`` building its decoder at each call."""
    if raw.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(raw, object_pairs_hook=_unique_object)
    except _DuplicateKey:
        return True
    except (ValueError, RecursionError):
        return False
    return False


def bodies() -> list[bytes]:
    factory = Factory(21)
    out = []
    for i in range(60):
        handoff = factory.handoff()
        text = json.dumps(handoff, ensure_ascii=i % 2 == 0, indent=None if i % 3 else 2)
        out += [text.encode(), text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-32"),
                b"\xef\xbb\xbf" + text.encode(), text.encode()[: len(text) // 2]]
        twice = text.replace('"rrdi": ', '"rrdi": "000000A", "rrdi": ', 1)
        out += [twice.encode(), twice.encode("utf-16"), twice.encode()[: len(twice) // 2]]
        out.append(text.replace('"seller"', '"sel\\u006cer"', 1).replace('"sale"', '"seller": 1, "sale"', 1).encode())
    out += [b"", b"{", b"[", b"{}", b"[]", b'{"a":1,"a":2} reste', b'[{"a":1,"a":2}', b'{"a":{"b":1},"a":2}',
            b'{"a":1,"b":{"a":1}}', b'{"\xff":1,"\xff":2}', b'{"a":"\\ud800","a":1}', b" \n{\"a\":1,\"a\":1}",
            b"[" * 5000 + b"]" * 5000, b'{"a":1,"A":1}', b'{"a" : 1, "a"\t: 1}']
    return out


BODIES = bodies()


def test_the_bodies_hold_both_answers():
    answers = [reference(raw) for raw in BODIES]
    assert answers.count(True) > 100 and answers.count(False) > 200


@pytest.mark.parametrize("start", range(0, len(BODIES), 100))
def test_every_body_gets_the_answer_of_json_loads(start):
    for raw in BODIES[start:start + 100]:
        assert json_has_duplicate_key(raw) == reference(raw), raw[:80]
