"""A DMS written by someone else, from the docs alone: Python's standard library only (no SDK, no httpx).

It plays a certification session unattended, as docs/certification.md §4 describes: it reads the
session's JSON, hands off each scenario's sale (``POST /api/v1/handoffs``), opens the
``declaration_url`` it gets back, receives the signed callbacks on its own HTTP server (signature,
timestamp and delivery id checked; a late, stale state never undoes a declaration), polls the status
once a second until it is final, does the dealer's part in the centralisateur (page 1/3, form 2/3,
« Déclarer et Garantir ») and sends the readback. Run it against a session::

    python examples/vendor_dms.py --session URL --key cs-… --listen 127.0.0.1:8090

Exit status 0 only when every scenario passed. ``--fault NAME`` plays a faulty DMS instead (what the
plan must catch): drop_fields, new_order_on_resend, ignore_signature, never_ack, hammer_status,
dedupe_on_signature (refuses a byte-for-byte replay but applies a retried delivery again),
price_without_vat (sends the price HT, TTC / 1,2), open_first_link_only (opens the first
declaration_url only), late_resend (once the session has judged a scenario, sends a refused demand
again, and the standard sale again under a new order number: a back-off longer than its quiet seconds),
poll_after_final (once a declared order's status is final, keeps polling it once a second until the
session ends),
resend_after_end (sends the first refused sale again under a new order number once every scenario has
its verdict: a back-off longer than the whole plan), reuse_order_ref (sends the DS CERTIFIED sale under
the standard sale's order number: the API answers 200 with that order's bon de commande), foreign_vin
(every hand-off carries a VIN that is not the session's: the training documents' vehicle, serial
ZZZZ), answer_by_position (never computes a signature: a fresh callback is accepted if it is one of
the first two deliveries of its order, refused after; a delivery already received 409),
answer_by_probe_header (never computes a signature: answers a test callback as any header the session
sends with it might say it expects, 401 for a forged or stale one, 409 for one sent again).
"""
from __future__ import annotations

import argparse
import copy
import decimal
import hashlib
import hmac
import html
import itertools
import json
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FRESH_SECONDS = 300          # the tolerance the OpenAPI document advises for X-Spoticar-Timestamp
DROPPED = (("vehicle", "plate"), ("customer", "birth_place"))
FAULTS = ("drop_fields", "new_order_on_resend", "ignore_signature", "never_ack", "hammer_status",
          "dedupe_on_signature", "price_without_vat", "open_first_link_only", "late_resend", "poll_after_final",
          "resend_after_end", "reuse_order_ref", "foreign_vin", "answer_by_position", "answer_by_probe_header")
FINAL = ("declared", "refused")


def call(opener, method: str, url: str, body: dict | bytes | None = None, headers: dict | None = None):
    """One HTTP exchange: (status, parsed JSON or text). A 4xx/5xx is an answer, not an exception."""
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if isinstance(body, dict):
        request.add_header("Content-Type", "application/json")
    try:
        with opener.open(request, timeout=30) as answer:
            status, raw, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    text = raw.decode("utf-8", "replace")
    return status, (json.loads(text) if "json" in kind and text else text)


class CallbackServer:
    """The DMS's endpoint for callbacks (its origin is what the CDS operator allows for it). Each DMS
    attached gets a path of its own, so several can be certified at once on one server."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.receivers: dict[str, object] = {}
        self._paths = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver = server.receivers.get(self.path)
                status = receiver(self.headers, body) if receiver else 404
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

        self.http = ThreadingHTTPServer((host, port), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.origin = f"http://{host}:{self.http.server_port}"

    def attach(self, receiver) -> str:
        """A callback URL of its own for ``receiver(headers, body) -> HTTP status``."""
        path = f"/spoticar/callback/{next(self._paths)}"
        self.receivers[path] = receiver
        return self.origin + path

    def close(self) -> None:
        """Stop listening."""
        self.http.shutdown()
        self.http.server_close()


class _Forms(HTMLParser):
    """The forms of a page as a browser sees them: fields with the values it would submit (a select's
    selected option, else its first; an option without value sends its text; ticked boxes only)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._text: dict | None = None     # the button, option or textarea whose text is being read

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": [], "buttons": [], "options": {}})
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form["options"][self._select] = []
        elif tag == "option" and self._select:
            self._text = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            form["options"][self._select].append(self._text)
        elif tag == "textarea" and a.get("name"):
            self._text = {"name": a["name"], "text": ""}
            form["fields"].append(self._text)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._text = {"name": a.get("name"), "value": a.get("value", ""), "text": ""}
            form["buttons"].append(self._text)

    def handle_data(self, data):
        if self._text is not None:
            self._text["text"] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag in ("option", "textarea", "button"):
            self._text = None

    @staticmethod
    def values(form: dict) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
        """(the (name, value) pairs the form sends as rendered, {select: the values it offers})."""
        fields = [(f["name"], f["text"].removeprefix("\n")) if isinstance(f, dict) else f for f in form["fields"]]
        offered = {}
        for name, options in form["options"].items():
            offered[name] = [o["value"] if o["value"] is not None else o["text"].strip() for o in options]
            chosen = next((i for i, o in enumerate(options) if o["selected"]), 0)
            if options:
                fields.append((name, offered[name][chosen]))
        return fields, offered


