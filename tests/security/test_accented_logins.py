"""Accounts named by an accented (internationalised) email, as earlier versions stored them: a
configuration file with an accented convention email or login still loads, and such an account signs
in and gets its « mot de passe oublié » link — on Icare, the centralisateur and the Portail B2B. A
look-alike letter of another script stays refused (tests/security/test_login_names.py)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from common.auth import hash_password
from common.onboarding import load
from tests.icare.conftest import STRONG, last_link
from tests.portail_b2b.conftest import PASSWORD as B2B_PASSWORD

pytestmark = pytest.mark.centralisateur

CONVENTION = "Hélène.Bézier@garage-déclic.example.fr"  # typed with capitals, stored lower-case
LOGIN = "vo.cœur@garage-déclic.example.fr"
CDS_PASSWORD = "Un-mot-de-passe-long-1"


def _older_file(path, email: str = CONVENTION, login: str = LOGIN):
    """A dealers file as an earlier version wrote it (no check on the emails' letters)."""
    path.write_text(f'''icare_service_key = "icare-service-kkkkkkkkkkkkkkkkkkkk"

[[dealers]]
rrdi = "4321000"
name = "GARAGE DÉCLIC"
dms = "tec3h"
code_t = "T43210"
email = "{email}"
login = "{login}"
password_hash = "{hash_password(CDS_PASSWORD)}"
''', encoding="utf-8")
    return path


def test_an_older_file_with_accented_emails_loads(tmp_path):
    dealer = load(_older_file(tmp_path / "spoticar.toml")).dealers[0]
    assert (dealer.email, dealer.login) == (CONVENTION.lower(), LOGIN)


@pytest.mark.parametrize("email,message", [
    ("h\u0435lene@garage-declic.example.fr", "ne peut contenir que des lettres latines"),  # Cyrillic е
    ("helene\u200d@garage-declic.example.fr", "ne peut contenir que des lettres latines"),  # joiner
    ("h\u0131lene@garage-declic.example.fr", "ne peut contenir que des lettres latines"),  # dotless ı
    ("hélène.garage-déclic.fr", "L'adresse email n'est pas valide."),
])
def test_a_truly_invalid_convention_email_is_refused_in_french(tmp_path, email, message):
    with pytest.raises(ValueError) as refused:
        load(_older_file(tmp_path / "spoticar.toml", email=email))
    assert "dealers.0.email" in str(refused.value) and message in str(refused.value)


@pytest.mark.parametrize("email", ["søren.łukasz@garage-déclic.example.fr", "strauß@garage-déclic.example.fr",
                                   "chloé.noël-françois@garage-déclic.example.fr", "åsa.čapek@garage-déclic.example.fr"])
def test_western_latin_names_are_account_emails(email):
    from common.forms.formats import check_login_email
    assert check_login_email(email) == email


@pytest.mark.parametrize("email", ["he\u1e37ene@garage-declic.example.fr",  # ḷ: a dot below reads as « l »
                                   "h\u0117lene@garage-declic.example.fr",  # ė: a dot above
                                   "he\u0301\u0301lene@garage-declic.example.fr"])  # two marks on one letter
def test_a_letter_read_as_a_plain_one_is_refused(email):
    from common.forms.formats import check_login_email
    with pytest.raises(ValueError, match="ne peut contenir que des lettres latines"):
        check_login_email(email)


def test_icare_administrator_with_an_accented_convention_email(tmp_path):
    """The convention's « mot de passe oublié » makes the administrator's account, which signs in."""
    from simulators.icare import create_app
    app = create_app({"DATA_DIR": str(tmp_path), "CONFIG_FILE": str(_older_file(tmp_path / "spoticar.toml")),
                      "WTF_CSRF_ENABLED": False})
    try:
        client = app.test_client()
        asked = client.post("/mot-de-passe-oublie", data={"email": CONVENTION})
        assert asked.status_code == 200, asked.get_data(as_text=True)[:500]
        link = last_link(app, CONVENTION.lower(), "Réinitialiser mon mot de passe")
        made = client.post(link, data={"email": CONVENTION, "password": STRONG, "confirmation": STRONG})
        assert made.status_code == 302, made.get_data(as_text=True)[:500]
        client.post("/deconnexion")
        signed_in = client.post("/connexion", data={"email": CONVENTION, "password": STRONG})
        assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/accueil")
        assert "GARAGE DÉCLIC" in client.get("/accueil").get_data(as_text=True)
    finally:
        app.extensions["harness_stop"]()


def test_centralisateur_login_with_an_accented_email(tmp_path):
    from centralisateur import create_app
    app = create_app({"DATA_DIR": str(tmp_path), "CONFIG_FILE": str(_older_file(tmp_path / "spoticar.toml")),
                      "WTF_CSRF_ENABLED": False, "URLS": {}})
    try:
        client = app.test_client()
        signed_in = client.post("/connexion", data={"email": LOGIN.upper(), "password": CDS_PASSWORD})
        assert signed_in.status_code in (302, 303), signed_in.get_data(as_text=True)[:500]
        assert "GARAGE DÉCLIC" in client.get(signed_in.headers["Location"]).get_data(as_text=True)
    finally:
        app.extensions["harness_stop"]()


def test_portail_b2b_lost_password_and_identifiant_for_an_accented_email(tmp_path):
    from simulators import portail_b2b
    from simulators.portail_b2b.store import PortalUser, outbox
    from tests.seeded import seeded_app
    app = seeded_app(portail_b2b, {"DATA_DIR": str(tmp_path), "DEMO_MODE": True, "TESTING": True,
                                   "WTF_CSRF_ENABLED": False})
    email = "Karim.Benali@équipements-axilog.example.fr"  # V100004's, as an earlier version stored it
    try:
        with app.extensions["db"].transaction() as session:
            session.execute(update(PortalUser).where(PortalUser.identifiant == "V100004").values(email=email))
        client = app.test_client()
        asked = client.post("/mot-de-passe-perdu", data={"identifiant": "V100004", "email": email})
        assert asked.status_code == 200, asked.get_data(as_text=True)[:500]
        with app.app_context():
            mails = outbox.mails(app.extensions["db"].session, email)
        assert [m.subject for m in mails] == ["Portail B2B STELLANTIS : réinitialisation de votre mot de passe"]
        path = re.search(r"/mot-de-passe/\S+", mails[0].body).group(0)
        done = client.post(path, data={"password": "Nouveau-Passe-2026", "confirmation": "Nouveau-Passe-2026"})
        assert done.status_code == 200
        assert client.post("/connexion", data={"identifiant": "V100004", "password": B2B_PASSWORD}).status_code == 401
        assert client.post("/connexion", data={"identifiant": "V100004",
                                               "password": "Nouveau-Passe-2026"}).status_code == 302
        found = client.post("/identifiant-perdu", data={"email": email, "cofor": "1002034E"})
        assert found.status_code == 200, found.get_data(as_text=True)[:500]
        with app.app_context():
            assert "V100004" in outbox.mails(app.extensions["db"].session, email)[0].body
    finally:
        app.extensions["harness_stop"]()
