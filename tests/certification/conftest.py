"""A centralisateur and an Icare for the certification suites (Icare with its test routes, so a
session can put its dealer under convention and inject an outage)."""
from __future__ import annotations

import httpx
import pytest

from harness.runner import Stack
from certification import dealer
from tests.certification.outside_dms import CallbackServer


@pytest.fixture(scope="module")
def callback_server():
    """The outside DMS's callback endpoint (one origin, allowed by the CDS operator's configuration)."""
    server = CallbackServer()
    yield server
    server.close()


def certification_stack(data_dir, callback_server: CallbackServer) -> Stack:
    """A centralisateur and an Icare for certification sessions (not started yet), calling back
    ``callback_server`` only."""
    origins = {dms: [callback_server.origin] for dms in ("tec3h", "pvo2", "neovo", "bee2link")}
    return Stack(data_dir, names=["centralisateur", "icare"],
                 extra_config={"centralisateur": {"TEST_ROUTES": True, "WORKER_INTERVAL": 0.1,
                                                  "ICARE_TIMEOUT": 2.0, "CERTIFICATION_RATE_PER_SECOND": 10,
                                                  "DMS_CALLBACK_ORIGINS": origins},
                               "icare": {"TEST_ROUTES": True}})


@pytest.fixture(scope="module")
def cds(tmp_path_factory, callback_server):
    with certification_stack(tmp_path_factory.mktemp("certification"), callback_server) as stack:
        yield stack


def open_session(stack, dms: str = "tec3h", **extra) -> dict:
    """A certification session opened as a vendor does (JSON), with its key."""
    response = httpx.post(stack.url("centralisateur") + "/certification/sessions",
                          json={"dms": dms, "wait_seconds": 60, **extra}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def dealer_declares(declaration_url: str, sale: dict) -> None:
    """The tester's part in the centralisateur: page 1/3, complete form 2/3, « Déclarer et Garantir »."""
    page = dealer.declare(declaration_url, sale)
    assert "Votre demande a été effectuée avec succès" in page, page[:2000]