def submit(opener, page_url: str, page: str, button: str, choose=None):
    """Press the button labelled ``button`` on ``page``: its form's values as rendered, each select left
    blank set to ``choose(name, options)`` when given; (status, text of the page it leads to, its URL)."""
    parser = _Forms()
    parser.feed(page)
    for form in parser.forms:
        pressed = next((b for b in form["buttons"] if b["text"].strip() == button), None)
        if pressed is None:
            continue
        fields, offered = _Forms.values(form)
        chosen = dict(fields)
        changes = {name: choose(name, [o for o in options if o]) for name, options in offered.items()
                   if choose and not chosen.get(name)}
        fields = [(n, v) for n, v in fields if n not in changes] + list(changes.items())
        if pressed["name"]:
            fields.append((pressed["name"], pressed["value"]))
        target = urllib.parse.urljoin(page_url, form["action"] or page_url)
        request = urllib.request.Request(target, data=urllib.parse.urlencode(fields).encode(), method="POST")
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode(), answer.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), target
    raise ValueError(f"pas de bouton « {button} » sur {page_url}")


def refusal(page: str) -> str:
    """What a refused page tells the user (its role="alert" block), as one line."""
    alert = re.search(r'<(div|p)\b[^>]*role="alert"[^>]*>(.*?)</\1>', page, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", alert.group(2))).split()) if alert else ""


def dealer_declares(declaration_url: str, sale: dict) -> None:
    """The dealer's part in the centralisateur, as a browser: open the link (it opens the dealer's
    session), page 1/3 as offered, form 2/3 as the DMS filled it, « Déclarer et Garantir »."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with browser.open(declaration_url, timeout=30) as answer:
        url, page = answer.url, answer.read().decode()
    # page 1/3: what the DMS did not pre-select, the dealer picks: the sale's label, then the
    # garantisseur its Profil offers (NeoVO leaves both to the dealer)
    label = sale["warranty"]["label"]
    status, page, url = submit(browser, url, page, "Page Suivante",
                               lambda name, options: label if label in options else (options or [""])[0])
    if not url.endswith("/formulaire"):
        raise ValueError(f"page 1/3 refusée ({status}) : {refusal(page)}")
    status, page, _ = submit(browser, url, page, "Déclarer et Garantir")
    if "Votre demande a été effectuée avec succès" not in page:
        raise ValueError(f"formulaire 2/3 refusé ({status}) : {refusal(page)}")


class OutsideDms:
    """A vendor's DMS under certification: ``run(declare)`` plays the whole plan."""

    def __init__(self, session_url: str, key: str, server: CallbackServer, faults: frozenset[str] = frozenset()):
        self.session_url, self.key, self.faults = session_url, key, faults
        self.http = urllib.request.build_opener()
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.orders: dict[str, dict] = {}        # bdc → what the DMS shows on its order
        self.seen_deliveries: set[str] = set()
        self.last_bdc: str | None = None         # the order of the last sale accepted
        self._refs = itertools.count(1000)
        self.first_ref: str | None = None        # the standard sale's order number
        self._opened = False                     # a declaration_url opened already
        self.refused: dict | None = None         # the first sale refused (422)
        self._lingering = threading.Event()      # the faulty DMS's polling after a final status started
        self._done = threading.Event()           # ``run`` is over
        self._lock = threading.Lock()
        self.callback_url = server.attach(self.receive)

    def close(self) -> None:
        """Nothing held between calls (urllib opens a connection per request)."""

    def api(self, method: str, url: str, body: dict | None = None):
        """A call to the centralisateur with the DMS's key."""
        return call(self.http, method, url, body, {"Authorization": f"Bearer {self.key}", "Accept": "application/json"})

    # --- callbacks --------------------------------------------------------------------------------
    def receive(self, headers, body: bytes) -> int:
        """The callback endpoint: 401 forged or stale, 409 replayed, 200 applied (idempotent)."""
        if "never_ack" in self.faults:
            return 503
        if "answer_by_position" in self.faults:
            return self._by_position(headers, body)
        if "answer_by_probe_header" in self.faults:
            told = " ".join(str(v).lower() for k, v in headers.items() if "certification" in k.lower())
            if "bad-signature" in told or "stale" in told:
                return 401
            if "replay" in told or "duplicate" in told or "late-retry" in told:
                return 409
        if "ignore_signature" not in self.faults:
            stamp, delivery = headers.get("X-Spoticar-Timestamp", ""), headers.get("X-Spoticar-Delivery", "")
            signed = f"{stamp}.{delivery}.".encode() + body
            wanted = "sha256=" + hmac.new(self.key.encode(), signed, hashlib.sha256).hexdigest()
            given = headers.get("X-Spoticar-Signature", "").encode("utf-8", "replace")  # bytes: any header
            if not hmac.compare_digest(wanted.encode(), given):
                return 401
            fresh = stamp.isascii() and stamp.isdigit() and len(stamp) <= 12  # int() refuses 4,300+ digits
            if not fresh or abs(time.time() - int(stamp)) > FRESH_SECONDS:
                return 401
            seen = headers.get("X-Spoticar-Signature") if "dedupe_on_signature" in self.faults else delivery
            with self._lock:
                if not seen or seen in self.seen_deliveries:
                    return 409
                self.seen_deliveries.add(seen)
        try:
            state = json.loads(body)
            bdc, status = state["bdc_number"], state["status"]
        except (ValueError, KeyError, TypeError):
            return 400
        with self._lock:
            order = self.orders.setdefault(bdc, {})
            if order.get("status") not in FINAL or "dedupe_on_signature" in self.faults:
                order["status"] = status           # a late, stale state never goes back, unless faulty
            if "dedupe_on_signature" in self.faults:
                order["contract_number"] = state.get("contract_number")
            else:
                order["contract_number"] = order.get("contract_number") or state.get("contract_number")
        return 200

    def _by_position(self, headers, body: bytes) -> int:
        """The faulty DMS that answers the signature probes by their place in the sequence, as they
        once came (correct first, then forged, replayed, stale), never computing a signature."""
        stamp, delivery = headers.get("X-Spoticar-Timestamp", ""), headers.get("X-Spoticar-Delivery", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > FRESH_SECONDS:
            return 401
        try:
            state = json.loads(body)
            bdc = state["bdc_number"]
        except (ValueError, KeyError, TypeError):
            return 400
        with self._lock:
            order = self.orders.setdefault(bdc, {})
            seen = order.setdefault("deliveries", [])
            if delivery in seen:
                return 409
            seen.append(delivery)
            if len(seen) > 2:
                return 401
            if order.get("status") not in FINAL:
                order["status"] = state.get("status")
            order["contract_number"] = order.get("contract_number") or state.get("contract_number")
        return 200

    # --- the hand-off -----------------------------------------------------------------------------
    def base(self) -> str:
        """The centralisateur's URL (the session page lives under it)."""
        return self.session_url.split("/certification/")[0]

    def send(self, sale: dict, ref: str) -> tuple[int, dict]:
        """Hand the order off; a 201/200 opens its declaration_url in the user's browser."""
        body = {**copy.deepcopy(sale), "dms_order_ref": ref, "callback_url": self.callback_url}
        if "foreign_vin" in self.faults and body["vehicle"].get("vin"):
            vin = body["vehicle"]["vin"]
            body["vehicle"]["vin"] = vin[:11] + "ZZZZ" + vin[15:]
        if "drop_fields" in self.faults:
            for section, name in DROPPED:
                body[section].pop(name, None)
        if "price_without_vat" in self.faults and body["sale"].get("price_ttc"):
            without_vat = decimal.Decimal(body["sale"]["price_ttc"]) / decimal.Decimal("1.2")
            body["sale"]["price_ttc"] = str(without_vat.quantize(decimal.Decimal("0.01")))
        status, answer = self.api("POST", self.base() + "/api/v1/handoffs", body)
        if status in (200, 201):
            self.last_bdc = answer["bdc_number"]
            with self._lock:
                self.orders.setdefault(self.last_bdc, {"status": "pending"})
            if "open_first_link_only" not in self.faults or not self._opened:
                call(self.browser, "GET", answer["declaration_url"])
                self._opened = True
        return status, answer

    def judged(self, scenario_id: str) -> None:
        """Wait until the session has given ``scenario_id`` its verdict (the faulty back-off's end)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = self.state()
            if next(s["status"] for s in state["scenarios"] if s["id"] == scenario_id) != "waiting":
                return
            time.sleep(0.2)

    def poll(self, bdc: str) -> None:
        """Ask for the status until final, once a second (every 20 ms when hammering, and on and on)."""
        pause, rounds = (0.02, 60) if "hammer_status" in self.faults else (1.0, 30)
        for _ in range(rounds):
            status, answer = self.api("GET", f"{self.base()}/api/v1/declarations/{bdc}")
            if status == 200 and answer["status"] in FINAL and "hammer_status" not in self.faults:
                if "poll_after_final" in self.faults and not self._lingering.is_set():
                    self._lingering.set()
                    threading.Thread(target=self._poll_on, args=(bdc,), daemon=True).start()
                return
            time.sleep(pause)

    def play(self, scenario: dict, declare) -> None:
        """Do what the scenario asks; ``declare(declaration_url, sale)`` is the dealer's part."""
        sale, ref = scenario["sale"], str(next(self._refs))
        if sale is None:
            return
        if scenario["id"] == "handoff-complete":
            self.first_ref = ref
        elif scenario["id"] == "label-ds-certified" and "reuse_order_ref" in self.faults:
            ref = self.first_ref           # the order number of an earlier sale, kept by mistake
        status, first = self.send(sale, ref)
        if status == 422 and self.refused is None:
            self.refused = sale
        if "late_resend" in self.faults and (status == 422 or scenario["id"] == "handoff-complete"):
            self.judged(scenario["id"])        # backs off until the session has judged the scenario
            self.send(sale, ref if status == 422 else str(next(self._refs)))
        if scenario["id"] == "handoff-resend":
            self.send(sale, str(next(self._refs)) if "new_order_on_resend" in self.faults else ref)
        elif scenario["id"] == "handoff-correction":
            corrected = copy.deepcopy(sale)
            for path, value in scenario["correction"].items():
                section, name = path.split(".")
                corrected[section][name] = value
            self.send(corrected, str(next(self._refs)) if "new_order_on_resend" in self.faults else ref)
        elif scenario["id"] in ("callback-acknowledged", "contract-pending-then-declared") and status in (200, 201):
            declare(first["declaration_url"], sale)
            self.poll(first["bdc_number"])

    def linger(self) -> None:
        """Every scenario has its verdict and the session observes the DMS before its end: a sound DMS
        is done; a faulty one sends a refused sale again."""
        if "resend_after_end" in self.faults and self.refused is not None:
            self.send(self.refused, str(next(self._refs)))
            self.refused = None

    def _poll_on(self, bdc: str) -> None:
        """The faulty DMS's polling of a final status: once a second, on its own thread, until ``run`` ends."""
        while not self._done.wait(1.0):
            self.api("GET", f"{self.base()}/api/v1/declarations/{bdc}")

    def read_back(self) -> None:
        """The session sent its callbacks again: tell it what the DMS shows for the declared order."""
        order = self.orders.get(self.last_bdc or "", {})
        self.api("POST", self.session_url + "/readback", {"contract_number": order.get("contract_number"),
                                                         "status": order.get("status")})

    def state(self) -> dict:
        """The session as JSON."""
        return self.api("GET", self.session_url)[1]

    def run(self, declare=dealer_declares, deadline_seconds: float = 180) -> dict:
        """Play the plan until the session is finished; the final session state."""
        deadline, played = time.monotonic() + deadline_seconds, set()
        state = self.state()
        while state["current"] and time.monotonic() < deadline:
            if state["current"] not in played:
                played.add(state["current"])
                try:
                    self.play(next(s for s in state["scenarios"] if s["id"] == state["current"]), declare)
                except (OSError, ValueError) as exc:  # the scenario's wait ends it, with its evidence
                    print(f"scénario {state['current']} : {exc}", file=sys.stderr, flush=True)
            elif state.get("awaiting_readback"):
                self.read_back()
            elif state.get("observing_until"):
                self.linger()
            time.sleep(0.2)
            state = self.state()
        self._done.set()
        return state


def main(argv: list[str] | None = None) -> int:
    """Play a session; print each scenario's verdict; 0 only when every scenario passed."""
    parser = argparse.ArgumentParser(description="DMS d'exemple joué contre une session de certification")
    parser.add_argument("--session", required=True, help="page de la session (URL)")
    parser.add_argument("--key", required=True, help="clé d'API de la session")
    parser.add_argument("--listen", default="127.0.0.1:0", help="adresse des rappels, HOTE:PORT")
    parser.add_argument("--fault", action="append", choices=FAULTS, default=[], help="DMS fautif")
    parser.add_argument("--deadline", type=float, default=600, help="durée maximale, en secondes")
    args = parser.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    server = CallbackServer(host, int(port))
    try:
        dms = OutsideDms(args.session, args.key, server, frozenset(args.fault))
        print(f"Rappels reçus sur {dms.callback_url}", flush=True)
        final = dms.run(dealer_declares, args.deadline)
    finally:
        server.close()
    for scenario in final["scenarios"]:
        print(f"{scenario['id']:32} {scenario['status']}")
        for finding in scenario["findings"]:
            if finding["level"] != "pass":
                print(f"    {finding['check']} : {finding['message']}")
    passed = not final["current"] and all(s["status"] == "passed" for s in final["scenarios"])
    print("Session réussie" if passed else "Session non réussie")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
