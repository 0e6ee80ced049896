"""The centralisateur's small forms on the common form layer: CONNEXION and the RGPD search."""
from __future__ import annotations

from common.forms import Form, LoginEmailField, PasswordField, TextField


class CentralisateurForm(Form):
    class Meta:
        wording = "centralisateur"
        required_mark = "none"


class LoginForm(CentralisateurForm):
    """CONNEXION: Email, Mot de passe."""

    email = LoginEmailField("Email", required=True, autocomplete="username")
    password = PasswordField("Mot de passe", required=True, max_length=200, autocomplete="current-password")


class RgpdSearchForm(CentralisateurForm):
    """RGPD: the customer to find (read from the query string: a search changes nothing)."""

    recherche = TextField("Nom, email, téléphone ou immatriculation du client", min_length=2, max_length=100,
                          messages={"too_long": "Saisissez au plus {max_length} caractères."})
