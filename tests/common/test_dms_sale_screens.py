"""The sale screens Bee2link (« Saisie d'une vente VO ») and NeoVO (« Nouveau dossier de vente »)
share: a sale typed in is what the hand-off sends (état civil, consent, origin, label included), bad
input gets French messages with the typed values kept, a correction reaches the next hand-off, a
declared sale no longer changes."""
from __future__ import annotations

import re

import pytest

from simulators import bee2link, neovo
from spoticar_handoff import HandoffIn
from common.keys import demo_dms_keys
from tests.dms_helpers import CHROME_UA, csrf_token, seeded_app, signed_callback, text
from tests.fake_centralisateur import FakeCentralisateur

SCREENS = {  # app module, new-sale page, its button, where the handle is, correction page, declare
    "bee2link": (bee2link, "/vo/ventes/nouvelle", r"/vo/vehicules/(\d+)/livraison", "/vo/vehicules/{}/vente",
                 "/vo/vehicules/{}/services-externes", "/vo/vehicules/{}/declaration-spoticar"),
    "neovo": (neovo, "/dossiers/nouveau", r"/dossiers/(V\d+)", "/dossiers/{}/vente", "/dossiers/{}",
              "/dossiers/{}/garantir"),
}
SALE = {"plate": "GF-474-AR", "vin": "ZARPAHJX0N7474747", "brand": "ALFA ROMEO", "model": "GIULIA",
        "version": "2.2 160 CH AT8 SPRINT", "energy": "DIESEL", "first_registration": "18/01/2022",
        "din_power": "160", "fiscal_power": "9", "kw_power": "118", "mileage_km": "35 500", "usage": "particulier",
        "ptac_kg": "2030", "civility": "M", "last_name": "Dupond", "first_name": "Jean", "birth_name": "",
        "birth_date": "17/05/1960", "birth_place": "Tours", "birth_country": "France", "nationality": "France",
        "residence_country": "France", "email": "jean.dupond@example.fr", "phone": "0102030405",
        "mobile": "0607080910", "address": "Rue Spoticar", "postcode": "75010", "city": "PARIS",
        "consent": ["email", "sms"], "seller": "Hakim AB", "sale_date": "02/11/2026",
        "delivery_date": "03/11/2026", "price_ttc": "21 500,00", "origin": "Achat marchand",
        "warranty_level": "Alfa Romeo Certified 24 mois"}


@pytest.fixture(params=sorted(SCREENS))
def screen(request, tmp_path):
    module, *paths = SCREENS[request.param]
    cds = FakeCentralisateur()
    with seeded_app(module, tmp_path, cds.transport, f"http://{request.param}.test") as app:
        client = app.test_client()
        client.environ_base["HTTP_USER_AGENT"] = CHROME_UA
        yield client, cds, paths, request.param


def _post(client, path, values):
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={**values, "csrf_token": token})


def _enter(client, paths, values=SALE) -> str:
    new, handle_re, *_ = paths
    answer = _post(client, new, values)
    assert answer.status_code == 303, text(answer)
    return re.search(handle_re, answer.headers["Location"]).group(1)


def _declare(client, paths, handle):
    *_, page, declare = paths
    token = csrf_token(client.get(page.format(handle)).get_data(as_text=True))
    return client.post(declare.format(handle), data={"csrf_token": token})


def test_a_sale_typed_in_is_what_the_handoff_sends(screen):
    client, cds, paths, _name = screen
    handle = _enter(client, paths)
    assert _declare(client, paths, handle).status_code == 303
    sent = HandoffIn.model_validate(cds.handoffs[-1])
    assert (sent.vehicle.vin, sent.vehicle.mileage_km, sent.vehicle.ptac_kg) == ("ZARPAHJX0N7474747", 35500, 2030)
    assert (sent.warranty.label, sent.warranty.duration_months) == ("ALFA ROMEO CERTIFIED", 24)
    assert (sent.sale.origin, str(sent.sale.price_ttc), sent.sale.delivery_date.isoformat()) == (
        "Achat marchand", "21500.00", "2026-11-03")
    c = sent.customer
    assert (c.birth_date.isoformat(), c.birth_place, c.birth_country, c.nationality) == ("1960-05-17", "Tours",
                                                                                        "France", "France")
    assert sorted(c.consent) == ["email", "sms"]


def test_bad_input_is_refused_in_french_with_the_values_kept(screen):
    client, cds, paths, _name = screen
    bad = {**SALE, "vin": "ZARPAHJX0N747", "ptac_kg": "trois tonnes", "delivery_date": "01/11/2026",
           "last_name": "<b>Dupond</b>"}
    answer = _post(client, paths[0], bad)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'role="alert"' in page
    assert "VIN" in text(answer) and "PTAC (kg)" in text(answer)
    assert 'value="trois tonnes"' in page and "&lt;b&gt;Dupond&lt;/b&gt;" in page and "<b>Dupond</b>" not in page
    answer = _post(client, paths[0], {**SALE, "delivery_date": "01/11/2026"})
    assert "La date de livraison ne peut pas précéder la date de vente." in text(answer)
    assert cds.handoffs == []


def test_a_correction_reaches_the_next_handoff_until_the_sale_is_declared(screen):
    client, cds, paths, name = screen
    handle = _enter(client, paths)
    _declare(client, paths, handle)
    answer = _post(client, paths[2].format(handle), {**SALE, "mileage_km": "35 522"})
    assert answer.status_code == 303
    _declare(client, paths, handle)
    first, second = cds.handoffs[-2:]
    assert (first["dms_order_ref"], second["vehicle"]["mileage_km"]) == (second["dms_order_ref"], 35522)
    declared = cds.declare(second_bdc := list(cds.states)[-1], "22612000009")
    assert signed_callback(client, declared, demo_dms_keys()[name]).status_code == 200, second_bdc
    refused = _post(client, paths[2].format(handle), {**SALE, "mileage_km": "40 000"})
    assert refused.status_code == 409 and "déclarée" in text(refused)
