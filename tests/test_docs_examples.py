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
