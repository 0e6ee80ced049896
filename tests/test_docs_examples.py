"""What a vendor copies from the docs works as they say: the OpenAPI document's hand-off example is a
complete sale (its receipt example promises no warnings; certification's handoff-complete asks for
every field), and the example DMS of the certification guide is runnable on its own."""
from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from centralisateur.openapi_rules import HANDOFF_EXAMPLE, RECEIPT_EXAMPLE
from spoticar_handoff.models import HandoffIn
from spoticar_handoff.warnings import handoff_warnings

ROOT = Path(__file__).resolve().parents[1]


def test_the_openapi_handoff_example_is_a_complete_sale():
    HandoffIn.model_validate(HANDOFF_EXAMPLE)
    delivered = dt.date.fromisoformat(HANDOFF_EXAMPLE["sale"]["delivery_date"])
    assert handoff_warnings(HANDOFF_EXAMPLE, today=delivered) == []
    assert RECEIPT_EXAMPLE["warnings"] == []


def test_the_example_dms_says_how_to_run_it():
    shown = subprocess.run([sys.executable, "-I", str(ROOT / "examples" / "vendor_dms.py"), "--help"],
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    for option in ("--session", "--key", "--listen", "--fault"):
        assert option in shown.stdout


def test_the_example_dms_reads_a_form_as_a_browser_submits_it():
    from certification.drivers.browser import forms
    from examples.vendor_dms import _Forms
    from tests.certification.test_browser_forms import PAGE

    parser = _Forms()
    parser.feed(PAGE)
    fields, offered = _Forms.values(parser.forms[1])
    sent: dict = {}
    for name, value in fields:
        sent[name] = [*sent[name], value] if name in sent else value
    expected = forms(PAGE)[1]
    assert sent == {**expected.values, "consent": "email"}   # one box ticked: one value
    assert offered["level"] == expected.selects["level"]
    assert [b["text"].strip() for b in parser.forms[1]["buttons"]] == expected.buttons
