"""Headers every answer of every app carries, whatever made it (a page, an error, the API — the lean
hand-off path included —, a PDF, a CSV, a file a user uploaded): no MIME sniffing, no framing by another
site, no referrer to other sites, a CSP; and an uploaded file is always a download."""
from __future__ import annotations

import httpx
import pytest

from harness.apps import available_apps
from spoticar_handoff.tls import tls_context
from tests.centralisateur.support import CSRF_RE, api_headers

pytestmark = pytest.mark.centralisateur

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b"<html><script>alert(1)</script></html>"


def _guarded(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url.path} → {response.status_code}"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    policy = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy, where


@pytest.mark.parametrize("app", [spec.name for spec in available_apps()])
def test_pages_errors_and_json_carry_the_headers(stack, app):
    base = stack.url(app)
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20) as client:
        answers = [client.get("/"), client.get("/page-inexistante"), client.request("PATCH", "/"),
                   client.get("/__admin/journal", params={"limit": "x"})]  # a French JSON 400
    assert [a.status_code for a in answers[1:]] == [404, 405, 400]
    for answer in answers:
        _guarded(answer)


def test_api_documents_and_exports_carry_the_headers(stack, factory):
    central = stack.url("centralisateur")
    handoff = factory.handoff()
    answers = [httpx.post(central + "/api/v1/handoffs", json=handoff, headers=api_headers(stack), timeout=20),
               httpx.post(central + "/api/v1/handoffs", json=handoff, timeout=20),
               httpx.post(central + "/api/v1/handoffs", json={}, headers=api_headers(stack), timeout=20),
               httpx.get(stack.url("tec3h") + "/stock/export.csv", timeout=20),
               httpx.get(stack.url("tec3h") + "/stock/liste.pdf", timeout=20)]
    assert [a.status_code for a in answers] == [201, 401, 422, 200, 200]
    for answer in answers:
        _guarded(answer)


def test_an_uploaded_screenshot_is_served_as_a_download(stack, factory, client_address):
    base = stack.url("portail_b2b")
    company = f"SOCIETE {factory.fake.unique.last_name().upper()} CAPTURE"
    with httpx.Client(verify=tls_context(), base_url=base, timeout=20,
                      transport=httpx.HTTPTransport(local_address=client_address("capture"))) as browser:
        token = CSRF_RE.search(browser.get("/aide/contact").text).group(1)
        sent = browser.post("/aide/contact", files={"screenshot": ("capture.html", PNG, "text/html")}, data={
            "csrf_token": token, "subject": "Identifiant ou mot de passe", "message": "Voir la capture",
            "last_name": "Martin", "first_name": "Léa", "company": company, "email": factory.fake.email()})
    assert sent.status_code == 200, sent.text[:300]
    mail = next(m for m in httpx.get(base + "/outbox/mails.json", timeout=20).json()["mails"] if company in m["body"])
    attachment = mail["attachments"][0]
    assert attachment["filename"] == "capture.png" and attachment["content_type"] == "image/png"
    served = httpx.get(attachment["url"], timeout=20)
    _guarded(served)
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["Content-Disposition"].startswith("attachment;")
