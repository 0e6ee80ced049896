"""Stock list (plate search, filters, paging, sort), Exporter (CSV), autocomplete API, vehicle creation."""
from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from simulators.tec3h.listing import csv_cell
from simulators.tec3h.store import Vehicle
from tests.tec3h.conftest import vehicle_id

pytestmark = pytest.mark.tec3h


def _plates(html: str) -> list[str]:
    return re.findall(r"<td>([A-Z]{2}-[0-9]{3}-[A-Z]{2})</td>", html)


def _csv(response) -> list[dict]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def _count(app) -> int:
    with app.app_context():
        return app.extensions["db"].session.scalar(select(func.count()).select_from(Vehicle))


def test_plate_search_finds_the_vehicle_whatever_the_typing(client):
    for typed in ("DL-342-MP", "dl342mp", "dl 342"):
        html = client.get("/stock", query_string={"q": typed}).data.decode()
        assert _plates(html) == ["DL-342-MP"], typed
        assert "Peugeot 308 SW (2) 1.6 e-HDi 115 Féline" in html
    assert "Aucun véhicule ne correspond" in client.get("/stock?q=ZZ-999-ZZ").data.decode()


def test_seed_columns_and_vehicles_are_listed(client):
    html = client.get("/stock", query_string={"q": "FE-260-RZ"}).data.decode()
    for column in ("Photo", "Référence", "Véhicule", "Transmission", "Immatriculation", "1ère MEC", "Km",
                   "CO²", "État"):
        assert f"<th>{column}</th>" in html
    for cell in ("553528", "Peugeot 308 (2) BlueHDi 130 EAT6 S&amp;S ALLURE", "Automatique", "19/11/2019",
                 "25 000 km", "99 g/km", "Stock"):
        assert cell in html


def test_paging_and_sort_by_km(client, app):
    total = _count(app)
    first = _plates(client.get("/stock?tri=km&par_page=10").data.decode())
    second = _plates(client.get("/stock?tri=km&par_page=10&page=2").data.decode())
    assert len(first) == 10 and second and not set(first) & set(second)
    html = client.get("/stock?tri=km&par_page=50").data.decode()
    km = [int(k.replace(" ", "")) for k in re.findall(r"<td>([0-9 ]+) km</td>", html)]
    assert km == sorted(km) and len(km) == total
    assert f"Page 1 / {(total + 9) // 10}" in client.get("/stock").data.decode()
    refused = client.get("/stock?page=abc&par_page=7&km_max=-1")
    assert refused.status_code == 400 and "Paramètre « km_max »" in refused.data.decode()


def test_filters_combine(client):
    html = client.get("/stock", query_string={"marque": "Renault", "km_max": "10000"}).data.decode()
    assert "FY-202-WD" in _plates(html)
    rows = re.findall(r'<a href="/vehicules/\d+">([^<]+)</a>', html)
    assert rows and all(r.startswith("Renault") for r in rows)


def test_csv_export_holds_every_row_of_the_filtered_list(client):
    rows = _csv(client.get("/stock/export.csv", query_string={"marque": "Peugeot", "par_page": 10, "page": 2}))
    listed = _plates(client.get("/stock?marque=Peugeot&par_page=50").data.decode())
    assert [r["Immatriculation"] for r in rows] == listed  # all pages, same order
    assert all(r["Véhicule"].startswith("Peugeot ") for r in rows)
    dl = next(r for r in rows if r["Immatriculation"] == "DL-342-MP")
    assert dl == {"Référence": "610087", "Véhicule": "Peugeot 308 SW (2) 1.6 e-HDi 115 Féline",
                  "Transmission": "Manuelle", "Immatriculation": "DL-342-MP",
                  "1ère MEC": "10/11/2014", "Km": "190000", "CO2 (g/km)": "100", "PV TTC": "10000,00",
                  "État": "En cours de livraison"}
    response = client.get("/stock/export.csv?q=FY-202-WD")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert [r["Immatriculation"] for r in _csv(response)] == ["FY-202-WD"]


