"""Hostile values in « Création d'un nouvel utilisateur »: a French message and a 422, the typed
value shown again, no account created, no mail; never a 500 (issue 13, defect 2)."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from simulators.icare.portal_store import PortalUser
from tests.icare.conftest import become_admin, create_user, log_in


@pytest.fixture
def admin(client, app):
    email = become_admin(client, app, "FR10350")
    log_in(client, email)
    return email


@pytest.mark.parametrize("field,value,message", [
    ("mobile", "٠٦٢٣٤٢٥٤٥٥", "Le numéro de téléphone mobile doit avoir 10 chiffres"),
    ("phone", "0" + "1" * 60, "Le champ Numéro de téléphone fixe (optionnel) accepte au plus 30 caractères."),
    ("last_name", "Martin3", "Le champ Nom ne doit contenir que des lettres"),
    ("first_name", "L" * 200, "Le champ Prénom ne doit contenir que des lettres"),
    ("code_t", "²", "Choisissez un établissement dont vous gérez les comptes."),
    ("email", "léa@exemple", "L'identifiant doit être une adresse email valide"),
])
def test_new_user_refuses_hostile_values(client, app, admin, field, value, message):
    with app.extensions["db"].transaction() as session:
        before = session.scalar(select(func.count()).select_from(PortalUser))
    response = create_user(client, ["recherche"], **{field: value})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and message in page
    if field != "code_t":
        assert f'value="{value}"' in page
    with app.extensions["db"].transaction() as session:
        assert session.scalar(select(func.count()).select_from(PortalUser)) == before
