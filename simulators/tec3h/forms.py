"""The Tec3H forms on the common form layer: labels as on the screens (seed 001), the default
French wording, typed values kept on a refusal.

    form = CustomerForm()          # POST: reads request.form
    if form.validate(): ...        # form.values(): cleaned values; form.error_dict: {field: message}
"""
from __future__ import annotations

from common.forms import (CheckboxField, DateField, EmailField, Form, IntegerField, MoneyField,
                          PhoneField, PlateField, PostcodeField, RadioField, SelectField, SiretField,
                          TextField, VinField)
from fixtures import reference
from simulators.tec3h import referential

KINDS = {"particulier": "Particulier", "pro": "Professionnel"}
CIVILITIES = {"M": "Monsieur", "MME": "Madame"}
ORDER_STATUSES = ("Proposition", "Commande")


def _stock(key: str):
    """Options from the Tec3H reference data, read when the form is shown."""
    return lambda form: reference.load("tec3h_stock")[key]


def _particulier(form) -> bool:
    return form.type_client.data != "pro"


def _pro(form) -> bool:
    return form.type_client.data == "pro"


class TecForm(Form):
    class Meta:
        wording = "tec3h"
        required_mark = "star"


class CustomerForm(TecForm):
    """Gestion clients → Nouveau client: a particulier needs Civilité, Nom de naissance and Prénoms,
    a pro a Raison sociale."""

    type_client = SelectField("Type de client", required=True, choices=KINDS, blank=None)
    categorie = SelectField("Catégorie de client", choices=_stock("customer_categories"))
    origine = SelectField("Origine du contact", choices=_stock("contact_origins"))
    civilite = SelectField("Civilité", required=_particulier, star=True, choices=CIVILITIES)
    nom_naissance = TextField("Nom de naissance", required=_particulier, star=True, max_length=80)
    nom_usage = TextField("Nom d'usage", max_length=80)
    prenoms = TextField("Prénoms", required=_particulier, star=True, max_length=80)
    profession = TextField("Profession", max_length=80)
    date_naissance = DateField("Date de naissance", past=True)
    ville_naissance = TextField("Ville de naissance", max_length=80)
    departement_naissance = TextField("Département de naissance", max_length=40)
    pays_naissance = TextField("Pays de naissance", max_length=60)
    sexe = SelectField("Sexe", choices=(("M", "Masculin"), ("F", "Féminin")))
    raison_sociale = TextField("Raison sociale", required=_pro, star=True)
    siret = SiretField("N° Siret")
    tva = TextField("N° TVA", max_length=20)
    conducteur_principal = RadioField("Conducteur principal?", choices=(("oui", "Oui"), ("non", "Non")),
                                      default="oui")
    type_piece = SelectField("Type de pièce", choices=_stock("identity_documents"))
    numero_piece = TextField("N° de la pièce", max_length=30)
    date_piece = DateField("Date de délivrance", past=True)
    ville_piece = TextField("Ville d'obtention", max_length=80)
    numero_permis = TextField("N° du permis de conduire", max_length=30)
    categorie_permis = SelectField("Catégorie du permis", choices=_stock("licence_categories"))
    date_permis = DateField("Date de délivrance du permis", past=True)
    adresse = TextField("Adresse", required=True)
    adresse2 = TextField("Complément d'adresse")
    code_postal = PostcodeField("Code postal", required=True)
    ville = TextField("Ville", required=True, max_length=80)
    tel_fixe = PhoneField("Tel Fixe")
    tel_mobile = PhoneField("Tel Mobile")
    email = EmailField("Email")
    # Identité du co-titulaire (optional; seed 001's second block)
    co_civilite = SelectField("Civilité", choices=CIVILITIES)
    co_nom_naissance = TextField("Nom de naissance", max_length=80)
    co_nom_usage = TextField("Nom d'usage", max_length=80)
    co_prenoms = TextField("Prénoms", max_length=80)
    co_profession = TextField("Profession", max_length=80)
    co_date_naissance = DateField("Date de naissance", past=True)
    co_ville_naissance = TextField("Ville de naissance", max_length=80)
    co_departement_naissance = TextField("Département de naissance", max_length=40)
    co_date_piece = DateField("Date de délivrance", past=True)
    co_ville_piece = TextField("Ville d'obtention", max_length=80)
    co_numero_permis = TextField("N° du permis de conduire", max_length=30)
    co_categorie_permis = SelectField("Catégorie", choices=_stock("licence_categories"))
    co_conducteur_principal = RadioField("Conducteur principal?", choices=(("oui", "Oui"), ("non", "Non")),
                                         default="non")

    def check(self) -> bool:
        self.validate()
        if _pro(self) and self.nom_naissance.data:
            self.add_error("nom_naissance", "Pour un client professionnel, laissez le champ Nom de naissance vide.")
        if any(self[n].data for n in CO_HOLDER) and not (self.co_nom_naissance.data and self.co_prenoms.data):
            self.add_error("co_nom_naissance", "Co-titulaire : renseignez au moins son Nom de naissance et ses "
                                               "Prénoms.")
        return not self.error_list


