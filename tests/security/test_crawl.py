"""A bounded crawl of every app: follow the links a user can follow (logged in where the app has a
login), then send hostile values — Unicode digits, huge numbers, far dates, HTML, binary, very long
text — in every query parameter, every numeric path segment and every form field. No answer may be
a 5xx, and no page may show the HTML it was sent unescaped (reflected or stored XSS)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import httpx
import pytest

from centralisateur import demo_password
from fixtures import reference
from fixtures.factories import Factory
from harness.apps import available_apps
from spoticar_handoff.tls import tls_context

pytestmark = pytest.mark.centralisateur
# the apps in two halves of about the same CPU, each half on one xdist worker with one hostile stack
FIRST_HALF = {"bee2link", "tec3h", "icare", "portail_b2b"}

# one value of each class per field, rotating within a class from field to field
CLASSES = [["²", "³", "٣"], ["99999999999999999999", "31/12/9999", "9999-12-31", "1e400", "-1"],
           ["\x00\x01\x02\x7f", "😀", "' OR 1=1 --"],
           ["<script>alert(1)</script>", "A" * 5000, '"><img src=x onerror=alert(2)>']]
# what a page must never contain as is: the markup sent above, unescaped
INJECTED = re.compile(rb"<script>alert\(1\)</script>|<img src=x onerror=alert\(2\)>")
HOSTILE = [value for values in CLASSES for value in values]
MAX_PAGES, MAX_REQUESTS = 40, 1500
SKIP = re.compile(r"deconnexion|logout|/static/|/outbox|/__|\.(css|js|png|svg|ico)$")
NUMBER = re.compile(r"(?<=/)\d+(?=/|$)")
STRONG = "Crawl-Hostile-2026!x"


class _Page(HTMLParser):
    """Links and forms of one page (inputs with their current value, first option of selects)."""

    def __init__(self):
        super().__init__()
        self.links, self.forms, self._form, self._select = [], [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea") and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].setdefault(a["name"], "")
            else:
                self._form["fields"][a["name"]] = a.get("value") or ""
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(a["name"], "")
        elif tag == "option" and self._select and self._form is not None:
            if not self._form["fields"][self._select] or "selected" in a:
                self._form["fields"][self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _log_in(stack, name: str, client: httpx.Client) -> None:
    """Sign the crawler in where the app has a login, as its user would."""
    token = lambda page: re.search(r'name="csrf_token" value="([^"]+)"', page.text)  # noqa: E731
    if name == "centralisateur":
        dealer = reference.demo_dealer("953617Z")
        page = client.get("/connexion")
        client.post("/connexion", data={"csrf_token": token(page).group(1), "email": dealer["login"],
                                        "password": demo_password(dealer)})
    elif name == "portail_b2b":
        page = client.get("/connexion")
        found = token(page)
        client.post("/connexion", data={**({"csrf_token": found.group(1)} if found else {}),
                                        "identifiant": "V100002",
                                        "password": reference.load("portail_b2b")["demo_password"]})
    elif name == "icare":
        email = reference.demo_dealer("953617Z")["convention_email"]
        page = client.get("/mot-de-passe-oublie")
        client.post("/mot-de-passe-oublie", data={"csrf_token": token(page).group(1), "email": email})
        mail = client.get("/outbox/mails.json", params={"to": email}).json()["mails"][0]
        link = urlsplit(mail["links"][0]).path
        page = client.get(link)
        client.post(link, data={"csrf_token": token(page).group(1), "email": email, "password": STRONG,
                                "confirmation": STRONG})
        page = client.get("/connexion")
        home = client.post("/connexion", data={"csrf_token": token(page).group(1), "email": email,
                                               "password": STRONG})
        assert home.url.path == "/accueil", "the crawler could not log in to Icare"


def _starts(stack, name: str, client: httpx.Client) -> list[str]:
    """Where the crawl begins: the home page, and for the centralisateur a fresh hand-off's form 2/3
    and the RGPD search that lists its customer (pages only a DMS link or a search lead to)."""
    base = stack.url(name)
    if name != "centralisateur":
        return [base + "/"]
    forms, factory = [], Factory(21)
    for _ in range(3):  # a form that accepts a hostile text is declared: the next one goes on
        handoff = factory.handoff()
        receipt = httpx.post(base + "/api/v1/handoffs", json=handoff, timeout=30,
                             headers={"Authorization": "Bearer demo-tec3h"}).json()
        page = client.get(receipt["declaration_url"])
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        forms.append(str(client.post(str(page.url), data={"csrf_token": token, "programme": "SPOTICAR",
                                                          "garantisseur": "stellantis"}).url))
    return forms + [base + "/?page=1", base + "/rgpd?" + urlencode({"recherche": handoff["customer"]["last_name"]}),
                    base + "/"]


class Crawl:
    """One app's crawl: pages found, hostile requests sent, 5xx answers collected."""

    def __init__(self, client: httpx.Client):
        self.client, self.sent, self.failures = client, 0, []
        self.done: set[tuple] = set()   # routes already fuzzed: each once, whatever page leads to it

    def first(self, *key) -> bool:
        """Whether this route (numbers in its path as one: ``/vehicules/N``) with these parameter or
        field names is fuzzed for the first time. A form in every page's layout (a site switcher) or
        each record's copy of the same form would get the same hostile values again, and spend the
        request budget before the routes further on are reached."""
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def send(self, method: str, url: str, **kwargs) -> httpx.Response | None:
        if self.sent >= MAX_REQUESTS:
            return None
        self.sent += 1
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:  # a dropped connection is as bad as a 500
            self.failures.append(f"{method} {url}: {type(exc).__name__}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {url} {str(kwargs.get('data') or '')[:200]} → "
                                 f"{response.status_code}")
        elif "html" in response.headers.get("Content-Type", "") and INJECTED.search(response.content):
            self.failures.append(f"{method} {url} → {response.url}: HTML injected as is "
                                 f"({INJECTED.search(response.content).group().decode()})")
        return response

    def pages(self, start: list[str]) -> list[tuple[str, _Page]]:
        seen, queue, found = set(), list(start), []
        while queue and len(found) < MAX_PAGES:
            url = queue.pop(0)
            if url in seen or SKIP.search(url):
                continue
            seen.add(url)
            response = self.send("GET", url)
            if response is None or "text/html" not in response.headers.get("Content-Type", ""):
                continue
            parsed = _Page()
            parsed.feed(response.text)
            found.append((str(response.url.copy_with(fragment=None)), parsed))
            here = urlsplit(str(response.url)).netloc
            for href in parsed.links:
                target = urljoin(str(response.url), href)
                if urlsplit(target).netloc == here:
                    queue.append(target.split("#")[0])
        return found

    def hostile_queries(self, url: str) -> None:
        parts = urlsplit(url)
        params = parse_qsl(parts.query, keep_blank_values=True)
        if not self.first("GET", NUMBER.sub("N", parts.path), tuple(sorted({key for key, _ in params}))):
            return
        for i, (key, _value) in enumerate(params):
            for value in HOSTILE[i % 4::4]:
                query = urlencode([(k, value if k == key else v) for k, v in params])
                self.send("GET", parts._replace(query=query).geturl())
        segments = parts.path.split("/")
        for i, segment in enumerate(segments):
            if segment.isdigit():
                for value in ("99999999999999999999", "٣", "-1"):
                    path = "/".join(segments[:i] + [value] + segments[i + 1:])
                    self.send("GET", parts._replace(path=path).geturl())

    def hostile_form(self, page_url: str, form: dict) -> None:
        action = urljoin(page_url, form["action"]) if form["action"] else page_url
        if SKIP.search(action):
            return
        fields = form["fields"]
        names = [n for n in fields if n != "csrf_token"]
        target = urlsplit(action)
        if not self.first(form["method"], NUMBER.sub("N", target.path), target.query, tuple(sorted(names))):
            return
        submissions = [{**fields, **{n: value for n in names}} for value in HOSTILE[:5]]  # all at once
        # one field at a time, the HTML class last: a form that accepts it may be done afterwards
        submissions += [{**fields, name: values[i % len(values)]}
                        for values in CLASSES for i, name in enumerate(names)]
        for data in submissions:
            if form["method"] == "get":
                self.send("GET", action, params=data)
            else:
                self.send("POST", action, data=data)


@pytest.mark.parametrize("name", [
    pytest.param(spec.name, marks=pytest.mark.xdist_group(f"hostile_crawl_{1 if spec.name in FIRST_HALF else 2}"))
    for spec in available_apps()])
def test_no_hostile_value_anywhere_gets_a_5xx(hostile_stack, name):
    base = hostile_stack.url(name)
    with httpx.Client(verify=tls_context(), base_url=base, follow_redirects=True, timeout=30) as client:
        _log_in(hostile_stack, name, client)
        crawl = Crawl(client)
        pages = crawl.pages(_starts(hostile_stack, name, client))
        assert pages, f"{name}: aucune page trouvée"
        for url, parsed in pages:
            crawl.hostile_queries(url)
            for form in parsed.forms:
                crawl.hostile_form(url, form)
    assert crawl.failures == [], "\n".join(crawl.failures[:20])
