"""What the property-based fuzz tests share: hostile JSON values, every path into a payload, one
field changed (or removed), and the check that a refusal carries French ``errors``."""
from __future__ import annotations

import json

from hypothesis import strategies as st

HOSTILE_TEXT = ["", " ", "²", "³", "٣", "99999999999999999999", "-1", "1e400", "NaN", "31/12/9999",
                "9999-12-31", "0000-00-00", "<script>alert(1)</script>", "A" * 3000, "\u0000", "😀",
                "' OR 1=1 --", "../../etc/passwd", "http://169.254.169.254/", "SP953617Z103833701"]


def json_values(samples: list[str], *, biggest: int, leaves: int, text_size: int):
    """Any JSON value: scalars (integers up to ±``biggest``, ``samples`` among the texts), lists and
    objects nested up to ``leaves`` leaves."""
    scalars = (st.none() | st.booleans() | st.integers(min_value=-biggest, max_value=biggest)
               | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=text_size)
               | st.sampled_from(samples))
    return st.recursive(scalars, lambda children: st.lists(children, max_size=3)
                        | st.dictionaries(st.text(max_size=10), children, max_size=3), max_leaves=leaves)


def paths(value, prefix=()):
    """Every path (tuple of keys) into the nested dicts of ``value``, the empty one first."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, prefix + (key,))


def mutated(payload: dict, path: tuple, value, delete: bool) -> dict:
    """A deep copy of ``payload`` with the field at ``path`` set to ``value`` (or removed)."""
    changed = json.loads(json.dumps(payload))
    target = changed
    for key in path[:-1]:
        target = target[key]
    if delete:
        target.pop(path[-1], None)
    else:
        target[path[-1]] = value
    return changed


def has_french_errors(body: dict | None) -> bool:
    """A refusal's JSON lists ``errors``, each with a non-empty ``message``."""
    errors = (body or {}).get("errors")
    return bool(errors) and all(isinstance(e.get("message"), str) and e["message"] for e in errors)
