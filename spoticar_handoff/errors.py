"""What ``HandoffClient`` raises, apart from the client itself: code that only catches these (a DMS's
views) imports neither httpx nor pydantic for them."""
from __future__ import annotations


class HandoffError(Exception):
    """Base class: ``message`` is French and can be shown to the user as is."""

    def __init__(self, message: str, status: int | None = None, errors: list[dict] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = errors or []


class HandoffRefused(HandoffError):
    """The centralisateur answered 4xx: the list of ``errors`` says why, field by field."""


class CentralisateurUnavailable(HandoffError):
    """No answer, or a 5xx: nothing was declared; the DMS may retry later."""
