"""Choice fields of the one form layer: a select, a group of checkboxes, one checkbox, radios.

``choices`` is a list of values, a dict value → text, a list of (value, text) pairs, or a callable
``(form) -> any of those`` for options that depend on the form (e.g. durations of the chosen product).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from wtforms.validators import StopValidation

from common.forms.fields import Field, Invalid


def as_pairs(options) -> list[tuple[str, str]]:
    """Options in any of the accepted shapes → [(value, text)], values as strings."""
    if isinstance(options, dict):
        return [(str(v), str(t)) for v, t in options.items()]
    pairs = []
    for option in options or ():
        if isinstance(option, (tuple, list)):
            pairs.append((str(option[0]), str(option[1])))
        else:
            pairs.append((str(option), str(option)))
    return pairs


class SelectField(Field):
    """A ``<select>``; ``blank`` is the text of the empty first option (None: no empty option)."""

    kind = "select"

    def __init__(self, label, *, choices: Iterable | dict | Callable = (), blank: str | None = "",
                 only_choices: bool = True, grouped: bool = False, **kwargs):
        super().__init__(label, **kwargs)
        self.choices, self.blank, self.only_choices = choices, blank, only_choices
        self.grouped = grouped  # True: ``choices`` is {group label: options}, shown as <optgroup>s

    def option_groups(self) -> list[tuple[str | None, list[tuple[str, str]]]]:
        """[(group label or None, [(value, text)])] as offered now (the form's state may change them)."""
        choices = self.choices(self.owner) if callable(self.choices) else self.choices
        if self.grouped:
            return [(str(group), as_pairs(options)) for group, options in choices.items()]
        return [(None, as_pairs(choices))]

    def options(self) -> list[tuple[str, str]]:
        """[(value, text)] as offered now, every group's together."""
        return [pair for _, pairs in self.option_groups() for pair in pairs]

    def convert(self, text):
        # only_choices=False: the view checks the value itself (e.g. a record that may have changed)
        if self.only_choices and text not in {value for value, _ in self.options()}:
            raise Invalid("choice")
        return text


class RadioField(SelectField):
    """Radio buttons under a legend; same checks as a select."""

    kind = "radio"


class CheckboxesField(SelectField):
    """Several checkboxes under one legend: ``data`` and ``value`` are lists of checked values."""

    kind = "checkboxes"

    def __init__(self, label, *, drop_unknown: bool = False, **kwargs):
        super().__init__(label, **kwargs)
        self.drop_unknown = drop_unknown  # True: a value not offered is ignored rather than refused

    def process_data(self, value):
        self.data = [str(v) for v in (value or [])]

    def process_formdata(self, valuelist):
        self.data = [v for v in valuelist if v]

    def convert(self, values):
        allowed = {value for value, _ in self.options()}
        if any(v not in allowed for v in values):
            raise Invalid("choice")
        return list(values)

    def pre_validate(self, form):
        self.value = []
        if self.drop_unknown:
            offered = {value for value, _ in self.options()}
            self.data = [v for v in self.data if v in offered]
        if not self.data:
            if self.is_required(form):
                raise StopValidation(self.message("required"))
            raise StopValidation()
        try:
            self.value = self.convert(self.data)
        except Invalid as exc:
            raise StopValidation(self.message(exc.key)) from None


class CheckboxField(Field):
    """One checkbox; posted as ``checked_value`` when ticked. ``data`` and ``value`` are booleans."""

    kind = "checkbox"

    def __init__(self, label, *, checked_value: str = "oui", **kwargs):
        super().__init__(label, **kwargs)
        self.checked_value = checked_value

    def process_data(self, value):
        self.data = bool(value)

    def process_formdata(self, valuelist):
        self.data = self.checked_value in valuelist

    def pre_validate(self, form):
        self.value = bool(self.data)
        if not self.value and self.is_required(form):
            raise StopValidation(self.message("required"))
        raise StopValidation()
