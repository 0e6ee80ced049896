"""Field types of the one form layer (on WTForms, through Flask-WTF's ``FlaskForm``).

Every field keeps what was typed in ``data`` (so a refused form shows it again) and, once the form
is validated, the cleaned Python value in ``value``. Messages come from the form's wording
(``common.forms.messages``); numbers and dates are read by ``common.parsing``.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from wtforms import Field as _WTField
from wtforms.validators import StopValidation

from common import parsing
from common.dates import fr_date
from common.forms import formats
from common.forms.messages import message
from spoticar_handoff.fields import CONTROL_MULTILINE_RE, CONTROL_RE, blank, plain


class Invalid(ValueError):
    """A conversion failure: ``key`` names the wording template, ``params`` fill it."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def lower(value: str | None) -> str | None:
    """A field filter: logins and emails are compared lower-case (the field trims them already), in
    their compatibility form (NFKC: a full-width « ｖｏ@… » is « vo@… », one account, one lock)."""
    return unicodedata.normalize("NFKC", value).lower() if value else value


def compatible(value: str | None) -> str | None:
    """A field filter: the compatibility form (NFKC) alone, for a login whose case counts."""
    return unicodedata.normalize("NFKC", value) if value else value


class Field(_WTField):
    """A text input. ``required`` may be a callable ``(form) -> bool`` (e.g. "required for a pro");
    ``star`` says whether the label shows the required mark (defaults to ``required is True``)."""

    kind = "text"

    def __init__(self, label: str, *, required: bool | Callable = False, max_length: int | None = 120,
                 hint: str | None = None, readonly: bool = False, star: bool | None = None,
                 messages: dict[str, str] | None = None, input_type: str = "text",
                 autocomplete: str | None = None, short: str | None = None, min_length: int = 0,
                 **kwargs):
        super().__init__(label, **kwargs)
        self.min_length = min_length
        self.short = short  # the label's name in messages when the screen's label is longer
        self.required, self.max_length, self.hint, self.readonly = required, max_length, hint, readonly
        self.star = (required is True) if star is None else star
        self.messages = messages or {}
        self.input_type, self.autocomplete = input_type, autocomplete
        self.value = None

    # -- reading -------------------------------------------------------------------------------
    def process_data(self, value):
        self.data = self.display(value)

    def process_formdata(self, valuelist):
        self.data = (valuelist[0] or "").strip() if valuelist else ""

    def display(self, value) -> str:
        """A stored value as the input shows it."""
        return "" if value is None else str(value)

    def _value(self) -> str:
        return self.data or ""

    def convert(self, text: str):
        """The cleaned value of non-empty ``text``; raises ``Invalid`` (or ``ValueError(message)``)."""
        return text

    # -- checking ------------------------------------------------------------------------------
    def is_required(self, form) -> bool:
        return bool(self.required(form) if callable(self.required) else self.required)

    def message(self, key: str, **params) -> str:
        """This field's French message ``key``, in its form's wording (or its own override)."""
        wording = getattr(self, "wording", "default")
        label = self.short or str(self.label.text)
        template = self.messages.get(key)
        if template:
            shown = label.rstrip("* ").strip()
            return template.format(label=shown, label_lower=shown.lower(), **params)
        return message(wording, key, label, **params)

    def is_empty(self) -> bool:
        return not self.data or (isinstance(self.data, str) and blank(self.data))

    def has_control(self) -> bool:
        """Whether the typed text holds a character no one types (``spoticar_handoff.fields.CONTROL_CHARS``):
        a single-line input takes none; a text area keeps its tabs and line breaks."""
        pattern = CONTROL_MULTILINE_RE if self.kind == "textarea" else CONTROL_RE
        return isinstance(self.data, str) and not plain(self.data) and pattern.search(self.data) is not None

    def pre_validate(self, form):
        self.value = None
        if self.is_empty():
            if self.is_required(form):
                raise StopValidation(self.message("required"))
            raise StopValidation()
        if self.max_length and isinstance(self.data, str) and len(self.data) > self.max_length:
            raise StopValidation(self.message("too_long", max_length=self.max_length))
        if self.has_control():
            raise StopValidation(self.message("control"))
        if self.min_length and isinstance(self.data, str) and len(self.data) < self.min_length:
            raise StopValidation(self.message("too_short", min_length=self.min_length))
        try:
            self.value = self.convert(self.data)
        except Invalid as exc:
            raise StopValidation(self.message(exc.key, **exc.params)) from None
        except ValueError as exc:  # a format check's own sentence
            raise StopValidation(self.message("format", message=str(exc))) from None


class TextField(Field):
    """Free text, trimmed."""


class TextAreaField(Field):
    kind = "textarea"

    def __init__(self, label, *, max_length: int = 4000, **kwargs):
        super().__init__(label, max_length=max_length, **kwargs)