def test_colonnes_choose_what_the_list_and_the_csv_show(client):
    query = {"q": "FE-260-RZ", "col": ["immatriculation", "energie", "vin"]}
    html = client.get("/stock", query_string=query).data.decode()
    assert re.findall(r"<th>([^<]+)</th>", html) == ["Énergie", "Immatriculation", "VIN"]
    assert "<td>VF3LBYHZRKS553528</td>" in html and "<th>Km</th>" not in html
    assert "col=energie" in html  # paging and CSV links keep the choice
    rows = _csv(client.get("/stock/export.csv", query_string=query))
    assert rows == [{"Énergie": "Diesel", "Immatriculation": "FE-260-RZ", "VIN": "VF3LBYHZRKS553528"}]
    default = client.get("/stock", query_string={"col": ["inconnue"]}).data.decode()
    assert "<th>Photo</th>" in default and "<th>État</th>" in default


def test_csv_cells_never_start_a_formula():
    assert csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert csv_cell("+33") == "'+33" and csv_cell("DL-342-MP") == "DL-342-MP" and csv_cell(None) == ""


def test_autocomplete_api_narrows_and_explains(client):
    base = {"marque": "Peugeot", "modele": "308 (2)", "mec": "10/10/2018"}
    full = client.get("/referentiel/versions", query_string=base).json["versions"]
    narrowed = client.get("/referentiel/versions", query_string={**base, "q": "130 allure"}).json["versions"]
    assert len(narrowed) < len(full)
    assert all("130" in v["label"] and "allure" in v["label"].lower() for v in narrowed)
    assert all(v["equivalence"] for v in narrowed)
    missing = client.get("/referentiel/versions", query_string={**base, "mec": "31/02/2018"}).json
    assert missing["versions"] == [] and "Mise en circulation" in missing["message"]
    assert client.get("/referentiel/modeles?marque=renault&mec=15/05/2020&q=cli").json == {"models": ["Clio (5)"]}


def _new_vehicle(**overrides) -> dict:
    data = {"marque": "Peugeot", "energie": "Diesel", "mec": "10/10/2018", "annee_modele": "2018",
            "modele": "308 (2)", "version": "1.5 BlueHDi 130 S&S EAT8 Allure", "version_id": "J00010",
            "immatriculation": "gh-456-jk", "vin": "VF3LBYHZRKS000123", "km": "45000", "prix": "17500"}
    data.update(overrides)
    return data


def test_vehicle_created_from_the_referential_gets_equivalence_and_technical_data(client, app):
    response = client.post("/vehicules/nouveau", data=_new_vehicle())
    assert response.status_code == 302
    with app.app_context():
        v = app.extensions["db"].session.get(Vehicle, vehicle_id(app, "GH-456-JK"))
        assert (v.version, v.equivalence, v.din_power, v.gearbox) == (
            "1.5 BlueHDi 130 S&S EAT8 Allure", "PE30800010", 130, "Automatique")
    assert "GH-456-JK" in client.get(response.headers["Location"]).data.decode()


@pytest.mark.parametrize("overrides, field_message", [
    ({"version": "130 allure maison", "version_id": ""}, "Choisissez une version proposée par le référentiel"),
    ({"version_id": "J00006", "version": "1.6 e-HDi 115 Active"}, "Choisissez une version proposée"),
    ({"modele": "308 GTi saisie libre"}, "Choisissez un modèle proposé par le référentiel"),
    ({"energie": "Essence"}, "L'énergie de cette version est Diesel."),
    ({"marque": "", "mec": "", "annee_modele": ""}, "Le champ Marque est obligatoire."),
    ({"mec": "32/13/2018"}, "Le champ Mise en circulation doit être une date valide au format JJ/MM/AAAA."),
    ({"immatriculation": "DL-342-MP"}, "Un véhicule immatriculé DL-342-MP est déjà en stock."),
    ({"vin": "TROPCOURT"}, "Le VIN doit comporter exactement 17 caractères"),
    ({"nombre_cles": "deux"}, "Nombre de clés"),
    ({"nombre_cles": "-1"}, "Nombre de clés"),
])
def test_vehicle_creation_refuses_manual_or_invalid_input(client, app, overrides, field_message):
    before = _count(app)
    response = client.post("/vehicules/nouveau", data=_new_vehicle(**overrides))
    html = response.data.decode()
    assert response.status_code == 422
    assert field_message.replace("'", "&#39;") in html
    assert 'aria-invalid="true"' in html
    assert 'value="45000"' in html  # what was typed is kept
    assert _count(app) == before


