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
    """Other dealers' customers sharing what many people share with this one — a namesake (same last
    name), someone born the same day, and the country, city, civility… for both —: their exchanges
    stay. The last name alone, or the birth date alone, took them."""
    mine = factory.handoff()
    me = mine["customer"]
    others = []
    for same in ("last_name", "birth_date"):
        alike = factory.customer(**{key: me[key] for key in (*SHARED, same) if key != "first_name"})
        # nothing else of this person's: another first name, birth date or last name, address
        # (names no text of this customer's holds: the erasure looks for texts inside texts)
        alike.update(first_name="Zénobie", address="3 impasse des Tilleuls")
        if same == "last_name":
            alike["birth_date"] = "1950-01-0" + ("2" if me.get("birth_date") == "1950-01-01" else "1")
        else:
            alike["last_name"] = "QWERTZOVIC"
        others.append(factory.handoff(rrdi="FR10350", source_dms="pvo2", customer=alike))  # another dealer's
    with api_client(stack) as api:
        erased_bdc = api.post("/api/v1/handoffs", json=mine).json()["bdc_number"]
    with api_client(stack, "pvo2") as api:
        kept_bdcs = [api.post("/api/v1/handoffs", json=other).json()["bdc_number"] for other in others]
    kept = {bdc: _bdc_entries(stack, bdc) for bdc in kept_bdcs}
    assert _bdc_entries(stack, erased_bdc)

    browser = login(stack, "953617Z")
    found = browser.get("/rgpd", params={"recherche": mine["customer"]["email"]})
    ids = re.findall(r'name="declaration" value="(\d+)"', found.text)
    assert len(ids) == 1
    done = browser.post("/rgpd/effacer", data={"csrf_token": CSRF_RE.search(found.text).group(1),
                                               "declaration": ids, "confirmation": "oui"})
    assert "Données personnelles effacées pour 1 déclaration(s)" in done.text

    assert {bdc: [e["id"] for e in journal(stack, "centralisateur", bdc=bdc)] for bdc in kept_bdcs} == kept
    assert journal(stack, "centralisateur", bdc=erased_bdc) == []  # the declaration's own exchanges, all
    everything = str(journal(stack, "centralisateur", limit="5000"))
    for key in ("email", "mobile"):
        assert me[key] not in everything, key
    assert all(other["customer"]["email"] in everything for other in others)


def test_a_customer_named_like_everything_erases_their_own_exchanges_only(stack, factory):
    """A dealer's customer whose data reads like what every exchange holds — last name « Handoffs », first
    name « Api », an e-mail « api » and a phone « 1 » sent as typed (warnings) — or is inside another
    name (« Martin » in « Martinez »): the erasure takes this declaration's exchanges and no other
    dealer's hand-off. Looked for as bare text, « Handoffs » took every hand-off of the journal."""
    mine = factory.handoff()
    mine["customer"].update(last_name="Handoffs", first_name="Api", email="api", phone="1", mobile=None)
    martin = factory.handoff()
    martin["customer"].update(last_name="Martin")
    others = [factory.handoff(rrdi=rrdi, source_dms=dms, customer=factory.customer(last_name="Martinez"))
              for dms, rrdi in (("pvo2", "FR10350"), ("bee2link", "020319L"), ("neovo", "038421N"))]
    with api_client(stack) as api:
        erased = [api.post("/api/v1/handoffs", json=body).json()["bdc_number"] for body in (mine, martin)]
    kept = []
    for other in others:
        with api_client(stack, other["source_dms"]) as api:
            kept.append(api.post("/api/v1/handoffs", json=other).json()["bdc_number"])
    before = {bdc: _bdc_entries(stack, bdc) for bdc in kept}
    for bdc in erased:
        assert _bdc_entries(stack, bdc)

    browser = login(stack, "953617Z")
    for wanted in ("Handoffs", martin["customer"]["email"]):
        found = browser.get("/rgpd", params={"recherche": wanted})
        ids = re.findall(r'name="declaration" value="(\d+)"', found.text)
        assert len(ids) == 1, wanted
        done = browser.post("/rgpd/effacer", data={"csrf_token": CSRF_RE.search(found.text).group(1),
                                                   "declaration": ids, "confirmation": "oui"})
        assert "Données personnelles effacées pour 1 déclaration(s)" in done.text

    assert {bdc: [e["id"] for e in journal(stack, "centralisateur", bdc=bdc)] for bdc in kept} == before
    assert all(journal(stack, "centralisateur", bdc=bdc) == [] for bdc in erased)
    assert "Martinez" in str(journal(stack, "centralisateur", limit="5000"))
