"""``up --advertise-host``: a stack others reach by a name (a vendor's staging DMS, a dealer's browser on
another machine) hands out links with that name, never the address it listens on (0.0.0.0)."""
from __future__ import annotations

import re

import httpx

from centralisateur.openapi_rules import HANDOFF_EXAMPLE
from harness.cli import main
from tests.up_process import read_until_ready, start_up, stop


def test_links_handed_out_carry_the_advertised_host(tmp_path):
    process = start_up("--only", "centralisateur,icare", "--any-port", "--advertise-host", "localhost",
                       "--data-dir", str(tmp_path))
    try:
        url = re.search(r"Centralisateur.*?(http://\S+)", read_until_ready(process)).group(1)
        assert re.fullmatch(r"http://localhost:[0-9]+", url), url
        answer = httpx.post(f"{url}/api/v1/handoffs", timeout=30, headers={"Authorization": "Bearer demo-tec3h"},
                            json={**HANDOFF_EXAMPLE, "callback_url": None})
        assert answer.status_code == 201, answer.text
        assert answer.json()["declaration_url"].startswith(f"{url}/declaration/")
        assert httpx.get(f"{url}/api/v1/openapi.json", timeout=30).json()["servers"][0]["url"] == url
    finally:
        stop(process)


def test_processes_say_how_to_advertise_instead(capsys):
    assert main(["up", "--processes", "--advertise-host", "cds.example.fr"]) == 2
    assert "donnez à chaque application son adresse publique avec serve --public-url" in capsys.readouterr().err
