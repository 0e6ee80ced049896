"""Fixtures of the Portail B2B browser suite: the portal's URL, people from the factory, the outbox."""
from __future__ import annotations

import struct
import zlib

import httpx
import pytest

from harness.testing import create

ASSISTANCE = "assistance.portail-b2b@stellantis.example"


@pytest.fixture(scope="session")
def _public_forms_forgotten(stack) -> None:
    """Once a run: this machine's earlier sendings of the portal's public forms no longer count. The
    browser always sends from one address, and the forms take 10 sendings an address and hour: on a
    stack kept from run to run, the sixth run within the hour met « Ce formulaire a déjà été envoyé
    10 fois… » (a run sends the presentation twice)."""
    # (a stack without test routes answers 404: nothing to forget there, the tests run as they can)
    response = httpx.delete(stack.url("portail_b2b") + "/__test__/public-forms", timeout=20,
                            headers=stack.credentials.test_headers())
    assert response.status_code in (200, 404), response.text


@pytest.fixture
def b2b_url(stack, _public_forms_forgotten) -> str:
    return stack.url("portail_b2b")


@pytest.fixture
def b2b_password(stack) -> str:
    """The password of the portal's demo identifiants (``--b2b-password``, demo value by default)."""
    return stack.credentials.b2b_password


@pytest.fixture
def supplier(stack, factory):
    """``supplier(state, sites=("01",))``: a company of the test's own in the supplier base, at ``state``
    (``not_presented``, ``presented``…), made through the portal's test routes; its record (cofor,
    name, sites). Tests that move a company to its next step use one: the demo COFOR stay as seeded."""
    def make(state: str, sites: tuple[str, ...] = ("01",)) -> dict:
        return create(stack, "portail_b2b", "/suppliers",
                      {"seed": factory.rng.randint(1, 10**9), "state": state, "sites": list(sites)})
    return make


@pytest.fixture
def portal_user(stack, factory, supplier):
    """``portal_user(asl_tiers=False)``: a personal identifiant of the test's own (in a supplier of its
    own), its record (identifiant, cofor, email…) and its ``password``. Tests that reset a password
    use one: the demo identifiants keep the demo password."""
    def make(asl_tiers: bool = False) -> dict:
        password = factory.fake.password(length=14, special_chars=True, digits=True, upper_case=True,
                                         lower_case=True)
        user = create(stack, "portail_b2b", "/users", {"cofor": supplier("with_users")["cofor"],
                                                       "password": password, "asl_tiers": asl_tiers,
                                                       "seed": factory.rng.randint(1, 10**9)})
        return {**user, "password": password}
    return make


@pytest.fixture
def person(factory) -> dict:
    """A contact person and their company (Faker fr_FR, seeded per test)."""
    c = factory.customer()
    return {"last_name": c["last_name"], "first_name": c["first_name"], "phone": c["mobile"],
            "email": factory.fake.unique.user_name() + "." + c["email"],
            "company": factory.fake.company(), "siret": factory.fake.siret().replace(" ", ""),
            "address": factory.fake.street_address(), "postcode": factory.fake.postcode(),
            "city": factory.fake.city()}


class Outbox:
    """The portal's outbox read through its JSON view (what a test checks after the page did)."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def mails(self, to: str | None = None) -> list[dict]:
        params = {"to": to} if to else {}
        response = httpx.get(self.base_url + "/outbox/mails.json", params=params, timeout=10)
        response.raise_for_status()
        return response.json()["mails"]

    def mails_mentioning(self, text: str, to: str = ASSISTANCE) -> list[dict]:
        return [m for m in self.mails(to) if text in m["body"]]

    def download(self, url: str) -> bytes:
        return httpx.get(url, timeout=10).content


@pytest.fixture
def outbox(b2b_url) -> Outbox:
    return Outbox(b2b_url)


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real (tiny, grey) PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
