"""The seed's offer buttons that do something (seed 002): Réserver le véhicule, Envoi vers DS contact,
Supprimer le véhicule, Ajouter un véhicule à reprendre, Client Modifiez, Co-titulaire Ajoutez, Envoyer —
each result shown on the page and stored, bad input refused in French with what was typed kept."""
from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from simulators.pvo2.store import Order, Reservation, TradeIn, Vehicle, VehicleActivity, outbox
from tests.pvo2.conftest import make_pvo2, order
from tests.pvo2.conftest import text as raw_text

pytestmark = pytest.mark.pvo2

OFFER, BDC, DECLARED = 7414134, 7400056, 7414120  # the seed's offer (DS 3, CC-333-CC), a BDC, a closed BDC


def text(response) -> str:
    """The page as a user reads it (entities decoded)."""
    return html.unescape(raw_text(response))


def _rows(app, model, **where) -> list:
    with app.extensions["db"].transaction() as session:
        return list(session.scalars(select(model).filter_by(**where)))


def _new_offer(client, app, factory, plate: str) -> int:
    with app.extensions["db"].transaction() as session:
        vehicle_id = session.scalar(select(Vehicle.id).where(Vehicle.plate == plate))
    c = factory.customer()
    response = client.post("/offres/nouvelle", data={
        "civility": "M", "last_name": c["last_name"], "first_name": c["first_name"], "address": c["address"],
        "postcode": c["postcode"], "city": c["city"], "phone": "", "email": c["email"], "vehicle_id": vehicle_id})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_offer_page_has_no_disabled_seed_button(client):
    page = text(client.get(f"/offres/{OFFER}"))
    assert "disabled" not in page and "Non simulé" not in page
    for label in ("Réserver le véhicule", "Envoi vers DS contact", "Supprimer le véhicule",
                  "Ajouter un véhicule à reprendre", "Envoyer", "Modifiez", "Ajoutez"):
        assert label in page
    order_page = text(client.get(f"/livraisons/{BDC}"))
    assert "disabled" not in order_page and "Envoyer" in order_page and "Modifier" in order_page


def test_reserving_holds_the_vehicle_for_this_offer_only(client, app, factory):
    page = text(client.post(f"/offres/{OFFER}/reserver", follow_redirects=True))
    assert "Véhicule CC-333-CC réservé pour l'offre n°7414134." in page
    assert "Véhicule réservé pour l'offre n°7414134 depuis le" in page and "Annuler la réservation" in page
    [held] = _rows(app, Reservation)
    assert held.order_number == OFFER
    other = _new_offer(client, app, factory, "CC-333-CC")
    refused = client.post(f"/offres/{other}/reserver")
    assert refused.status_code == 409 and "réservé pour l'offre n°7414134" in text(refused)
    generate = client.post(f"/offres/{other}/bon-de-commande")
    assert generate.status_code == 422 and "annulez cette réservation" in text(generate)
    assert order(app, other).state == "offre"
    client.post(f"/offres/{OFFER}/reservation/annuler")
    assert _rows(app, Reservation) == []


def test_envoi_vers_ds_contact_is_recorded_in_the_vehicle_activity(client, app):
    page = text(client.post(f"/offres/{OFFER}/ds-contact", follow_redirects=True))
    assert "Véhicule CC-333-CC envoyé vers DS contact." in page and "Envoyé vers DS contact le" in page
    [sent] = _rows(app, VehicleActivity, kind="ds_contact")
    assert sent.text == "Envoyé vers DS contact (offre n°7414134)"
    bdc = client.post(f"/offres/{BDC}/ds-contact")
    assert bdc.headers["Location"].endswith(f"/livraisons/{BDC}")


