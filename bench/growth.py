"""Growth curve: the dealer's pages with 1k, 10k and 100k declarations (and as many Icare contracts).

The data sets are generated here (never committed), bulk-inserted through the apps' own tables into
fresh databases under a temporary directory; each page is then timed through the app's test client
(the same for every size), after one warm-up request. ``SPOTICAR_BENCH_GROWTH_SIZES=1000,10000``
bounds the run (the default prints all three sizes). With ``DATABASE_URL`` set (``bash
scripts/with-postgres.sh .venv/bin/python -m bench growth``) the apps run on that PostgreSQL database
instead, emptied after each size.
"""
from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from fixtures import reference
from fixtures.factories import Factory
from fixtures.icare_factories import icare_sale

RRDI = "953617Z"
PASSWORD = "Garage-Lyon-2026!x"
SIZES = (1_000, 10_000, 100_000)
RUNS = 7
STATUSES = ("declared",) * 6 + ("contract_pending", "pending", "pending", "refused")
TEMPLATES = 200  # distinct fake customers/vehicles, cycled (Faker for 100k rows would dominate)


def _sizes() -> tuple[int, ...]:
    raw = os.environ.get("SPOTICAR_BENCH_GROWTH_SIZES")
    return tuple(int(s) for s in raw.split(",")) if raw else SIZES


def _database() -> dict:
    """The apps' database: DATABASE_URL when set (PostgreSQL), else SQLite files under DATA_DIR."""
    url = os.environ.get("DATABASE_URL")
    return {"DATABASE_URL": url} if url else {}


