"""common.parsing: the one layer that reads numbers and dates typed in forms and query strings."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from common.errors import french_errors
from common.parsing import ParseError, TradeDate, parse_date, parse_decimal, parse_int
from common.json_checks import MAX_JSON_DEPTH, json_depth, json_too_deep


@pytest.mark.parametrize("text", ["²", "³", "٣", "１２", "99999999999999999999", "-1", "1e3", "12,5",
                                  "1" * 500, "0x10", "<b>1</b>"])
def test_parse_int_refuses_what_no_user_meant_with_a_french_message(text):
    with pytest.raises(ParseError, match="doit être un nombre entier entre 0 et"):
        parse_int(text, label="kilométrage")


def test_parse_int_reads_french_grouping_and_blank():
    assert parse_int("12 500") == 12500 and parse_int("12\u202f500") == 12500
    assert parse_int("  ") is None and parse_int(None) is None
    with pytest.raises(ParseError, match="entre 1 et 2000"):
        parse_int("2001", minimum=1, maximum=2000)


@pytest.mark.parametrize("text", ["31/12/9999", "9999-12-31", "01/01/1899", "٣٠/11/2025", "31/02/2025",
                                  "30/11/25", "2025-11-30T00:00", "30/11/2025 " * 20])
def test_parse_date_refuses_far_or_unreal_dates(text):
    with pytest.raises(ParseError) as exc:
        parse_date(text, label="date de début")
    assert exc.value.message.startswith("Le champ date de début doit être une date")


def test_parse_date_reads_french_and_iso():
    assert parse_date("30/11/2025") == parse_date("2025-11-30") == dt.date(2025, 11, 30)
    assert parse_date("1/2/2026") == dt.date(2026, 2, 1)


def test_parse_decimal_reads_french_amounts_and_refuses_the_rest():
    assert parse_decimal("10 290,76 €") == Decimal("10290.76")
    for text in ("NaN", "Infinity", "1e400", "²", "12,345,6", "99999999999"):
        with pytest.raises(ParseError, match="montant"):
            parse_decimal(text)


def test_trade_date_refuses_year_9999_in_french_on_the_api():
    class Model(BaseModel):
        start_date: TradeDate

    with pytest.raises(ValidationError) as exc:
        Model.model_validate({"start_date": "9999-12-31"})
    assert french_errors(exc.value) == [{"field": "start_date",
                                         "message": "La valeur doit être une date entre 1900 et 2100."}]


def test_json_depth_counts_nesting_and_skips_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{"}]}') == 3
    assert json_depth(b"[" * 1000 + b"]" * 1000) == 1000


def test_json_too_deep_past_the_limit_only():
    """Too deep from ``MAX_JSON_DEPTH`` + 1 levels, arrays and objects alike; many brackets side by
    side, or inside strings, nest nothing."""
    at_limit = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert not json_too_deep(at_limit) and json_too_deep(b"[" + at_limit + b"]")
    assert json_too_deep(b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1))
    assert not json_too_deep(b"[" + b"[], {}, " * 100 + b"[]]")
    assert not json_too_deep(b'{"a": "' + b"[{" * 100 + b'"}')
    assert not json_too_deep(b"") and not json_too_deep(b"[]")


def test_json_depth_is_one_pass_over_a_body_of_unterminated_strings():
    """A body of escaped quotes opens a string it never closes: each of its quotes was tried again as a
    string's start, to the end of the body (80 KB: ~20 s of an app's interpreter). Run in a child
    process bounded far above one pass over 800 KB (a few ms): before, it took hours."""
    import subprocess
    import sys

    code = ("from common.json_checks import json_too_deep\n"
            "print(json_too_deep(b'[' * 33 + b'\"' + b'\\\\\"' * 400_000),"
            " json_too_deep(b'[' * 33 + b'\"' + b'\\\\\\n' * 400_000 + b'\\\\'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["True", "True"]  # the 33 levels before the string are counted


@pytest.mark.parametrize("sent", ["0", "1764460800", "1764460800000", "20251130", "true"])
def test_trade_date_refuses_a_number_on_the_api(sent):
    """A JSON number is no date of the API (pydantic read it as Unix time: « 0 » the 1st of January
    1970): the schema's ISO text only."""
    class Model(BaseModel):
        start_date: TradeDate

    with pytest.raises(ValidationError) as exc:
        Model.model_validate_json(f'{{"start_date": {sent}}}')
    assert [e["field"] for e in french_errors(exc.value)] == ["start_date"]
    assert Model.model_validate_json('{"start_date": "2025-11-30"}').start_date == dt.date(2025, 11, 30)