def test_removing_the_vehicle_then_adding_another(client, app):
    page = text(client.post(f"/offres/{OFFER}/supprimer-vehicule", follow_redirects=True))
    assert "Aucun véhicule à vendre sur cette offre." in page and "Véhicule à vendre *" in page
    assert order(app, OFFER).vehicle_id is None
    assert "Vente : aucun véhicule" in text(client.get("/offres/"))
    refused = client.post(f"/offres/{OFFER}/bon-de-commande")
    assert refused.status_code == 422 and "Ajoutez d'abord un véhicule à vendre" in text(refused)
    printing = client.get(f"/imprimer/{OFFER}", follow_redirects=True)
    assert printing.request.path == f"/offres/{OFFER}" and "Ajoutez d'abord un véhicule à vendre" in text(printing)
    bad = client.post(f"/offres/{OFFER}/vehicule", data={"vehicle_id": "999999"})
    assert bad.status_code == 422 and "Véhicule : choisissez un véhicule du stock." in text(bad)
    vehicle_id = _rows(app, Vehicle, plate="CC-333-CC")[0].id
    client.post(f"/offres/{OFFER}/vehicule", data={"vehicle_id": str(vehicle_id)})
    assert order(app, OFFER).vehicle_id == vehicle_id


def test_an_offer_cancelled_without_its_vehicle_still_opens(client, app):
    """Supprimer le véhicule, then Annuler l'offre: the cancelled order is shown (no vehicle), never a 500."""
    client.post(f"/offres/{OFFER}/supprimer-vehicule")
    client.post(f"/offres/{OFFER}/annuler")
    assert order(app, OFFER).state == "annulee"
    page = client.get(f"/offres/{OFFER}", follow_redirects=True)
    assert page.status_code == 200 and "Aucun véhicule sur cette commande." in text(page)


def test_trade_in_is_listed_and_taken_off_what_is_left_to_pay(client, app):
    assert "Valeur de reprise (TTC) *" in text(client.get(f"/offres/{OFFER}/reprise"))
    bad = client.post(f"/offres/{OFFER}/reprise", data={"plate": "AB-123-CD", "brand": "Peugeot", "model": "208",
                                                         "first_registration": "", "mileage_km": "beaucoup",
                                                         "value_ttc": "4 000"})
    assert bad.status_code == 422 and "Kilométrage" in text(bad) and 'value="AB-123-CD"' in text(bad)
    assert _rows(app, TradeIn) == []
    page = text(client.post(f"/offres/{OFFER}/reprise", follow_redirects=True, data={
        "plate": "ab-123-cd", "brand": "Peugeot", "model": "208", "first_registration": "12/03/2018",
        "mileage_km": "85 000", "value_ttc": "4 000,00"}))
    assert "Peugeot 208 — AB-123-CD — 85 000 km — MEC 12/03/2018 — Valeur de reprise 4 000,00 €" in page
    assert "- 4 000,00 €" in page and "11 000,00 €" in page  # 15 000,00 € less the reprise
    [kept] = _rows(app, TradeIn)
    assert (kept.plate, kept.mileage_km, str(kept.value_ttc)) == ("AB-123-CD", 85000, "4000.00")


def test_client_modifiez_and_co_titulaire_ajoutez(client, app, factory):
    form = text(client.get(f"/offres/{OFFER}/client"))
    assert 'value="Dupont"' in form or 'value="DUPONT"' in form
    bad = client.post(f"/offres/{OFFER}/client", data={"civility": "M", "last_name": "Dupont", "first_name": "Stéphane",
                                                       "address": "70 Rue Du Général De Gaulle", "postcode": "7511",
                                                       "city": "Paris", "phone": "", "email": "stephane@example"})
    assert bad.status_code == 422 and "Code postal" in text(bad) and 'value="Stéphane"' in text(bad)
    client.post(f"/offres/{OFFER}/client", data={"civility": "M", "last_name": "Dupont", "first_name": "Stephane",
                                                 "address": "70 Rue Du Général De Gaulle", "postcode": "75116",
                                                 "city": "Paris", "phone": "06 00 00 00 00",
                                                 "email": "stephane.dupont@example.fr"})
    assert order(app, OFFER).customer.email == "stephane.dupont@example.fr"
    other = factory.customer()
    page = text(client.post(f"/offres/{OFFER}/co-titulaire", follow_redirects=True, data={
        "civility": "MME", "last_name": other["last_name"], "first_name": other["first_name"],
        "birth_date": "17/05/1980", "phone": ""}))
    assert f"Mme {other['first_name']} {other['last_name']}, née le 17/05/1980" in page
    assert order(app, OFFER).co_holder.last_name == other["last_name"]
    with app.extensions["db"].transaction() as session:  # as a declaration leaves it
        session.scalar(select(Order).where(Order.number == DECLARED)).bdc_number = "SPFR10350103833712"
    declared = client.post(f"/offres/{DECLARED}/co-titulaire", data={"civility": "M", "last_name": "X",
                                                                     "first_name": "Y"})
    assert declared.status_code == 409 and "ne peuvent plus être modifiés" in text(declared)
    assert order(app, DECLARED).co_holder is None


