"""``certify run --dms NAME… --simulator``: the whole plan against our own simulator of each DMS — a
centralisateur and an Icare started for the run, a session opened as a vendor would, the simulator
configured with the session's key and dealer, driven through its ``DmsDriver``, then the reports.
Several DMS are certified at once, on the same centralisateur."""
from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from spoticar_handoff.tls import tls_context

from certification import dealer, report
from certification.cli import fetch
from certification.driver import play
from certification.drivers import driver_class
from harness.runner import Stack

CDS_CONFIG = {"TEST_ROUTES": True, "WORKER_INTERVAL": 0.2, "ICARE_TIMEOUT": 2.0}


def _dealer_step(declaration_url: str, sale: dict) -> None:
    page = dealer.declare(declaration_url, sale)
    if "Votre demande a été effectuée avec succès" not in page:
        raise ValueError("la déclaration dans le centralisateur n'a pas abouti")


def _allow_callbacks(cds_url: str, dms: str, origin: str) -> None:
    """Allow the simulator's private origin for callbacks (the SSRF guard's rule) over HTTP, in the
    centralisateur's database, as every worker reads it. The simulator's port is known only once it
    runs, after the session gave its key: no restart to take it from ``keys add --callback-origin``."""
    allowed = httpx.post(cds_url + "/__test__/callback-origins", json={"dms": dms, "origin": origin}, timeout=30,
                         verify=tls_context())
    if allowed.status_code != 201:
        raise ValueError(f"adresse de rappel du simulateur refusée : HTTP {allowed.status_code} {allowed.text[:300]}")


def certify_simulator(dms: str, out: Path, *, wait_seconds: int = 60, deadline_seconds: float = 900) -> dict:
    """Certify ``simulators.<dms>``; writes the four report files into ``out`` and returns report.json."""
    return certify_simulators([dms], out, wait_seconds=wait_seconds, deadline_seconds=deadline_seconds)[dms]


def certify_simulators(names: list[str], out: Path, *, wait_seconds: int = 60,
                       deadline_seconds: float = 900) -> dict[str, dict]:
    """Certify several of our simulators at once on one centralisateur and Icare, as several vendors
    would: each gets its session (own key, dealer, VINs and Icare outage), its simulator and its driver.
    The reports go to ``out`` for one DMS, to ``out/<dms>`` for several; DMS name → report.json."""
    drivers = {dms: driver_class(dms) for dms in names}   # an unknown DMS is refused before anything starts
    with tempfile.TemporaryDirectory(prefix="spoticar-certify-") as data:
        with Stack(Path(data) / "cds", names=["centralisateur", "icare"],
                   extra_config={"centralisateur": CDS_CONFIG, "icare": {"TEST_ROUTES": True}}) as cds:
            cds.wait_ready()
            with ThreadPoolExecutor(len(names)) as pool:
                runs = {dms: pool.submit(_certify_one, cds, dms, drivers[dms], Path(data) / dms,
                                         out if len(names) == 1 else out / dms, wait_seconds, deadline_seconds)
                        for dms in names}
                return {dms: run.result() for dms, run in runs.items()}


def _certify_one(cds: Stack, dms: str, driver_type, data: Path, out: Path, wait_seconds: int,
                 deadline_seconds: float) -> dict:
    """One simulator's session on ``cds``, played through its driver; its report written to ``out``."""
    created = httpx.post(cds.url("centralisateur") + "/certification/sessions", timeout=30,
                         json={"dms": dms, "wait_seconds": wait_seconds}, verify=tls_context())
    if created.status_code != 201:
        raise ValueError(f"session refusée : HTTP {created.status_code} {created.text[:300]}")
    session = created.json()
    site = {"rrdi": session["dealer"]["rrdi"], "name": f"CERTIFICATION {dms.upper()}",
            "address": "Session de certification", "postcode": "75010", "city": "PARIS", "phone": "",
            "email": "", "code_t": session["dealer"]["code_t"], "dms": dms}
    simulator_config = {"TEST_ROUTES": True, "CENTRALISATEUR_API_KEY": session["key"],
                        "EXTRA_SITES": [site], "TEC3H_RRDI": site["rrdi"]}
    with Stack(data, names=[dms], external_urls={n: cds.url(n) for n in cds.apps},
               extra_config={dms: simulator_config}) as simulator:
        simulator.wait_ready()
        _allow_callbacks(cds.url("centralisateur"), dms, simulator.url(dms))
        driver = driver_type(simulator.url(dms), site["rrdi"])
        try:
            play(driver, session["url"], session["key"], _dealer_step, deadline_seconds=deadline_seconds)
        finally:
            driver.close()
        state, entries = fetch(cds.url("centralisateur"), session["id"], session["key"])
    return report.write(state, entries, out)
