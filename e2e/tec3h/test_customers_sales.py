"""Gestion clients (a pro customer) and Gestion > Ventes (Imprimer the PDF, Modifier the order)."""
from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.pages.tec3h import CustomerFormPage, CustomersPage, OrderPage, SalesPage

pytestmark = pytest.mark.tec3h


def test_pro_customer_from_gestion_clients_needs_raison_sociale_and_no_birth_name(
        page: Page, tec3h_url, factory):
    company = factory.customer(pro=True)
    customers = CustomersPage(page, tec3h_url).open()
    customers.new_customer()
    form = CustomerFormPage(page)
    form.fill_customer(company, pro=True)
    form.company.fill("")
    form.birth_name.fill("MARTIN")
    form.save()
    expect(form.errors.get_by_role("listitem")).to_have_text([
        "Pour un client professionnel, laissez le champ Nom de naissance vide.",
        "Le champ Raison sociale est obligatoire."])
    expect(form.company).to_have_attribute("aria-invalid", "true")
    expect(form.email).to_have_value(company["email"])
    form.birth_name.fill("")
    form.company.fill(company["company_name"])
    form.save()
    customers.search(company["company_name"])
    row = customers.row(company["company_name"].upper())
    expect(row).to_contain_text("Professionnel")
    expect(row).to_contain_text(company["email"])


def test_ventes_prints_the_order_and_opens_it_for_modification(page: Page, tec3h_url, sold_vehicle):
    sales = SalesPage(page, tec3h_url).open()
    sales.search(sold_vehicle["plate"])
    expect(sales.row(sold_vehicle["number"])).to_contain_text(sold_vehicle["customer"]["last_name"].upper())
    href = sales.print_link(sold_vehicle["number"]).get_attribute("href")
    response = page.request.get(tec3h_url + href)
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert f"BON DE COMMANDE N° {sold_vehicle['number']}" in text and sold_vehicle["plate"] in text
    sales.modify(sold_vehicle["number"])
    order = OrderPage(page)
    expect(order.heading).to_have_text(f"COMMANDE N° {sold_vehicle['number']}")
    order.make_order(sale_date="01/11/2021", delivery_date="05/11/2021", payment="Chèque")
    sales.open().search(sold_vehicle["plate"])
    expect(sales.row(sold_vehicle["number"])).to_contain_text("01/11/2021")