class PasswordField(Field):
    """Taken as typed (no trimming) and never shown again."""

    kind = "password"

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""

    def is_empty(self) -> bool:
        return not self.data  # as typed: a password of spaces is the password's own rules' to judge

    def has_control(self) -> bool:
        return False  # as typed: a password is compared, never shown nor sent on

    def _value(self) -> str:
        return ""


class FormatField(Field):
    """A field checked by one of ``common.forms.formats`` (``fmt``: plate, vin, phone, …)."""

    fmt = ""
    default_max = 30

    def __init__(self, label, *, max_length: int | None = None, **kwargs):
        super().__init__(label, max_length=max_length or self.default_max, **kwargs)

    def convert(self, text):
        return formats.run(self.fmt, text)


class PlateField(FormatField):
    fmt = "plate"


class VinField(FormatField):
    fmt = "vin"


class PhoneField(FormatField):
    fmt = "phone"


class PostcodeField(FormatField):
    fmt = "postcode"


class SiretField(FormatField):
    fmt = "siret"


class EmailField(FormatField):
    fmt, default_max = "email", 254

    def __init__(self, label, **kwargs):
        kwargs.setdefault("input_type", "email")
        super().__init__(label, **kwargs)


class LoginEmailField(EmailField):
    """An email that names an account (a login, a new user): compared lower-case in NFKC form
    (``lower``), its letters Latin, accented or not (``formats.check_login_email``), so no account can
    look like another one (a Cyrillic « о » for an « o », an invisible joiner) and receive mails meant
    for it."""

    fmt = "login_email"

    def __init__(self, label, *, keep_case: bool = False, **kwargs):
        # keep_case: a portal that matches the address "majuscules/minuscules comprises" (Portail B2B)
        kwargs.setdefault("filters", [compatible if keep_case else lower])
        super().__init__(label, **kwargs)


class PatternField(Field):
    """A code with a pattern of its own (COFOR, identifiant, Cirano id): ``clean`` then ``pattern``."""

    def __init__(self, label, *, pattern, pattern_message: str, clean: Callable[[str], str] | None = None,
                 **kwargs):
        super().__init__(label, **kwargs)
        self.pattern, self.pattern_message, self.clean = pattern, pattern_message, clean

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.clean and self.data:
            self.data = self.clean(self.data)

    def convert(self, text):
        if not self.pattern.fullmatch(text):
            raise ValueError(self.pattern_message)
        return text


class DateField(Field):
    """JJ/MM/AAAA (ISO accepted), years 1900–2100 (``common.parsing``); ``past``: not after today."""

    kind = "date"

    def __init__(self, label, *, past: bool = False, **kwargs):
        kwargs.setdefault("hint", "JJ/MM/AAAA")
        super().__init__(label, max_length=None, **kwargs)  # the parser bounds the text
        self.past = past

    def display(self, value) -> str:
        """A date (or an ISO text, as stored) → JJ/MM/AAAA; anything else shown as it is."""
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return value
        return fr_date(value) if isinstance(value, dt.date) else super().display(value)

    def convert(self, text):
        try:
            value = parsing.parse_date(text)
        except parsing.ParseError:
            year = re.search(r"([0-9]{4})", text, re.ASCII)
            if year is None or not (text.count("/") == 2 or text.count("-") == 2):
                raise Invalid("date") from None
            if self.past and int(year.group(1)) > parsing.MAX_YEAR:
                raise Invalid("past") from None  # a far year is simply "in the future"
            if not parsing.MIN_YEAR <= int(year.group(1)) <= parsing.MAX_YEAR:
                raise Invalid("date_range", min_year=parsing.MIN_YEAR, max_year=parsing.MAX_YEAR) from None
            raise Invalid("date") from None
        if self.past and value > dt.date.today():
            raise Invalid("past")
        return value


class IntegerField(Field):
    """A whole number in [min, max], French thousands separators allowed."""

    kind = "integer"

    def __init__(self, label, *, min: int = 0, max: int = 10_000_000, **kwargs):  # noqa: A002
        kwargs.setdefault("input_type", "text")
        super().__init__(label, max_length=None, **kwargs)  # the parser bounds the text
        self.min, self.max = min, max

    def convert(self, text):
        try:
            return parsing.parse_int(text, minimum=self.min, maximum=self.max)
        except parsing.ParseError:
            raise Invalid("integer", min=self.min, max=self.max) from None


class MoneyField(Field):
    """An amount in euros, "10 290,76" or "10290.76" (a trailing € is allowed), in [min, max]."""

    kind = "money"

    def __init__(self, label, *, min: Decimal | int = 0, max: Decimal | int = 10_000_000, **kwargs):  # noqa: A002
        super().__init__(label, max_length=None, **kwargs)  # the parser bounds the text
        self.min, self.max = Decimal(min), Decimal(max)

    def convert(self, text):
        try:
            return parsing.parse_decimal(text, minimum=self.min, maximum=self.max)
        except parsing.ParseError:
            raise Invalid("money", min=self.min, max=self.max) from None
