"""The portal's screens, one blueprint per area: access (steps 1–2), account (step 3), helpdesk."""
from __future__ import annotations

from flask import current_app, render_template


def db():
    return current_app.extensions["db"]


def render(template: str, status: int = 200, **context):
    """A page with ``values`` and ``errors`` defaulted, so every form template can rely on them."""
    context.setdefault("values", {})
    context.setdefault("errors", {})
    return render_template(f"portail_b2b/{template}", **context), status


def assistance_email() -> str:
    from simulators.portail_b2b.service import portal_data
    return portal_data()["assistance_email"]


def sender_email() -> str:
    from simulators.portail_b2b.service import portal_data
    return portal_data()["sender_email"]
