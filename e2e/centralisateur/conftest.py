"""Helpers of the centralisateur browser suite: hand-offs over the API, Icare look-ups, PDF text."""
from __future__ import annotations

import io

import httpx
import pytest
from pypdf import PdfReader

from harness.testing import new_dealer


class Api:
    """The DMS side of a running stack: the hand-off API, with the key of ``dms``."""

    def __init__(self, stack):
        self.stack = stack

    def _headers(self, dms: str) -> dict:
        return {"Authorization": f"Bearer {self.stack.credentials.dms_key(dms)}"}

    def handoff(self, payload: dict, dms: str = "tec3h") -> dict:
        response = httpx.post(self.stack.url("centralisateur") + "/api/v1/handoffs", json=payload,
                              headers=self._headers(dms), timeout=20)
        assert response.status_code == 201, response.text
        return response.json()

    def status(self, bdc_number: str, dms: str = "tec3h") -> dict:
        return httpx.get(self.stack.url("centralisateur") + f"/api/v1/declarations/{bdc_number}",
                         headers=self._headers(dms), timeout=20).json()

    def new_dealer(self, factory, dms: str = "tec3h", **flags) -> dict:
        return new_dealer(self.stack, factory, dms, **flags)


@pytest.fixture
def api(stack) -> Api:
    return Api(stack)


def pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(open(path, "rb").read()))
    return "\n".join(page.extract_text() for page in reader.pages)