def test_envoyer_mails_the_offer_pdf_to_the_customer(client, app):
    refused = client.post(f"/offres/{OFFER}/envoyer")  # the seed's Stephane Dupont has no email
    assert refused.status_code == 422 and "le client n'a pas d'adresse email" in text(refused)
    client.post(f"/offres/{OFFER}/client", data={"civility": "M", "last_name": "Dupont", "first_name": "Stephane",
                                                 "address": "70 Rue Du Général De Gaulle", "postcode": "75116",
                                                 "city": "Paris", "phone": "", "email": "stephane.dupont@example.fr"})
    page = text(client.post(f"/offres/{OFFER}/envoyer", follow_redirects=True))
    assert "Offre n°7414134 envoyée par email à stephane.dupont@example.fr." in page
    mail = client.get("/outbox/mails.json", query_string={"to": "stephane.dupont@example.fr"}).get_json()["mails"][0]
    assert mail["subject"].startswith("Votre offre n°7414134") and "CC-333-CC" in mail["body"]
    [attachment] = mail["attachments"]
    pdf = client.get(attachment["url"].replace("http://pvo2.test", ""))
    assert "CC-333-CC" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    bdc = client.post(f"/offres/{DECLARED}/envoyer", follow_redirects=True)
    assert "Bon de commande n°7414120 envoyé par email à test2@example.fr." in text(bdc)


def test_the_offer_buttons_refuse_a_post_without_csrf_token(tmp_path):
    app = make_pvo2(tmp_path, {"centralisateur": "http://127.0.0.1:9", "icare": "http://127.0.0.1:9"}, csrf=True)
    try:
        client = app.test_client()
        for action in ("reserver", "ds-contact", "supprimer-vehicule", "envoyer", "co-titulaire", "reprise"):
            response = client.post(f"/offres/{OFFER}/{action}")
            assert response.status_code == 400 and "formulaire a expiré" in text(response)
        assert _rows(app, Reservation) == [] and order(app, OFFER).vehicle_id is not None
        with app.extensions["db"].transaction() as session:
            assert outbox.mails(session) == []
    finally:
        app.extensions["harness_stop"]()


def test_renseigner_le_statut_atelier_on_a_bon_de_commande(client, app):
    refused = client.post(f"/offres/{OFFER}/statut-atelier", data={"status": "Prêt à livrer"})
    assert refused.status_code == 409 and "se renseigne sur un bon de commande" in text(refused)
    bad = client.post(f"/offres/{BDC}/statut-atelier", data={"status": "Parti"})
    assert bad.status_code == 422 and "Statut atelier" in text(bad)
    page = text(client.post(f"/offres/{BDC}/statut-atelier", data={"status": "Prêt à livrer"},
                            follow_redirects=True))
    assert "Statut atelier : Prêt à livrer (le " in page
    [kept] = _rows(app, VehicleActivity, kind="atelier")
    assert kept.text == "Prêt à livrer"
    deliveries = " ".join(re.sub(r"<[^>]+>", " ", text(client.get("/livraisons/"))).split())
    assert "Renseigner le statut atelier (Prêt à livrer)" in deliveries


def test_comment_heading_carries_copier_and_ajouter_as_the_seed(client):
    client.post(f"/offres/{OFFER}/commentaire", data={"comment": "Client rappelle lundi"})
    page = " ".join(re.sub(r"<[^>]+>", " ", text(client.get(f"/offres/{OFFER}?copier=1"))).split())
    assert "Commentaire Copier... Ajouter Client rappelle lundi" in page
    assert ">Client rappelle lundi</textarea>" in text(client.get(f"/offres/{OFFER}?copier=1"))
