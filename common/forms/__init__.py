"""One form layer for every app: ``Form`` (Flask-WTF), typed fields, French messages written once,
and the ``common/forms.html`` macros (``field``, ``error_summary``) that render them."""
from common.forms.base import Form, csrf_field, page_unless_valid
from common.forms.choices import CheckboxesField, CheckboxField, RadioField, SelectField, as_pairs
from common.forms.fields import (DateField, EmailField, Field, IntegerField, Invalid, LoginEmailField,
                                 MoneyField, PasswordField, PatternField, PhoneField, PlateField, PostcodeField,
                                 SiretField, TextAreaField, TextField, VinField, lower)

__all__ = ["CheckboxField", "CheckboxesField", "DateField", "EmailField", "Field", "Form", "IntegerField",
           "Invalid", "LoginEmailField", "MoneyField", "PasswordField", "PatternField", "PhoneField", "PlateField",
           "PostcodeField", "RadioField", "SelectField", "SiretField", "TextAreaField", "TextField",
           "VinField", "as_pairs", "csrf_field", "init_app", "lower", "page_unless_valid"]


def init_app(app) -> None:
    """Make ``csrf_field()`` and the field renderers the ``common/forms.html`` macros call available
    to every template of ``app``."""
    from common.forms.render import control_html, field, label_html
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.jinja_env.globals.update(form_field=field, form_label=label_html, form_control=control_html)
