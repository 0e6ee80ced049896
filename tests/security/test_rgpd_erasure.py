"""An RGPD erasure takes one customer's exchanges out of the centralisateur's journal, and no one else's:
values every hand-off shares with many others (« France », the civility, the city and its postcode,
a first name) are not what it looks for — erasing one customer of one dealer deleted most of the
journal, other dealers' hand-offs included."""
from __future__ import annotations

import re
import time

import pytest

from tests.centralisateur.support import CSRF_RE, api_client, login
from tests.journal.support import journal

pytestmark = pytest.mark.centralisateur

SHARED = ("civility", "first_name", "postcode", "city", "birth_country", "nationality", "residence_country",
          "birth_place")


def _bdc_entries(stack, bdc: str) -> list[int]:
    """Ids of the journal's entries of the traces that carried ``bdc`` (once its hand-off is there)."""
    for _ in range(50):
        found = [e["id"] for e in journal(stack, "centralisateur", bdc=bdc)]
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"aucune entrée du journal pour {bdc}")


def test_erasing_a_customer_keeps_every_other_sales_exchanges(stack, factory):
    mine = factory.handoff()
    alike = factory.customer(**{key: mine["customer"][key] for key in SHARED})
    other = factory.handoff(rrdi="FR10350", source_dms="pvo2", customer=alike)  # another dealer's sale
    with api_client(stack) as api:
        erased_bdc = api.post("/api/v1/handoffs", json=mine).json()["bdc_number"]
    with api_client(stack, "pvo2") as api:
        kept_bdc = api.post("/api/v1/handoffs", json=other).json()["bdc_number"]
    kept = _bdc_entries(stack, kept_bdc)
    assert _bdc_entries(stack, erased_bdc)

    browser = login(stack, "953617Z")
    found = browser.get("/rgpd", params={"recherche": mine["customer"]["email"]})
    ids = re.findall(r'name="declaration" value="(\d+)"', found.text)
    assert len(ids) == 1
    done = browser.post("/rgpd/effacer", data={"csrf_token": CSRF_RE.search(found.text).group(1),
                                               "declaration": ids, "confirmation": "oui"})
    assert "Données personnelles effacées pour 1 déclaration(s)" in done.text

    assert [e["id"] for e in journal(stack, "centralisateur", bdc=kept_bdc)] == kept
    everything = str(journal(stack, "centralisateur", limit="5000"))
    for key in ("email", "mobile", "last_name"):
        assert mine["customer"][key] not in everything, key
    assert alike["email"] in everything
