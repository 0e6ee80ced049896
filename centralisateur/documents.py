"""The two documents of the confirmation page (seed 001): relevé d'information and certificat."""
from __future__ import annotations

import datetime as dt

from centralisateur.profile import GARANTISSEUR_NAMES
from centralisateur.store import Dealer, Declaration
from common.dates import fr_date
from common.pdf import sectioned_pdf
from fixtures import reference

CIVILITIES = {"M": "M.", "MME": "Mme"}
ENERGY_BOXES = (("essence", ("ESSENCE", "E85", "GPL", "GNV")), ("diesel", ("DIESEL",)),
                ("hybride", ("HYBRIDE", "HYBRIDE RECHARGEABLE")), ("électrique", ("ELECTRIQUE", "HYDROGENE")))


def _d(value: str | None) -> str:
    return fr_date(dt.date.fromisoformat(value)) if value else ""


def _box(checked: bool, text: str) -> str:
    return f"[{'X' if checked else ' '}] {text}"


def _dealer_section(dealer: Dealer):
    return ("DISTRIBUTEUR VENDEUR DU VEHICULE", [
        ("Société", dealer.name), ("Code RRDI", dealer.rrdi), ("Adresse", dealer.address),
        ("Complément d'adresse", ""), ("Code postal", dealer.postcode), ("Ville", dealer.city),
        ("Téléphone", dealer.phone), ("Email", dealer.email)])


def _customer_section(form: dict):
    civility = "   ".join(_box(form.get("civility") == c, t) for c, t in CIVILITIES.items())
    return ("VOS COORDONNÉES (BÉNÉFICIAIRE)", [
        ("Civilité", civility), ("Nom Prénom", f"{form['last_name'].upper()} {form['first_name']}"),
        ("Date de naissance", _d(form.get("birth_date"))), ("Lieu de naissance", form.get("birth_place")),
        ("Nationalité", form.get("nationality")), ("Société", form.get("company_name") or ""),
        ("N° Siret", form.get("siret") or ""), ("Adresse", form.get("address")),
        ("Complément d'adresse", " ".join(x for x in (form.get("address2"), form.get("address3")) if x)),
        ("Code postal", form.get("postcode")), ("Ville", form.get("city")),
        ("Téléphone", form.get("phone") or form.get("mobile") or ""), ("Email", form.get("email") or "")])


def _vehicle_section(form: dict):
    energy = "  ".join(_box(form.get("energy") in values, name) for name, values in ENERGY_BOXES)
    kind = "   ".join(_box(form.get("kind") == k, k) for k in ("VP", "VU"))
    version = form.get("version") or ""
    if form.get("displacement_cc"):
        version = f"{version} / {form['displacement_cc']}"
    return ("VÉHICULE D'OCCASION GARANTI", [
        ("Marque", form.get("brand")), ("Modèle", form.get("model")), ("Version/Cylindrée", version),
        ("Genre", kind), ("Energie", energy), ("N° de série (17 caractères)", form.get("vin")),
        ("Immatriculation", form.get("plate")), ("Puissance", f"{form.get('din_power')} ch DIN"),
        ("1ère mise en circulation", _d(form.get("first_registration"))),
        ("Km à la livraison", form.get("mileage_km"))])


def _warranty_section(declaration: Declaration):
    form = declaration.form
    return ("GARANTIE", [
        ("Garantisseur", GARANTISSEUR_NAMES.get(declaration.garantisseur, "")),
        ("Garantie", form.get("product")), ("Durée", f"{form.get('duration_months')} mois"),
        ("Date début de garantie", _d(form.get("start_date"))),
        ("Date fin de garantie", _d(form.get("end_date"))),
        ("Produit fidélisation", form.get("loyalty_product")),
        ("Numéro de bon de commande", declaration.bdc_number),
        ("Numéro de contrat", declaration.contract_number or "")])


def releve(declaration: Declaration, dealer: Dealer) -> bytes:
    form = declaration.form
    return sectioned_pdf(
        "GARANTIE COMMERCIALE SPOTICAR - RELEVÉ D'INFORMATION",
        [_dealer_section(dealer), _customer_section(form), _vehicle_section(form),
         _warranty_section(declaration)],
        subtitle="Relevé à glisser dans votre carnet de garantie",
        footer=["Les préconisations du constructeur doivent être scrupuleusement respectées sous peine de "
                "déchéance du contrat."])


INFORMATIONS = reference.load("certificat")


def certificat(declaration: Declaration, dealer: Dealer) -> bytes:
    form = declaration.form
    number = declaration.contract_number or declaration.bdc_number
    return sectioned_pdf(
        "CERTIFICAT DE SOUSCRIPTION",
        [("CONTRAT", [("Numéro de contrat", number), ("Numéro de bon de commande", declaration.bdc_number),
                      ("Garantisseur", GARANTISSEUR_NAMES.get(declaration.garantisseur, "")),
                      ("Garantie", form.get("product")), ("Durée", f"{form.get('duration_months')} mois"),
                      ("Du", _d(form.get("start_date"))), ("Au", _d(form.get("end_date")))]),
         _dealer_section(dealer), _customer_section(form), _vehicle_section(form)],
        subtitle=f"Garantie commerciale {declaration.program or ''} - à joindre au carnet de garantie et au "
                 "dossier VO",
        notes=(INFORMATIONS["informations_heading"], INFORMATIONS["informations"]),
        footer=["Assistance et gestionnaire : info@garantiestellantis.fr - 01 86 99 02 69"])
