"""``fields.plain`` (``str.isprintable``) lets the text checks skip their regular expressions for an
ordinary text: it must be False for every character those expressions look for, so the fast answer
is always the one the expressions give."""
from __future__ import annotations

import random

import pytest
from pydantic_core import PydanticCustomError

from spoticar_handoff.fields import _BLANK_RE, CONTROL_RE, blank, plain
from spoticar_handoff.models import _blank_to_none, refuse_control


def _slow_blank(text: str) -> bool:
    return _BLANK_RE.fullmatch(text) is not None


def _slow_screen(value: str):
    """``_blank_to_none`` as the regular expressions alone decide it: None, the text, or "refused"."""
    if _slow_blank(value):
        return None
    return "refused" if CONTROL_RE.search(value.strip()) else value


def _screen(value: str):
    try:
        return _blank_to_none(value)
    except PydanticCustomError:
        return "refused"


def test_no_character_the_expressions_look_for_is_plain():
    for code in range(0x110000):
        char = chr(code)
        if CONTROL_RE.match(char) or (char != " " and _slow_blank(char)):
            assert not plain(char), hex(code)


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_answers_are_the_expressions_answers(seed):
    rng = random.Random(seed)
    # ordinary letters, the space, and every kind the expressions treat apart
    pieces = ["a", "É", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u200b", "\ufeff", "\u00ad", "\x1b", "\x7f",
              "\u202e", "\u2066", "\u2028", "\u3000", "ﬁ", "\ud800", "\U0001f600", "\U000e0001", ""]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        assert blank(text) == _slow_blank(text), repr(text)
        assert _screen(text) == _slow_screen(text), repr(text)
        try:
            refuse_control(text)
            refused = False
        except PydanticCustomError:
            refused = True
        assert refused == bool(CONTROL_RE.search(text.strip())), repr(text)