CO_HOLDER = ("co_civilite", "co_nom_naissance", "co_nom_usage", "co_prenoms", "co_profession", "co_date_naissance",
             "co_ville_naissance", "co_departement_naissance", "co_date_piece", "co_ville_piece",
             "co_numero_permis", "co_categorie_permis")


class CustomerField(IntegerField):
    """The order's customer: a select of the dealer's customers (``form.customers``), read as a number
    so an unknown one gets its own message."""

    kind, blank = "select", "Rechercher un client existant"

    def options(self) -> list[tuple[str, str]]:
        return [(str(c.id), f"{c.id} {c.display_name}") for c in self.owner.customers]


class OrderForm(TecForm):
    """NOUVELLE PROPOSITION / Commande of a stock vehicle; ``customers`` fills the Client select."""

    customers: list = []
    client = CustomerField("Client", required=True, min=1, max=10**9)
    statut = SelectField("Statut", required=True, choices=ORDER_STATUSES, blank=None)
    service = SelectField("Service", choices=_stock("services"), blank=None)
    commercial = SelectField("Commercial", required=True, choices=_stock("sellers"), blank=None)
    livreur = SelectField("Livreur", choices=_stock("sellers"), blank="Aucun livreur")
    prix = MoneyField("PU TTC du véhicule", required=True)
    km_max = IntegerField("Km max à la livraison", short="Km max", min=0, max=2_000_000, hint="Km max")
    date_livraison = DateField("Date de livraison")
    date_vente = DateField("Date de vente (CDA, Cession, achat, membre, garantie)", short="Date de vente")
    origine = SelectField("Origine du contact", choices=_stock("contact_origins"), blank=None)
    paiement = SelectField("Mode paiement", required=True, choices=_stock("payment_modes"), blank=None)
    financement = SelectField("Organisme de financement", choices=_stock("financing_bodies"), blank="Aucun")
    mode_acompte = SelectField("Mode d'acompte", choices=_stock("payment_modes"), blank="-")
    acompte = MoneyField("Acompte")
    # Ajouter: one more article line, saved with the order
    article_designation = TextField("Désignation de l'article", short="Désignation", max_length=120)
    article_reference = TextField("Référence de l'article", short="Référence", max_length=30)
    article_prix = MoneyField("PU TTC de l'article", short="PU TTC", max=1_000_000)

    ARTICLE = ("article_designation", "article_reference", "article_prix")


