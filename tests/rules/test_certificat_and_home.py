"""Item 10: the certificat's "Informations essentielles à transmettre au client" whole and verbatim,
and Accueil naming the DMS as dealers know it."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from fixtures import reference
from tests.centralisateur.support import api_client, open_form

pytestmark = pytest.mark.centralisateur


def _words(text: str) -> str:
    return " ".join(text.split())


def test_certificat_prints_the_five_points_verbatim_and_accueil_names_tec3h(stack, factory):
    with api_client(stack) as api:
        receipt = api.post("/api/v1/handoffs", json=factory.handoff()).json()
    browser, url, values = open_form(stack, receipt["declaration_url"])
    assert "La création a bien été effectuée" in browser.post(url, data=values).text
    pdf = browser.get(url.replace("/formulaire", "/certificat.pdf"))
    text = _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
    assert "Informations essentielles à transmettre au client" in text
    for point in reference.load("certificat")["informations"]:
        assert _words(point) in text, point
    assert "un réparateur agréé membre du réseau Spoticar afin de bénéficier de la gratuité de ces travaux" in text
    from tests.centralisateur.test_ui_security import _login
    home = _login(stack, "953617Z").get("/").text
    row = re.search(rf"<tr>\s*<td><a [^>]*>{receipt['bdc_number']}</a></td>.*?</tr>", home, re.S).group(0)
    assert "<td>Tec3H</td>" in row and "<td>tec3h</td>" not in row
