"""Denial-of-service and timing figures: 200 slow connections (slowloris) against the centralisateur
while a second client probes it, login answer times for a known vs an unknown email, and the answer
times of the « forgotten » forms (Icare's password, the Portail B2B's password and identifiant) for
an address that has an account vs one that has none."""
from __future__ import annotations

import re
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.stats import summary
from centralisateur import demo_password
from fixtures import reference
from harness.runner import Stack
from spoticar_handoff.tls import tls_context

SLOW_CONNECTIONS = 200
ATTACK_SECONDS = 12.0
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _slow_client(host: str, port: int, source: str, stop: threading.Event, opened: list) -> None:
    """Open a connection and trickle one header line a second, never finishing the request."""
    try:
        sock = socket.create_connection((host, port), timeout=5, source_address=(source, 0))
        sock.sendall(b"GET /connexion HTTP/1.1\r\nHost: bench\r\n")
        opened.append(1)
        while not stop.wait(1.0):
            sock.sendall(b"X-Lent: 1\r\n")
    except OSError:
        return  # the server closed it: that is the defence working
    finally:
        try:
            sock.close()
        except (OSError, UnboundLocalError):
            pass


def slowloris(stack: Stack, source: str) -> list[str]:
    """200 slow connections from ``source`` while a client on 127.0.0.1 probes every 0.2 s."""
    url = stack.url("centralisateur")
    host, port = "127.0.0.1", int(url.rsplit(":", 1)[1])
    stop, opened, samples, failures = threading.Event(), [], [], 0
    threads = [threading.Thread(target=_slow_client, args=(host, port, source, stop, opened), daemon=True)
               for _ in range(SLOW_CONNECTIONS)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    deadline = time.monotonic() + ATTACK_SECONDS
    with httpx.Client(verify=tls_context(), timeout=5) as probe:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                ok = probe.get(url + "/connexion").status_code == 200
            except httpx.HTTPError:
                ok = False
            samples.append(time.perf_counter() - start)
            failures += not ok
            time.sleep(0.2)
    stop.set()
    for thread in threads:
        thread.join(timeout=3)
    slowest = max(samples) if samples else float("nan")
    return [f"slow connections opened from {source:<15}    {len(opened):8d}",
            summary(f"probe GET /connexion during {ATTACK_SECONDS:.0f} s of slowloris", samples),
            f"probe slowest / failed                          {slowest * 1000:8.2f} ms   {failures} failed"]


def login_timing(stack: Stack, runs: int = 15) -> list[str]:
    """Wrong password for a known email vs any password for an unknown one; each try from its own
    loopback address so throttling (per client) does not enter the figures."""
    dealer = reference.demo_dealers()[0]
    url = stack.url("centralisateur")
    times = {"known": [], "unknown": []}
    for n in range(runs):
        for kind, email in (("known", dealer["login"]), ("unknown", f"inconnu{n}@garage.example.fr")):
            source = f"127.0.{10 + n}.{1 if kind == 'known' else 2}"
            with httpx.Client(verify=tls_context(), base_url=url, timeout=20,
                              transport=httpx.HTTPTransport(local_address=source)) as client:
                token = CSRF_RE.search(client.get("/connexion").text).group(1)
                start = time.perf_counter()
                client.post("/connexion", data={"csrf_token": token, "email": email,
                                                "password": demo_password(dealer) + "x"})
                times[kind].append(time.perf_counter() - start)
    return [summary("login, known email, wrong password", times["known"]),
            summary("login, unknown email", times["unknown"])]


def _b2b_users() -> list[tuple[str, str, str]]:
    return [(s["cofor"], u["identifiant"], u["email"]) for s in reference.load("portail_b2b")["suppliers"]
            for u in s.get("users", [])]


def forgotten_timing(stack: Stack, rounds: int = 4) -> list[str]:
    """Each « forgotten » form for an address with an account (a mail goes: ``rounds`` stays under
    the hourly limit per address) and for one without, interleaved; known ≈ unknown is the aim."""
    convention = [d["convention_email"] for d in reference.demo_dealers() if d.get("convention_email")]
    forms = {  # name: (app, path, [(known fields, unknown fields)])
        "Icare forgot password": ("icare", "/mot-de-passe-oublie", [
            ({"email": e}, {"email": f"inconnu{i}.{{n}}@garage-demo.example.fr"}) for i, e in enumerate(convention)]),
        "B2B lost password": ("portail_b2b", "/mot-de-passe-perdu", [
            ({"identifiant": v, "email": e}, {"identifiant": v, "email": f"inconnu{i}.{{n}}@societe.example.fr"})
            for i, (_c, v, e) in enumerate(_b2b_users())]),
        "B2B lost identifiant": ("portail_b2b", "/identifiant-perdu", [
            ({"cofor": c, "email": e}, {"cofor": c, "email": f"inconnu{i}.{{n}}@societe.example.fr"})
            for i, (c, _v, e) in enumerate(_b2b_users())]),
    }
    lines = []
    for name, (app, path, pairs) in forms.items():
        times = {"known": [], "unknown": []}
        with httpx.Client(verify=tls_context(), base_url=stack.url(app), timeout=20) as client:
            for n in range(rounds):
                for known, unknown in pairs:
                    for kind, fields in (("known", known), ("unknown", unknown)):
                        token = CSRF_RE.search(client.get(path).text).group(1)
                        data = {k: v.format(n=n) for k, v in fields.items()}
                        start = time.perf_counter()
                        client.post(path, data={"csrf_token": token, **data})
                        times[kind].append(time.perf_counter() - start)
        lines += [summary(f"{name}, known address", times["known"]),
                  summary(f"{name}, unknown address", times["unknown"])]
    return lines


def run() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(Path(tmp), names=["centralisateur", "icare", "portail_b2b"]).start()
        stack.wait_ready()
        try:
            return (slowloris(stack, "127.0.0.2") + slowloris(stack, "127.0.0.1")  # other peer, same peer
                    + login_timing(stack) + forgotten_timing(stack))
        finally:
            stack.stop()
