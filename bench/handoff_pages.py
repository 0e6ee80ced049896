"""The centralisateur's pages a dealer opens after a hand-off, timed over HTTP (keep-alive client, the
harness's own server): page 1/3, form 2/3 pre-filled from the hand-off, and Accueil listing 50
declarations. ``python -m bench handoff_pages``; ``rows()`` feeds ``make bench``."""
from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from bench.stats import timed
from common import keys
from fixtures import reference
from fixtures.factories import Factory
from harness.runner import Stack
from spoticar_handoff.tls import tls_context

DECLARATIONS = 50
RUNS = 200
RRDI = "953617Z"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CHECKED = re.compile(r'<input[^>]*name="(programme|garantisseur)"[^>]*value="([^"]*)"[^>]*checked')
_SELECTED = re.compile(r'<select[^>]*name="(programme|garantisseur)".*?<option[^>]*value="([^"]*)"[^>]*selected',
                       re.S)


def _choices(html: str) -> dict[str, str]:
    """Page 1/3's preselected programme and garantisseur (radio buttons or lists) and its CSRF token."""
    found = {name: value for name, value in _CHECKED.findall(html) + _SELECTED.findall(html)}
    return {"csrf_token": _CSRF.search(html).group(1), **found}


def prepare(stack: Stack) -> tuple[httpx.Client, str, httpx.Client, str]:
    """``(link client, form 2/3 URL, dealer client, Accueil URL)`` once 51 hand-offs are in: the
    declaration link opened and page 1/3 validated, and the dealer logged in."""
    base = stack.url("centralisateur")
    factory = Factory(99)
    with httpx.Client(verify=tls_context(), base_url=base, headers={"Authorization": "Bearer demo-tec3h"}, timeout=30) as api:
        for _ in range(DECLARATIONS - 1):
            api.post("/api/v1/handoffs", json=factory.handoff(rrdi=RRDI)).raise_for_status()
        receipt = api.post("/api/v1/handoffs", json=factory.handoff(rrdi=RRDI)).json()
    link = httpx.Client(verify=tls_context(), follow_redirects=True, timeout=30)
    page1 = link.get(receipt["declaration_url"])
    form = link.post(str(page1.url), data=_choices(page1.text))
    if "/formulaire" not in str(form.url):
        raise RuntimeError(f"page 1/3 non validée : {form.status_code} {form.url}")
    dealer = httpx.Client(verify=tls_context(), base_url=base, follow_redirects=True, timeout=30)
    login = dealer.get("/connexion")
    login_of = next(d["login"] for d in reference.demo_dealers() if d["rrdi"] == RRDI)
    home = dealer.post("/connexion", data={"csrf_token": _CSRF.search(login.text).group(1), "email": login_of,
                                           "password": keys.demo_dealer_password(RRDI)})
    if home.url.path != "/":
        raise RuntimeError(f"connexion refusée : {home.status_code} {home.url}")
    return link, str(form.url), dealer, base + "/"


def measure() -> dict:
    """Median milliseconds of form 2/3 and of Accueil (each answered 200, no redirect), and the CPU
    milliseconds per request of this process (``form_cpu``, ``home_cpu``: HTTP client and server)."""
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare"],
                      extra_config={"centralisateur": {"DEMO_PROFILES_CONFIGURED": True}}).start()
        try:
            stack.wait_ready()
            link, form_url, dealer, home_url = prepare(stack)
            figures = {}
            for name, client, url in (("form", link, form_url), ("home", dealer, home_url)):
                def get(client=client, url=url):
                    response = client.get(url, follow_redirects=False)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url} : HTTP {response.status_code}")
                timed(get, 20)  # warm-up: templates compiled, caches filled
                cpu = time.process_time()
                figures[name] = statistics.median(timed(get, RUNS)) * 1000
                # client and server share this process: its CPU per request is what a page costs,
                # whatever the wait for a core on a loaded machine adds to the wall clock
                figures[name + "_cpu"] = (time.process_time() - cpu) / RUNS * 1000
            link.close()
            dealer.close()
        finally:
            stack.stop()
    return figures


def rows() -> list[dict]:
    """The page figures of issue 15's table: ``{figure, now, target}``."""
    m = measure()
    return [{"figure": "form 2/3 render (pre-filled from the hand-off), over HTTP",
             "now": f"{m['form']:.1f} ms (CPU {m['form_cpu']:.1f} ms/req, client + server)", "target": "≤ 5 ms"},
            {"figure": f"Accueil with {DECLARATIONS} declarations, over HTTP",
             "now": f"{m['home']:.1f} ms (CPU {m['home_cpu']:.1f} ms/req, client + server)", "target": "≤ 5 ms"}]


def run() -> list[str]:
    return [f"{r['figure']:<62} {r['now']}   (target {r['target']})" for r in rows()]
