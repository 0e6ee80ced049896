"""Stock list in a browser: plate search, Exporter (CSV) of the filtered list, the Version
autocomplete narrowing, and refusal of a version typed by hand."""
from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.tec3h import StockPage, VehicleFormPage

pytestmark = pytest.mark.tec3h


def test_plate_search_shows_the_vehicle_just_below(page: Page, tec3h_url):
    stock = StockPage(page, tec3h_url).open()
    stock.search_plate("dl342mp")
    expect(stock.rows).to_have_count(1)
    expect(stock.rows.first).to_contain_text("Peugeot 308 SW (2) 1.6 e-HDi 115 Féline")
    expect(stock.rows.first).to_contain_text("En cours de livraison")
    stock.open_vehicle("Peugeot 308 SW (2) 1.6 e-HDi 115 Féline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Peugeot 308 SW (2)")


def test_csv_export_holds_the_filtered_list(page: Page, tec3h_url):
    stock = StockPage(page, tec3h_url).open()
    stock.filter(make="Renault", per_page="10 par page")
    count = int(stock.count.inner_text().split()[0])
    download = stock.export_csv()
    assert download.suggested_filename == "stock-tec3h.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == count and all(r["Véhicule"].startswith("Renault ") for r in rows)
    clio = next(r for r in rows if r["Immatriculation"] == "FY-202-WD")
    assert clio["Véhicule"] == "Renault Clio (5) RS Line TCe 100 - 20" and clio["1ère MEC"] == "15/05/2020"
    assert clio["Km"] == "6500" and clio["CO2 (g/km)"] == "119" and clio["État"] == "Stock"


def test_colonnes_choice_shapes_the_table_and_the_csv(page: Page, tec3h_url):
    stock = StockPage(page, tec3h_url).open()
    stock.search_plate("FE-260-RZ")
    stock.choose_columns("Immatriculation", "Énergie")
    expect(stock.table.get_by_role("columnheader")).to_have_text(["Énergie", "Immatriculation"])
    expect(stock.rows).to_have_text([re.compile(r"^\s*Diesel\s+FE-260-RZ\s*$")])
    text = open(stock.export_csv().path(), encoding="utf-8-sig").read()
    assert text.splitlines() == ["Énergie;Immatriculation", "Diesel;FE-260-RZ"]


def test_paging_moves_to_the_next_ten(page: Page, tec3h_url):
    stock = StockPage(page, tec3h_url).open()
    expect(stock.rows).to_have_count(10)
    first = stock.rows.first.inner_text()
    stock.next_page.click()
    expect(page.get_by_text("Page 2 /")).to_be_visible()
    expect(stock.rows.first).not_to_have_text(first)


def test_version_autocomplete_narrows_with_words_in_any_order(page: Page, tec3h_url):
    form = VehicleFormPage(page, tec3h_url).open()
    form.fill_technical("Peugeot", "Diesel", "10/10/2018", "2018")
    form.choose_model("308", "308 (2)")
    form.type_version("")
    form.version.focus()
    expect(form.version_options.first).to_be_visible()
    everything = form.version_options.count()
    form.type_version("130 allure")
    expect(form.version_options).to_have_count(3)
    assert everything > 3
    for text in form.version_options.all_inner_texts():
        assert "130" in text and "allure" in text.lower() and "Diesel" in text
    form.type_version("allure 130")
    expect(form.version_options).to_have_count(3)
    form.type_version("130 allure introuvable")
    expect(form.version_options).to_have_count(0)
    expect(page.get_by_text("Aucune proposition du référentiel")).to_be_visible()


def test_version_typed_by_hand_is_refused_and_nothing_is_filled(page: Page, tec3h_url, factory):
    form = VehicleFormPage(page, tec3h_url).open()
    form.fill_technical("Peugeot", "Diesel", "10/10/2018", "2018")
    form.choose_model("308", "308 (2)")
    form.type_version("130 allure maison")
    form.version.press("Escape")
    expect(form.equivalence).to_have_value("")
    plate = factory.plate()
    form.fill_details(plate, factory.vin(), "45000", "17500")
    form.save()
    expect(form.errors).to_contain_text("Choisissez une version proposée par le référentiel")
    expect(form.version).to_have_attribute("aria-invalid", "true")
    expect(form.plate).to_have_value(plate)
    stock = StockPage(page, form.base_url).open()
    stock.search_plate(plate)
    expect(stock.rows).to_have_text(["Aucun véhicule ne correspond à votre recherche."])
