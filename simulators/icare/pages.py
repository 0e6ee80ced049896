"""Services.Spoticar's public pages: the footer's pages (Conditions Générales d'Utilisation,
Mentions Légales, RGPD, Politique cookies) and « Vous êtes réparateur ? … Créer un compte », a
repairer's account request that Icare's support answers by mail (seed 003's login page)."""
# No ``from __future__ import annotations`` here: the ORM reads these annotations as objects; as
# strings it evaluates each one (~1,300 over the apps: ~20 ms of every start).

import datetime as dt

from flask import Blueprint, abort, render_template
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from common.columns import City, Email, IdColumn, PersonName, Phone, Postcode, Siret
from common.forms import page_unless_valid
from common.outbox import PER_ADDRESS_HOURLY
from common.sessions import PUBLIC_FORM_HOURLY, TOO_MANY_SENDINGS, public_form_allowed
from fixtures import reference
from simulators.icare.portal_session import write
from simulators.icare.portal_store import LoginAttempt
from simulators.icare.store import Base, outbox, utcnow
from simulators.icare.workshop_forms import RepairerForm

bp = Blueprint("icare_pages", __name__)

REPAIRER_SUBJECT = "Services.Spoticar — votre demande de compte réparateur"

PAGES = {
    "cgu": ("Conditions Générales d'Utilisation",
            ["Services.Spoticar est le portail partenaire d'Icare pour les souscriptions, les devis et les "
             "demandes de prise en charge des garanties Spoticar.",
             "L'accès est personnel : chaque utilisateur est créé par l'administrateur de son établissement, "
             "avec ses droits. Les identifiants ne doivent pas être partagés."]),
    "mentions-legales": ("Mentions Légales",
                         ["Éditeur : Icare, gestionnaire des garanties commerciales Spoticar pour Stellantis.",
                          "Support : info@garantiestellantis.fr — 01 86 99 02 69."]),
    "rgpd": ("RGPD",
             ["Les données des clients et des véhicules sont traitées pour la gestion des contrats de "
              "garantie et des demandes de prise en charge, et conservées pendant la durée du contrat et "
              "les délais légaux.",
              "Pour exercer vos droits d'accès, de rectification ou d'effacement : info@garantiestellantis.fr."]),
    "cookies": ("Politique cookies",
                ["Services.Spoticar n'utilise que des cookies nécessaires : la session de connexion et la "
                 "protection des formulaires. Aucun cookie publicitaire ni de mesure d'audience."]),
}


class RepairerRequest(IdColumn, Base):
    """A repairer's request for a Services.Spoticar account (to file workshop claims)."""
    __tablename__ = "icare_repairer_requests"
    company: Mapped[str] = mapped_column(String(120))
    siret: Mapped[Siret]
    last_name: Mapped[PersonName]
    first_name: Mapped[PersonName]
    email: Mapped[Email]
    phone: Mapped[Phone] = mapped_column(default="")
    postcode: Mapped[Postcode]
    city: Mapped[City]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


@bp.get("/pages/<slug>")
def page(slug: str):
    """One of the footer's pages."""
    if slug not in PAGES:
        abort(404)
    title, paragraphs = PAGES[slug]
    return render_template("icare/page.html", title=title, paragraphs=paragraphs)


@bp.route("/reparateur/creer-un-compte", methods=["GET", "POST"])
def repairer_account():
    """Vous êtes réparateur ? Créer un compte: the request, acknowledged by mail."""
    form = RepairerForm()
    page = page_unless_valid(form, "icare/repairer.html")
    if page:
        return page
    values = form.stored()
    support = reference.load("support_contacts")["src_gestionnaire"]
    email = values["email"].lower()
    with write() as tx:
        # anyone may ask, for any address: past a few an hour from one client, nothing is sent
        if not public_form_allowed(tx, LoginAttempt, "reparateur"):
            form.add_error(None, TOO_MANY_SENDINGS.format(limit=PUBLIC_FORM_HOURLY))
            return render_template("icare/repairer.html", form=form), 429
        tx.add(RepairerRequest(**values))
        # anyone may ask, for any address: past a few acknowledgements an hour, no more (no spam relay)
        if outbox.sent_recently(tx, email, REPAIRER_SUBJECT) < PER_ADDRESS_HOURLY:
            outbox.send_template(tx, email, REPAIRER_SUBJECT, "icare/mails/repairer_request.txt", support=support,
                                 **{k: values[k] for k in ("first_name", "last_name", "company", "siret")})
    return render_template("icare/page.html", title="Demande de compte envoyée", status=True,
                           paragraphs=[f"Votre demande de compte réparateur a bien été enregistrée. Un email "
                                       f"de confirmation a été envoyé à {values['email']}."])
