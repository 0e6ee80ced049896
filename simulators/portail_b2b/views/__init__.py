"""The portal's screens, one blueprint per area: access (steps 1–2), account (step 3), helpdesk."""
from __future__ import annotations

import functools

from flask import current_app, render_template, request

from simulators.portail_b2b.forms import B2BForm, parse


def db():
    return current_app.extensions["db"]


def render(template: str, status: int = 200, **context):
    """A page with ``values`` and ``errors`` defaulted, so every form template can rely on them."""
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return render_template(f"portail_b2b/{template}", **context), status


def form_page(template: str, form: type[B2BForm], *, prefill: tuple[str, ...] = (), checks_more: bool = False):
    """A view of a form page. A GET shows ``template`` empty but for the ``prefill`` fields, which a link
    may fill through its query string (cut to the field's length). A POST that ``form`` refuses shows the
    page again (422) with the typed values and the messages; the view runs with the cleaned values only.
    ``checks_more``: the view runs with ``(values, errors)`` even when the form refused some, as it checks
    more than the form (a record, an upload) and shows every message at once."""

    def decorate(view):
        @functools.wraps(view)
        def page(*args, **kwargs):
            if request.method == "GET":
                fields = form(formdata=None)
                return render(template, values={name: request.args.get(name, "")[:fields[name].max_length]
                                                for name in prefill})
            values, errors = parse(form, request.form)
            if checks_more:
                return view(values, errors, *args, **kwargs)
            if errors:
                return render(template, 422, values=values, errors=errors)
            return view(values, *args, **kwargs)
        return page
    return decorate


def assistance_email() -> str:
    from simulators.portail_b2b.service import portal_data
    return portal_data()["assistance_email"]


def sender_email() -> str:
    from simulators.portail_b2b.service import portal_data
    return portal_data()["sender_email"]