def test_version_typed_exactly_is_accepted_without_javascript(client, app):
    typed = _new_vehicle(version_id="", version="1.5 bluehdi 130 s&s eat8 allure")
    response = client.post("/vehicules/nouveau", data=typed)
    assert response.status_code == 302


def test_search_text_is_escaped_and_bad_dates_never_fail(client):
    html = client.get("/stock", query_string={"q": '"><script>alert(1)</script>'}).data.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert client.get("/referentiel/versions?marque=Peugeot&modele=308+(2)&mec=00/00/0000").status_code == 200
    assert client.get("/referentiel/modeles?marque=<x>&mec=zz").json == {"models": []}


def test_vehicle_card_shows_doors_seats_category_and_catalogue_price(client, app):
    # the seed's Peugeot 308 SW (2) card: 5 portes, 5 places, Break, Prix catalogue 29 900,00 €
    card = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/vehicules/{vehicle_id(app, 'DL-342-MP')}")
                           .data.decode()).split())
    for shown in ("Nombre de portes 5", "Nombre de places 5", "Catégorie Break",
                  "Prix catalogue 29 900,00 €", "Prix options 0,00 €"):
        assert shown in card


def _card(client, app, plate: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/vehicules/{vehicle_id(app, plate)}").data.decode()).split())


def test_vehicle_card_shows_the_seed_colours_keys_nedc_and_equipment(client, app):
    # the seed's card of DL-342-MP: Couleur Marron, Couleur commerciale Noir, Nombre de clés 2, NEDC block
    card = _card(client, app, "DL-342-MP")
    for shown in ("Première main Non", "Couleur Marron", "Couleur commerciale Noir",
                  "Nombre de clés 2", "Mixte 3.8 l/100 km", "Urbain 4.4 l/100 km", "Extra urbain 3.5 l/100 km",
                  "Mixte (km/l) 26.3 km/l", "Autonomie 1395 km", "CO₂ mixte 100 g/km",
                  "Équipements de série Accoudoir central AR", "Smart card / Smart key"):
        assert shown in card, shown


def test_an_electric_vehicle_card_has_no_nedc_consumption(client, app):
    response = client.post("/vehicules/nouveau", data=_new_vehicle(
        marque="Peugeot", energie="Électrique", mec="10/10/2020", annee_modele="2020", modele="208 (2)",
        version="Électrique 136 ch Allure", version_id="J00005", vin="VF3UAHNS0LW000136",
        immatriculation="EV-136-AL"))
    assert response.status_code == 302
    card = _card(client, app, "EV-136-AL")
    assert "Nombre de portes 5" in card and "NEDC" not in card and "l/100 km" not in card


def test_colours_keys_and_first_hand_typed_at_creation_show_on_the_card(client, app):
    response = client.post("/vehicules/nouveau", data=_new_vehicle(
        couleur_interieure="Tissu Mistral", couleur_commerciale="Gris Artense", nombre_cles="1",
        premiere_main="oui"))
    assert response.status_code == 302
    card = _card(client, app, "GH-456-JK")
    for shown in ("Couleur intérieure Tissu Mistral", "Couleur commerciale Gris Artense", "Nombre de clés 1",
                  "Première main Oui"):
        assert shown in card, shown
