"""The seed's offer buttons in a browser (seed 002): each one does what the deck shows, its result on
the page and kept — Réserver le véhicule, Envoi vers DS contact, Ajouter un véhicule à reprendre,
Client Modifiez, Co-titulaire Ajoutez, Envoyer (the mail in PVO2's outbox), Supprimer le véhicule, and
on the bon de commande Renseigner le statut atelier."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.pages.outbox import OutboxPage
from e2e.pages.pvo2 import NewOfferPage, OfferPage, OffersPage, OrderPage
from e2e.pages.pvo2_offer import PersonFormPage, TradeInPage

pytestmark = pytest.mark.pvo2


def _offer(page: Page, pvo2_url: str, factory, stock_vehicle) -> tuple[OfferPage, dict, str]:
    customer, plate = factory.customer(), stock_vehicle()["plate"]
    OffersPage(page, pvo2_url).open().create_offer()
    NewOfferPage(page, pvo2_url).create(customer, plate)
    offer = OfferPage(page, pvo2_url)
    expect(offer.heading).to_be_visible()
    return offer, customer, plate


def test_reserve_ds_contact_and_trade_in_show_on_the_offer(page: Page, pvo2_url, factory, stock_vehicle):
    offer, _, plate = _offer(page, pvo2_url, factory, stock_vehicle)
    number = offer.number()
    offer.reserve()
    expect(offer.messages).to_have_text(f"Véhicule {plate} réservé pour l'offre n°{number}.")
    expect(offer.sale.get_by_text(re.compile(rf"^Véhicule réservé pour l'offre n°{number} depuis le "))) \
        .to_be_visible()
    expect(offer.unreserve_button).to_be_visible()
    offer.send_to_ds_contact()
    expect(offer.messages).to_have_text(f"Véhicule {plate} envoyé vers DS contact.")
    expect(offer.sale.get_by_text(re.compile(r"^Envoyé vers DS contact le [0-9]{2}/[0-9]{2}/[0-9]{4}$"))) \
        .to_be_visible()
    offer.add_trade_in()
    trade_in = TradeInPage(page)
    trade_in.add("AB-123-CD", "Peugeot", "208", "85 000", "abc")
    expect(trade_in.errors).to_contain_text("Valeur de reprise")
    expect(trade_in.plate).to_have_value("AB-123-CD")
    trade_in.value.fill("4 000")
    trade_in.submit.click()
    expect(offer.messages).to_have_text("Véhicule à reprendre AB-123-CD ajouté.")
    expect(offer.trade_ins.get_by_role("listitem")).to_have_text(
        "Peugeot 208 — AB-123-CD — 85 000 km — Valeur de reprise 4 000,00 €")
    expect(offer.recap.get_by_role("row", name=re.compile("^Reprise"))).to_contain_text("- 4 000,00 €")


def test_customer_co_holder_and_envoyer_by_mail(page: Page, pvo2_url, factory, stock_vehicle):
    offer, customer, plate = _offer(page, pvo2_url, factory, stock_vehicle)
    number = offer.number()
    offer.edit_customer()
    form = PersonFormPage(page)
    expect(form.last_name).to_have_value(customer["last_name"])
    form.email.fill("pas-un-email")
    form.save()
    expect(form.errors).to_contain_text("Email")
    email = factory.customer()["email"]
    form.email.fill(email)
    form.save()
    expect(offer.messages).to_have_text("Client enregistré.")
    expect(offer.customer).to_contain_text(email)
    co_holder = factory.customer()
    offer.add_co_holder()
    form.fill_person(co_holder)
    form.save()
    expect(offer.customer.get_by_text(f"Mme {co_holder['first_name']} {co_holder['last_name']}")).to_be_visible()
    offer.send()
    expect(offer.messages).to_have_text(f"Offre n°{number} envoyée par email à {email}.")
    outbox = OutboxPage(page, pvo2_url).open(to=email)
    mail = outbox.mail(f"Votre offre n°{number}")
    expect(mail).to_contain_text(plate)
    expect(outbox.attachment(mail, f"offre-{number}.pdf")).to_be_visible()


def test_remove_the_vehicle_then_add_another_and_generate(page: Page, pvo2_url, factory, stock_vehicle):
    other = stock_vehicle()["plate"]  # in the stock before the offer's page lists it
    offer, _, plate = _offer(page, pvo2_url, factory, stock_vehicle)
    number = offer.number()
    offer.remove_vehicle()
    expect(offer.messages).to_have_text("Véhicule supprimé de l'offre : ajoutez le véhicule à vendre.")
    expect(offer.sale).to_contain_text("Aucun véhicule à vendre sur cette offre.")
    offer.generate_bdc()
    expect(offer.errors).to_have_text("Ajoutez d'abord un véhicule à vendre sur cette offre.")
    offer.add_vehicle(other)
    expect(offer.messages).to_have_text("Véhicule ajouté à l'offre.")
    expect(offer.sale).to_contain_text(other)
    offer.generate_bdc()
    order = OrderPage(page, pvo2_url)
    expect(order.heading).to_have_text(f"Commande N° {number}")
    order.set_workshop_status("En préparation")
    expect(order.messages).to_have_text("Statut atelier : En préparation.")
    expect(page.get_by_test_id("vehicle-workshop")).to_contain_text("Statut atelier : En préparation (le ")
