"""The Services.Spoticar login and password forms on the common form layer (seed 003 labels)."""
from __future__ import annotations

from common.forms import CheckboxField, LoginEmailField, PasswordField, SelectField
from simulators.icare.account_forms import IcareForm

EMAIL_MESSAGE = "Saisissez une adresse email valide (ex. : nom@garage.fr)."


def _email(**kwargs) -> LoginEmailField:
    """The login email: trimmed, lower-case, NFKC, Latin letters (common.forms.LoginEmailField)."""
    return LoginEmailField("Email", required=True, messages={"format": EMAIL_MESSAGE}, **kwargs)


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


class EstablishmentForm(IcareForm):
    """The header's « Établissement » switch of a user of several establishments (``dealers``); the
    view checks the membership itself (a refusal page, not a field message)."""

    class Meta:
        id_prefix = "establishment-"

    dealers: list = []
    code_t = SelectField("Établissement", required=True, blank=None, only_choices=False,
                         choices=lambda form: [(d.code_t, f"{d.name} ({d.code_t})") for d in form.dealers])

    @classmethod
    def shown(cls, dealers: list, current: str | None) -> EstablishmentForm:
        """The switch showing ``current`` among ``dealers``."""
        form = cls(formdata=None, data={"code_t": current})
        form.dealers = dealers
        return form
