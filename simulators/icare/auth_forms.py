"""The Services.Spoticar login and password forms on the common form layer (seed 003 labels)."""
from __future__ import annotations

from common.forms import CheckboxField, EmailField, PasswordField, lower
from simulators.icare.account_forms import IcareForm

EMAIL_MESSAGE = "Saisissez une adresse email valide (ex. : nom@garage.fr)."


def _email(**kwargs) -> EmailField:
    """The login email: compared trimmed and lower-case, checked by the one email check."""
    return EmailField("Email", required=True, filters=[lower],
                      messages={"format": EMAIL_MESSAGE}, **kwargs)


class LoginForm(IcareForm):
    """« Connexion à votre espace »."""

    email = _email(autocomplete="username")
    password = PasswordField("Mot de passe", required=True, max_length=200, autocomplete="current-password")
    remember = CheckboxField("Enregistrer mes identifiants", checked_value="1")


class ForgotForm(IcareForm):
    """« Mot de passe oublié ? »: the email the reset link goes to."""

    email = _email()


class PasswordForm(IcareForm):
    """A mailed link's page: the email it was sent to, the new password twice (rules checked apart)."""

    email = _email(autocomplete="username")
    password = PasswordField("Votre nouveau mot de passe", required=True, max_length=200,
                             autocomplete="new-password")
    confirmation = PasswordField("Confirmation de mot de passe", required=True, max_length=200,
                                 autocomplete="new-password")