def _chunks(rows, size=5_000):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def centralisateur_rows(n: int, seed: int = 1) -> list[dict]:
    """``n`` declarations of the demo dealer: statuses mixed, declared over the last two years."""
    from spoticar_handoff.models import HandoffIn
    from centralisateur.store import bdc_number
    factory = Factory(seed)
    payloads = []
    for _ in range(TEMPLATES):
        body = factory.handoff()
        body["dealer"]["rrdi"] = RRDI
        payloads.append(HandoffIn.model_validate(body).model_dump(mode="json"))
    now = dt.datetime(2026, 11, 1)
    rows = []
    for i in range(1, n + 1):
        payload = payloads[i % TEMPLATES]
        status = STATUSES[i % len(STATUSES)]
        declared = status in ("declared", "contract_pending", "refused")
        when = now - dt.timedelta(minutes=(n - i) * 730 * 24 * 60 // n)
        customer, vehicle = dict(payload["customer"]), payload["vehicle"]
        # one customer per sale (an RGPD search finds one customer, not one template in 200)
        local, _, domain = (customer.get("email") or "client@example.fr").partition("@")
        customer["email"] = f"{local}.{i}@{domain}"
        payload = {**payload, "customer": customer}
        form = {"last_name": customer.get("last_name"), "first_name": customer.get("first_name"),
                "email": customer.get("email"), "phone": customer.get("phone"),
                "plate": vehicle.get("plate")} if declared else None
        rows.append({"id": i, "bdc_number": bdc_number(RRDI, i), "source_dms": payload["source_dms"],
                     "dms_order_ref": f"BENCH-{i}", "dealer_rrdi": RRDI, "payload": payload, "form": form,
                     "program": "SPOTICAR" if declared else None,
                     "garantisseur": ("stellantis", "auto", "cirano")[i % 3] if declared else None,
                     "status": status, "contract_number": f"{10_000_000_000 + i}" if status == "declared" else None,
                     "icare_attempts": 0, "callback_due": False, "callback_attempts": 0,
                     "created_at": when, "declared_at": when if declared else None})
    return rows


def icare_rows(n: int, code_t: str, seed: int = 2) -> tuple[list[dict], list[dict]]:
    """(NPO records, contracts): ``n`` sales of the demo dealer over the last two years."""
    factory = Factory(seed)
    dealer = reference.demo_dealer(RRDI)
    templates = [icare_sale(factory, dealer) for _ in range(TEMPLATES)]
    npos, contracts = [], []
    today = dt.date(2026, 11, 1)
    for i in range(1, n + 1):
        _, c = templates[i % TEMPLATES]
        start = today - dt.timedelta(days=(n - i) * 730 // n)
        bdc = f"SP{RRDI}{100_000_000 + i}"
        npos.append({"id": i, "reference": f"NPO{i:09d}", "bdc_number": bdc, "code_t": code_t,
                     "plate": c["plate"], "vin": c["vin"], "sale_date": start, "fee_ht": Decimal("30.00"),
                     "created_at": dt.datetime.combine(start, dt.time(9))})
        contracts.append({"id": i, "number": f"{20_000_000_000 + i}", "bdc_number": bdc, "code_t": code_t,
                          "premium_ttc": Decimal("199.00"), "status": "actif", "label": c["label"],
                          "product": c["product"], "duration_months": c["duration_months"], "start_date": start,
                          "end_date": start + dt.timedelta(days=30 * c["duration_months"]),
                          "customer_civility": c["customer"]["civility"],
                          "customer_last_name": c["customer"]["last_name"],
                          "customer_first_name": c["customer"]["first_name"],
                          "customer_email": c["customer"]["email"], "plate": c["plate"], "vin": c["vin"],
                          "brand": c["vehicle"]["brand"], "model": c["vehicle"]["model"],
                          "version": c["vehicle"]["version"], "mileage_km": c["vehicle"]["mileage_km"],
                          "created_at": dt.datetime.combine(start, dt.time(9))})
    return npos, contracts


def _bulk(app, table, rows) -> None:
    with app.extensions["db"].engine.begin() as conn:
        for chunk in _chunks(rows):
            conn.execute(insert(table), chunk)


def _settle(app) -> None:
    """On PostgreSQL, VACUUM ANALYZE the app's tables, as autovacuum soon does after a bulk load:
    without statistics and a visibility map the planner would guess, which a real server does not."""
    db = app.extensions["db"]
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in db.base.metadata.sorted_tables:
            conn.exec_driver_sql(f"VACUUM ANALYZE {table.name}")


def centralisateur_app(tmp: Path, n: int):
    """A fresh centralisateur with ``n`` declarations; (app, logged-in test client, a customer's email)."""
    from centralisateur import create_app, demo_password, seed_demo
    from centralisateur.store import Declaration
    app = create_app({"DATA_DIR": str(tmp / "cds"), "WTF_CSRF_ENABLED": False, "DEMO_MODE": True, **_database()})
    seed_demo(app)
    rows = centralisateur_rows(n)
    _bulk(app, Declaration.__table__, rows)
    client = app.test_client()
    dealer = reference.demo_dealer(RRDI)
    page = client.post("/connexion", data={"email": dealer["login"], "password": demo_password(dealer)})
    assert page.status_code == 302, page.get_data(as_text=True)[:500]
    assert client.get("/rgpd?recherche=zz").status_code == 200  # the app indexes the bulk-loaded rows
    _settle(app)
    return app, client, rows[-1]["payload"]["customer"]["email"]


def icare_app(tmp: Path, n: int):
    """A fresh Icare with ``n`` contracts and NPO records; (app, logged-in test client)."""
    from common.auth import hash_password
    from simulators.icare import create_app, seed_demo
    from simulators.icare.portal_store import Membership, PortalUser
    from simulators.icare.store import Contract, NpoRecord
    app = create_app({"DATA_DIR": str(tmp / "icare"), "ICARE_SERVICE_KEY": "bench-icare-key",
                      "WTF_CSRF_ENABLED": False, **_database()})
    seed_demo(app, 0)
    code_t = reference.demo_dealer(RRDI)["code_t"]
    npos, contracts = icare_rows(n, code_t)
    _bulk(app, NpoRecord.__table__, npos)
    _bulk(app, Contract.__table__, contracts)
    email = "bench@garage-demo.example.fr"
    with app.extensions["db"].transaction() as tx:
        user = PortalUser(email=email, last_name="Banc", first_name="Mesure", password_hash=hash_password(PASSWORD))
        tx.add(user)
        tx.flush()
        tx.add(Membership(user_id=user.id, code_t=code_t, rights=["recherche", "documents"], is_admin=True))
    client = app.test_client()
    page = client.post("/connexion", data={"email": email, "password": PASSWORD})
    assert page.status_code == 302, page.get_data(as_text=True)[:500]
    _settle(app)
    return app, client


def _median_ms(client, path: str) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process) of ``path``: on a loaded machine the wall
    clock mostly measures the wait for a core, the CPU time what the page itself costs in Python
    (the database server's own time is in the wall figure only)."""
    first = client.get(path)  # warm-up (templates, caches, DOCUMENTS' first generation)
    assert first.status_code == 200, (path, first.status_code, first.get_data(as_text=True)[:300])
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(path)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def measure(n: int) -> tuple[dict[str, float], dict[str, float]]:
    """({page: (median wall ms, median CPU ms)}, {step: seconds}) for ``n`` declarations."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        cds, cds_client, email = centralisateur_app(Path(tmp), n)
        icare, icare_client = icare_app(Path(tmp), n)
        generation = time.perf_counter() - start
        pages = {"Accueil": (cds_client, "/"), "Accueil, dernière page": (cds_client, f"/?page={-(-n // 50)}"),
                 "Statistiques": (cds_client, "/statistiques"),
                 "Facturation": (cds_client, "/facturation"),
                 "RGPD (recherche email)": (cds_client, f"/rgpd?recherche={email}"),
                 "Icare contrats": (icare_client, "/contrats"), "Icare DOCUMENTS": (icare_client, "/documents")}
        try:
            figures = {label: _median_ms(client, path) for label, (client, path) in pages.items()}
        finally:
            for app in (cds, icare):
                if _database():  # the next size starts from an empty server database
                    app.extensions.get("harness_stop", lambda: None)()
                    app.extensions["db"].drop_all()
                app.extensions["db"].dispose()
    return figures, {"generation": generation}


TARGET_MS = 50


def rows() -> list[dict]:
    """The curve (printed) and one row per page: its median at each size, against ≤ 50 ms at 100k."""
    sizes = _sizes()
    results = {n: measure(n) for n in sizes}
    pages = list(next(iter(results.values()))[0])
    print(f"  {'median ms (test client, n=' + str(RUNS) + ')':<28}"
          + "".join(f"{f'{n:,}':>18}" for n in sizes) + "   (wall / CPU)")
    for page in pages:
        print(f"  {page:<28}" + "".join(f"{results[n][0][page][0]:10.1f} /{results[n][0][page][1]:6.1f}"
                                        for n in sizes))
    print(f"  {'data generation (s)':<28}" + "".join(f"{results[n][1]['generation']:18.1f}" for n in sizes))
    database = "PostgreSQL" if _database() else "SQLite"
    print(f"  database {database}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    return [{"figure": f"{page}, {database} ({' / '.join(f'{n:,}' for n in sizes)} déclarations)",
             "now": " / ".join(f"{results[n][0][page][0]:.1f}" for n in sizes) + " ms (CPU "
                    + " / ".join(f"{results[n][0][page][1]:.1f}" for n in sizes) + ")",
             "target": f"≤ {TARGET_MS} ms à 100,000"} for page in pages]
