"""A DMS written the way a vendor would, with nothing of ours: httpx and the standard library only.

It follows a certification session's JSON (``Accept: application/json``) and does what each
scenario's instructions say, receives signed callbacks on its own HTTP server (signature, timestamp,
delivery id checked) and may poll the status API. ``faults`` turns it into the faulty DMS variants
the plan must catch: drop_fields, new_order_on_resend, ignore_signature, never_ack, hammer_status, and
dedupe_on_signature (refuses a byte-for-byte replay but applies a retried delivery again, whatever it says).
"""
from __future__ import annotations

import copy
import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from spoticar_handoff.client import tls_context

FRESH_SECONDS = 300
DROPPED = (("vehicle", "plate"), ("customer", "birth_place"))


class CallbackServer:
    """The DMS's HTTP endpoint for callbacks (its origin is what the CDS operator allows for it). Each
    DMS attached gets a path of its own, so several DMS may be certified at once on one server."""

    def __init__(self):
        self.receivers: dict[str, object] = {}
        self._paths = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver = server.receivers.get(self.path)
                status = receiver(dict(self.headers), body) if receiver else 503
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.http.server_port}"

    def attach(self, receiver) -> str:
        """A callback URL of its own for ``receiver(headers, body) -> HTTP status``."""
        path = f"/spoticar/callback/{next(self._paths)}"
        self.receivers[path] = receiver
        return self.origin + path

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


class OutsideDms:
    """A vendor's DMS under certification: ``run(declare)`` plays the whole plan."""

    def __init__(self, session_url: str, key: str, server: CallbackServer, faults: frozenset[str] = frozenset()):
        self.session_url, self.key, self.faults = session_url, key, faults
        self.api = httpx.Client(verify=tls_context(), timeout=20, headers={"Authorization": f"Bearer {key}"})
        self.orders: dict[str, dict] = {}        # bdc → what the DMS shows on its order
        self.seen_deliveries: set[str] = set()
        self.last_bdc: str | None = None        # the order of the last sale accepted
        self._refs = itertools.count(1000)
        self.callback_url = server.attach(self.receive)

    def close(self) -> None:
        self.api.close()

    # --- callbacks --------------------------------------------------------------------------------
    def receive(self, headers: dict, body: bytes) -> int:
        """The DMS's callback endpoint: 401 forged or stale, 409 replayed, 200 applied (idempotent)."""
        if "never_ack" in self.faults:
            return 503
        if "ignore_signature" not in self.faults:
            stamp, delivery = headers.get("X-Spoticar-Timestamp", ""), headers.get("X-Spoticar-Delivery", "")
            signed = f"{stamp}.{delivery}.".encode() + body
            wanted = "sha256=" + hmac.new(self.key.encode(), signed, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(wanted, headers.get("X-Spoticar-Signature", "")):
                return 401
            if not stamp.isdigit() or abs(time.time() - int(stamp)) > FRESH_SECONDS:
                return 401
            seen = headers.get("X-Spoticar-Signature") if "dedupe_on_signature" in self.faults else delivery
            if not seen or seen in self.seen_deliveries:
                return 409
            self.seen_deliveries.add(seen)
        state = json.loads(body)
        order = self.orders.setdefault(state["bdc_number"], {})
        if order.get("status") not in ("declared", "refused") or "dedupe_on_signature" in self.faults:
            order["status"] = state["status"]      # (a late, stale state never goes back, unless faulty)
        if "dedupe_on_signature" in self.faults:
            order["contract_number"] = state.get("contract_number")
        else:
            order["contract_number"] = order.get("contract_number") or state.get("contract_number")
        return 200

    # --- the hand-off -----------------------------------------------------------------------------
    def send(self, sale: dict, ref: str) -> httpx.Response:
        body = {**copy.deepcopy(sale), "dms_order_ref": ref, "callback_url": self.callback_url}
        if "drop_fields" in self.faults:
            for section, name in DROPPED:
                body[section].pop(name, None)
        response = self.api.post(self.base() + "/api/v1/handoffs", json=body)
        if response.status_code in (200, 201):
            self.last_bdc = response.json()["bdc_number"]
            self.orders.setdefault(self.last_bdc, {"status": "pending"})
            httpx.get(response.json()["declaration_url"], follow_redirects=True, timeout=20)  # opens the link
        return response

    def base(self) -> str:
        return self.session_url.split("/certification/")[0]

    def state(self) -> dict:
        return self.api.get(self.session_url, headers={"Accept": "application/json"}).json()

    def poll(self, bdc: str) -> None:
        """Ask for the status until final, once a second (every 20 ms when hammering, and on and on)."""
        pause, rounds = (0.02, 60) if "hammer_status" in self.faults else (1.0, 30)
        for _ in range(rounds):
            answer = self.api.get(f"{self.base()}/api/v1/declarations/{bdc}")
            if answer.status_code == 200 and answer.json()["status"] in ("declared", "refused") \
                    and "hammer_status" not in self.faults:
                return
            time.sleep(pause)

    def play(self, scenario: dict, declare) -> None:
        """Do what the scenario asks; ``declare(declaration_url, sale)`` is the dealer's part."""
        sale, ref = scenario["sale"], str(next(self._refs))
        if sale is None:
            return
        first = self.send(sale, ref)
        if scenario["id"] == "handoff-resend":
            self.send(sale, str(next(self._refs)) if "new_order_on_resend" in self.faults else ref)
        elif scenario["id"] == "handoff-correction":
            corrected = copy.deepcopy(sale)
            for path, value in scenario["correction"].items():
                section, name = path.split(".")
                corrected[section][name] = value
            self.send(corrected, str(next(self._refs)) if "new_order_on_resend" in self.faults else ref)
        elif scenario["id"] in ("callback-acknowledged", "contract-pending-then-declared"):
            declare(first.json()["declaration_url"], sale)
            self.poll(first.json()["bdc_number"])

    def read_back(self) -> None:
        """The session sent its callbacks again: tell it what the DMS shows for the declared order."""
        order = self.orders.get(self.last_bdc or "", {})
        self.api.post(self.session_url + "/readback", json={"contract_number": order.get("contract_number"),
                                                            "status": order.get("status")})

    def run(self, declare, deadline_seconds: float = 180) -> dict:
        """Play the plan until the session is finished; the final session state."""
        deadline, played = time.monotonic() + deadline_seconds, set()
        state = self.state()
        while state["current"] and time.monotonic() < deadline:
            if state["current"] not in played:
                played.add(state["current"])
                self.play(next(s for s in state["scenarios"] if s["id"] == state["current"]), declare)
            elif state.get("awaiting_readback"):
                self.read_back()
            time.sleep(0.2)
            state = self.state()
        return state
