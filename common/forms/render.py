"""The field of every app's forms as HTML, in Python: what the ``field`` macro of
``common/templates/common/forms.html`` shows, character for character. A page of form 2/3 has 47
fields and the macro made six nested macro calls for each (label, mark, input, attributes, error):
most of the page's render time. The macro now hands over to ``field_html``; a test renders every
form of every app both ways and compares.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from markupsafe import Markup


def escape(value) -> str:
    """``markupsafe.escape``'s text (the same five characters, the same entities) as a plain str: a
    page of form 2/3 escapes ~500 values, and building a ``Markup`` for each was a tenth of its render."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return (str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def _attrs(*groups) -> str:
    """Attributes from dicts or lists of pairs: true → the bare name, false/None → left out."""
    out = []
    for group in groups:
        for key, value in (group.items() if isinstance(group, Mapping) else group):
            if value is True:
                out.append(f" {escape(key)}")
            elif value is not False and value is not None:
                out.append(f' {escape(key)}="{escape(value)}"')
    return "".join(out)


def _label(f, label) -> str:
    star = " *" if f.star and f.required_mark == "label" else ""
    return f'<label for="{escape(f.id)}">{escape(label or f.label.text)}{star}</label>'


def _mark(f) -> str:
    return '<span class="req" aria-hidden="true">*</span>' if f.star and f.required_mark == "star" else ""


def _error(f) -> str:
    return f'<span class="field-error" id="{escape(f.id)}-error">{escape(f.errors[0])}</span>' if f.errors else ""


def _options(f, pairs: Iterable) -> str:
    chosen = str(f.data)
    return "".join(f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(text)}</option>'
                   for value, text in pairs)


def input_html(f, attrs: dict) -> str:
    """The input (or select, textarea) of ``f`` with its kept value and flags."""
    bad = len(f.errors) > 0
    described = ([f"{f.id}-error"] if bad else []) + ([attrs["aria-describedby"]] if attrs.get("aria-describedby") else [])
    flags = {"aria-invalid": "true" if bad else None,
             "aria-describedby": " ".join(described) or None}  # escaped once, by _attrs
    own = [(k, v) for k, v in sorted(attrs.items(), key=lambda item: str(item[0]).lower())
           if k not in ("aria-describedby", "rows")] if attrs else ()  # most fields pass none
    required = {"aria-required": "true"} if f.star else {}
    more = _attrs(required, flags, own)
    fid, name = escape(f.id), escape(f.name)
    if f.kind == "select":
        blank = f'<option value="">{escape(f.blank)}</option>' if f.blank is not None else ""
        groups = f.option_groups() if hasattr(f, "option_groups") else [(None, f.options())]
        body = "".join((f'<optgroup label="{escape(group)}">' if group else "") + _options(f, pairs)
                       + ("</optgroup>" if group else "") for group, pairs in groups)
        return f'\n  <select id="{fid}" name="{name}"{more}>\n    {blank}\n    {body}\n  </select>'
    if f.kind == "textarea":
        rows = escape(attrs.get("rows", 6))
        return f'\n  <textarea id="{fid}" name="{name}" rows="{rows}"{more}>{escape(f._value())}</textarea>'
    kind = "password" if f.kind == "password" else f.input_type
    extra = (f' placeholder="{escape(f.hint)}"' if f.hint else "") \
        + (' inputmode="numeric"' if f.kind in ("date", "integer") else "") \
        + (f' autocomplete="{escape(f.autocomplete)}"' if f.autocomplete else "") \
        + (" readonly" if f.readonly else "")
    return f'\n  <input type="{escape(kind)}" id="{fid}" name="{name}" value="{escape(f._value())}"{extra}{more}>'


def label_html(f, label=None) -> Markup:
    """The label of ``f`` alone, with its required mark (a table layout's own cell)."""
    return Markup(_label(f, label) + _mark(f))


def control_html(f, attrs: dict | None = None) -> Markup:
    """The input of ``f`` alone (kept value, flags) and its message when refused."""
    return Markup(input_html(f, attrs or {}) + _error(f))


def field_html(f, label=None, css_class: str = "", attrs: dict | None = None, inner=None) -> Markup:
    """A real ``<label for>``, the input keeping what was typed and, when refused, the field flagged
    and its message; ``inner`` is what a ``{% call field(...) %}`` block adds."""
    attrs = attrs or {}
    bad = len(f.errors) > 0
    fid = escape(f.id)
    out = [f'<div class="field{" invalid" if bad else ""}{f" {escape(css_class)}" if css_class else ""}">']
    if f.kind == "checkbox":
        flags = {"aria-invalid": "true", "aria-describedby": f"{f.id}-error"} if bad else {}
        out.append(f'\n  <input type="checkbox" id="{fid}" name="{escape(f.name)}" value="{escape(f.checked_value)}"'
                   f'{" checked" if f.data else ""}{_attrs(flags, attrs)}>\n  {_label(f, label)}{_mark(f)}')
    elif f.kind in ("checkboxes", "radio"):
        star = " *" if f.star and f.required_mark == "label" else ""
        flagged = f' class="invalid" aria-invalid="true" aria-describedby="{fid}-error"' if bad else ""
        out.append(f'\n  <fieldset id="{fid}"{flagged}>\n    <legend>{escape(label or f.label.text)}{star}{_mark(f)}</legend>\n    ')
        kind = "checkbox" if f.kind == "checkboxes" else "radio"
        for value, text in f.options():
            checked = (value in f.data) if f.kind == "checkboxes" else (value == str(f.data))
            out.append(f'\n      <input type="{kind}" id="{fid}-{escape(value)}" name="{escape(f.name)}" '
                       f'value="{escape(value)}"{" checked" if checked else ""}>\n      '
                       f'<label for="{fid}-{escape(value)}">{escape(text)}</label>\n    ')
        out.append("\n  </fieldset>")
    else:
        out.append(f'\n  <span class="label-line">{_label(f, label)}{_mark(f)}</span>{input_html(f, attrs)}')
    out.append(f"\n  {escape(inner) if inner else ''}\n  {_error(f)}\n</div>")
    return Markup("".join(out))


def field(f, label=None, css_class: str = "", attrs: dict | None = None, *, caller=None, **options) -> Markup:
    """``field`` as the templates call it (``common/forms.html`` exports this function under that
    name): ``class=`` as a keyword, and the ``{% call field(...) %}`` block's content after the input.
    A plain function: a Jinja macro around ``field_html`` cost a macro call per field."""
    css_class = options.pop("class", css_class)
    if options:
        raise TypeError(f"field() : argument(s) inconnu(s) {', '.join(options)}")
    return field_html(f, label, css_class, attrs, caller() if caller else None)
