"""Real-mode onboarding: dealers and keys written by ``dealers add`` / ``keys add`` into a TOML file,
read by the centralisateur and Icare outside demo mode."""
from __future__ import annotations

import re

import httpx
import pytest

from harness.cli import main
from harness.runner import Stack
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur


def _onboard(path, factory, monkeypatch, capsys) -> tuple[str, dict]:
    monkeypatch.setenv("CDS_TEST_PASSWORD", "Un-mot-de-passe-long-1")
    path.write_text('icare_service_key = "icare-service-kkkkkkkkkkkkkkkkkkkk"\n')
    assert main(["keys", "add", "--config", str(path), "--dms", "tec3h"]) == 0
    key = capsys.readouterr().out.strip().splitlines()[-1]
    rrdi = factory.rrdi()
    dealer = {"rrdi": rrdi, "login": f"vo.{rrdi.lower()}@garage.example.fr", "code_t": "T43210"}
    assert main(["dealers", "add", "--config", str(path), "--rrdi", rrdi, "--name", "GARAGE DU PORT",
                 "--dms", "tec3h", "--code-t", dealer["code_t"], "--login", dealer["login"],
                 "--email", "convention@garage.example.fr", "--password-env", "CDS_TEST_PASSWORD"]) == 0
    assert f"Point de vente {rrdi}" in capsys.readouterr().out
    return key, dealer


def test_configured_dealer_and_key_work_outside_demo_mode(tmp_path, factory, monkeypatch, capsys):
    config = tmp_path / "spoticar.toml"
    key, dealer = _onboard(config, factory, monkeypatch, capsys)
    assert "Un-mot-de-passe-long-1" not in config.read_text()  # stored hashed
    with Stack(tmp_path / "data", names=["centralisateur", "icare"], demo=False,
               extra_config={a: {"CONFIG_FILE": str(config)} for a in ("centralisateur", "icare")}) as stack:
        api = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), timeout=20)
        body = factory.handoff(rrdi=dealer["rrdi"])
        created = api.post("/api/v1/handoffs", json=body, headers={"Authorization": f"Bearer {key}"})
        assert created.status_code == 201, created.text
        assert re.fullmatch(rf"SP{dealer['rrdi']}[0-9]{{9}}", created.json()["bdc_number"])
        refused = api.post("/api/v1/handoffs", json=body, headers={"Authorization": "Bearer demo-tec3h"})
        assert refused.status_code == 401
        browser = httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), follow_redirects=True, timeout=20)
        page = browser.get("/connexion")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        page = browser.post("/connexion", data={"csrf_token": token, "email": dealer["login"],
                                                "password": "Un-mot-de-passe-long-1"})
        assert "GARAGE DU PORT" in page.text
        icare = httpx.post(stack.url("icare") + "/api/v1/npo", timeout=20,
                           headers={"Authorization": "Bearer icare-service-kkkkkkkkkkkkkkkkkkkk"},
                           json={"bdc_number": created.json()["bdc_number"], "code_t": dealer["code_t"],
                                 "rrdi": dealer["rrdi"], "plate": body["vehicle"]["plate"],
                                 "vin": body["vehicle"]["vin"], "sale_date": body["sale"]["sale_date"]})
        assert icare.status_code in (200, 201), icare.text  # the dealer is under convention at Icare


def test_bad_configuration_file_is_a_french_message(tmp_path, capsys):
    config = tmp_path / "spoticar.toml"
    config.write_text('[[keys]]\ndms = "tec3h"\nkey = "court"\n')
    assert main(["keys", "add", "--config", str(config), "--dms", "pvo2"]) == 2
    assert "Au moins 24 caractère(s)" in capsys.readouterr().err
    config.write_text("keys = [")
    assert main(["keys", "add", "--config", str(config), "--dms", "pvo2"]) == 2
    assert "syntaxe invalide" in capsys.readouterr().err
    assert main(["dealers", "add", "--config", str(tmp_path / "b.toml"), "--rrdi", "12", "--name", "X",
                 "--dms", "tec3h", "--code-t", "T12345", "--login", "a@b.fr", "--password-env", "NONE"]) == 2
    assert "12 caractères" in capsys.readouterr().err


def test_keys_add_records_the_origins_a_dms_is_called_back_on(tmp_path, capsys):
    config = tmp_path / "spoticar.toml"
    assert main(["keys", "add", "--config", str(config), "--dms", "tec3h", "--callback-origin",
                 "http://10.1.2.3:8080", "--callback-origin", "https://dms.example.fr"]) == 0
    from common.onboarding import load
    assert load(config).keys[0].callback_origins == ["http://10.1.2.3:8080", "https://dms.example.fr"]
    assert main(["keys", "add", "--config", str(config), "--dms", "pvo2", "--callback-origin",
                 "http://10.1.2.3:8080/rappel"]) == 2      # an origin, not a URL with a path
    assert "callback_origins" in capsys.readouterr().err and len(load(config).keys) == 1


def test_a_second_key_for_a_dms_says_where_another_origin_goes(tmp_path, capsys):
    config = tmp_path / "spoticar.toml"
    assert main(["keys", "add", "--config", str(config), "--dms", "tec3h", "--callback-origin",
                 "http://10.1.2.3:8080"]) == 0
    before = config.read_text()
    assert main(["keys", "add", "--config", str(config), "--dms", "tec3h", "--callback-origin",
                 "http://10.1.2.4:8080"]) == 2
    assert ("DMS en double dans la configuration : tec3h. Un DMS a une seule clé : pour l'appeler sur une "
            "autre origine, ajoutez-la à callback_origins de son entrée [[keys]] dans le fichier, puis "
            "redémarrez.") in capsys.readouterr().err
    assert config.read_text() == before


def test_a_login_written_by_an_older_version_with_capitals_and_spaces_still_signs_in(tmp_path, monkeypatch,
                                                                                      capsys, factory):
    """A file an older ``dealers add`` wrote as typed (capitals, blanks around): the dealer signs in
    with the login typed either way; the file itself is left as it was."""
    from common.auth import hash_password
    config, rrdi = tmp_path / "spoticar.toml", factory.rrdi()
    config.write_text(f'[[dealers]]\nrrdi = "{rrdi}"\nname = "GARAGE DU PORT"\ndms = "tec3h"\n'
                      f'code_t = "T43210"\nemail = "Convention@Garage.example.fr"\n'
                      f'login = "  VO.Port@Garage.Example.fr "\n'
                      f'password_hash = "{hash_password("Un-mot-de-passe-long-1")}"\n', encoding="utf-8")
    written = config.read_text(encoding="utf-8")
    with Stack(tmp_path / "data", names=["centralisateur"], demo=False,
               extra_config={"centralisateur": {"CONFIG_FILE": str(config)}}) as stack:
        for typed in ("VO.Port@Garage.Example.fr", " vo.port@garage.example.fr"):
            with httpx.Client(verify=tls_context(), base_url=stack.url("centralisateur"), follow_redirects=True,
                              timeout=20) as browser:
                token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/connexion").text).group(1)
                page = browser.post("/connexion", data={"csrf_token": token, "email": typed,
                                                        "password": "Un-mot-de-passe-long-1"})
                assert page.status_code == 200 and "GARAGE DU PORT" in page.text, typed
    assert config.read_text(encoding="utf-8") == written
