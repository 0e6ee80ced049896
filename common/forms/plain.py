"""A field described by plain values (name, label, typed value, message) so a template whose view
keeps ``values``/``errors`` dicts still renders through the one ``field`` macro of common/forms.html."""
from __future__ import annotations

from types import SimpleNamespace

from common.forms.choices import as_pairs


class PlainField:
    """What ``common/forms.html``'s ``field`` macro reads from a field, built from plain values."""

    def __init__(self, name: str, label: str, value="", error: str | None = None, *, kind: str = "text",
                 required: bool = False, id: str | None = None, options=(), blank: str | None = None,  # noqa: A002
                 input_type: str = "text", autocomplete: str | None = None, required_mark: str = "label",
                 hint: str | None = None):
        self.name, self.id = name, id or name
        self.label = SimpleNamespace(text=label)
        self.data = "" if value is None else value
        self.errors = [error] if error else []
        self.kind, self.star, self.required_mark = kind, required, required_mark
        self.input_type, self.autocomplete, self.hint, self.blank = input_type, autocomplete, hint, blank
        self.readonly, self.checked_value, self._options = False, "oui", options

    def options(self) -> list[tuple[str, str]]:
        return as_pairs(self._options)

    def _value(self) -> str:
        return "" if self.kind == "password" else str(self.data)