class VehicleForm(TecForm):
    """Création d'un véhicule: Modèle and Version come from the referential (autocomplete)."""

    marque = SelectField("Marque", required=True, choices=lambda form: referential.makes())
    energie = SelectField("Énergie", required=True, choices=lambda form: referential.ENERGIES)
    mec = DateField("Mise en circulation", required=True, past=True)
    annee_modele = IntegerField("Année du modèle", required=True, min=1950, max=2100)
    modele = TextField("Modèle", required=True)
    version = TextField("Version", required=True)
    immatriculation = PlateField("Immatriculation", hint="AA-123-AA")
    vin = VinField("VIN")
    km = IntegerField("Kilométrage", min=0, max=2_000_000)
    couleur = TextField("Couleur", max_length=30)
    couleur_interieure = TextField("Couleur intérieure", max_length=30)
    couleur_commerciale = TextField("Couleur commerciale", max_length=30)
    nombre_cles = IntegerField("Nombre de clés", min=0, max=20)
    premiere_main = CheckboxField("Première main")
    co2 = IntegerField("CO²", min=0, max=1000)
    ptac = IntegerField("PTAC (kg)", min=300, max=60_000)
    prix = MoneyField("Prix de vente TTC")


def levels() -> list[str]:
    """The DMS warranty levels of every label ("Spoticar-Premium 12 Mois", "DS Certified 12 mois",
    "Alfa Romeo Certified 24 mois", …): the hand-off's label follows the chosen level."""
    return [name for product in reference.warranty_products() for name in product["dms_levels"]]


class WarrantyForm(TecForm):
    """Garantie SPOTICAR: "Informations à valider/compléter pour la garantie" (stored as typed)."""

    civilite = SelectField("Civilité", required=True, choices=CIVILITIES)
    nom = TextField("Nom", required=True)
    prenom = TextField("Prénom", required=True)
    adresse = TextField("Adresse", required=True)
    code_postal = PostcodeField("Code postal", required=True)
    ville = TextField("Ville", required=True)
    adresse2 = TextField("Adresse 2")
    adresse3 = TextField("Adresse 3")
    telephone = PhoneField("Téléphone")
    portable = PhoneField("Portable")
    email = EmailField("Email", input_type="text")
    date_naissance = DateField("Date de naissance", past=True)
    lieu_naissance = TextField("Lieu de naissance")
    pays_naissance = TextField("Pays de naissance", max_length=60)
    nationalite = TextField("Nationalité", max_length=60)
    profession = TextField("Profession")
    raison_sociale = TextField("Raison sociale")
    siret = SiretField("N° Siret")
    immatriculation = PlateField("Immatriculation", required=True)
    marque = TextField("Marque", required=True)
    modele = TextField("Modèle", required=True)
    date_mec = DateField("Date MEC", required=True, past=True)
    carburant = SelectField("Carburant", required=True, choices=lambda form: referential.ENERGIES)
    puissance = IntegerField("Puissance", required=True, min=1, max=200)
    date_vente = DateField("Date de vente", required=True)
    km = IntegerField("Kilométrage", required=True, min=0, max=2_000_000)
    vin = VinField("VIN", required=True)
    version = TextField("Version")
    puissance_kw = IntegerField("Puissance kW", min=1, max=1500)
    type_cg = TextField("Type CG")
    cylindres = IntegerField("Cylindres", min=1, max=10000)
    puissance_din = IntegerField("Puissance DIN", min=1, max=2000)
    ptac = IntegerField("PTAC (kg)", min=300, max=60_000)
    prix_vente = MoneyField("Prix vente")
    prix_reprise = MoneyField("Prix reprise")
    usage = SelectField("Usage du véhicule", choices=lambda form: reference.all_usages(), blank=None)
    niveau = SelectField("Niveau de garantie", required=True, choices=lambda form: levels(), blank=None)
    origine_vente = SelectField("Origine de la vente", blank="",
                                choices=lambda form: reference.load("declaration_form")["sale_origins"])
    consent_email = CheckboxField("Email", checked_value="on")
    consent_phone = CheckboxField("Téléphone", checked_value="on")
    consent_sms = CheckboxField("SMS", checked_value="on")
    consent_mail = CheckboxField("Courrier", checked_value="on")

    CONSENTS = ("consent_email", "consent_phone", "consent_sms", "consent_mail")

    def typed(self) -> dict[str, str]:
        """What the dealer typed, as stored with the warranty and sent by the hand-off."""
        out = {f.name: (f.data or "") for f in self if f.name != "csrf_token" and f.name not in self.CONSENTS}
        out.update({name: "on" if self[name].data else "" for name in self.CONSENTS})
        return out
