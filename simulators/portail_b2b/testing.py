"""Test-only routes of the Portail B2B (``common.testing``): a supplier of the test's own at a given
step of the access timeline, for tests that move a company to its next step, and a personal identifiant
of the test's own, for tests that reset a password (the demo COFOR and identifiants stay as ``up``
seeded them, so the suites pass again on the same stack)."""
from __future__ import annotations

from flask import current_app

from common.auth import hash_password
from common.testing import as_record, body, stored, test_blueprint
from common.web import error_response
from fixtures.factories import Factory
from simulators.portail_b2b.store import STATES, PortalUser, Supplier, SupplierSite

bp = test_blueprint("portail_b2b")

SUPPLIER_FIELDS = ("cofor", "name", "siret", "state", "address", "postcode", "city", "country", "activity")
USER_FIELDS = ("identifiant", "cofor", "first_name", "last_name", "email", "phone", "asl_tiers")


def _record(supplier: Supplier) -> dict:
    return {**as_record(supplier, SUPPLIER_FIELDS), "sites": [{"code": s.code, "name": s.name}
                                                              for s in supplier.sites]}


def _cofor(factory: Factory) -> str:
    """A COFOR of the seed's format (seven digits, a letter), above the demo ones (1002030A…) and
    below the unknown one the tests type (9999999Z)."""
    return f"{factory.rng.randint(2_000_000, 8_999_999)}{factory.rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"


@bp.post("/suppliers")
def create_supplier():
    """Body: seed (Faker), state (one of ``STATES``, ``not_presented`` by default), optional sites
    (codes, ``["01"]`` by default). A supplier with a COFOR no other has; a not presented one has no
    address yet, as in the supplier base."""
    data = body()
    state = data.get("state", "not_presented")
    if state not in STATES:
        return error_response(400, f"État inconnu : {state} (attendu : {', '.join(STATES)}).")
    factory = Factory(int(data.get("seed", 0)))
    presented = state != "not_presented"
    with current_app.extensions["db"].transaction() as session:
        cofor = _cofor(factory)
        while session.get(Supplier, cofor) is not None:  # a seed met again draws on until a free one
            cofor = _cofor(factory)
        session.add(Supplier(cofor=cofor, name=factory.fake.company().upper()[:120], state=state,
                             siret=factory.fake.siret().replace(" ", ""),
                             address=factory.fake.street_address() if presented else "",
                             postcode=factory.fake.postcode() if presented else "",
                             city=factory.fake.city() if presented else "",
                             country="France" if presented else "",
                             activity="Pièces de production" if presented else ""))
        session.flush()
        for code in data.get("sites", ["01"]):
            session.add(SupplierSite(cofor=cofor, code=code, name=f"Site {code}"))
    return stored(Supplier, _record, status=201, cofor=cofor)


@bp.post("/users")
def create_user():
    """Body: cofor (a supplier, e.g. one made by ``/suppliers``), password, seed (Faker), asl_tiers
    (false by default). A personal identifiant no other has, with a Faker name and e-mail address:
    V300000 to V799999, above the demo ones and below the unknown ones tests type (V8…, V9…)."""
    data = body()
    factory = Factory(int(data.get("seed", 0)))
    with current_app.extensions["db"].transaction() as session:
        if session.get(Supplier, str(data.get("cofor", ""))) is None:
            return error_response(400, f"COFOR inconnu : {data.get('cofor')}.", "cofor")
        if not isinstance(data.get("password"), str) or not data["password"]:
            return error_response(400, "Mot de passe : indiquez le mot de passe de l'identifiant.", "password")
        identifiant = f"V{factory.rng.randint(300_000, 799_999)}"
        while session.get(PortalUser, identifiant) is not None:
            identifiant = f"V{factory.rng.randint(300_000, 799_999)}"
        first, last = factory.fake.first_name(), factory.fake.last_name()
        session.add(PortalUser(identifiant=identifiant, cofor=data["cofor"], first_name=first, last_name=last,
                               email=f"{identifiant.lower()}.{factory.fake.free_email()}",
                               phone=factory.fake.phone_number(), asl_tiers=bool(data.get("asl_tiers")),
                               password_hash=hash_password(data["password"])))
    return stored(PortalUser, lambda row: as_record(row, USER_FIELDS), status=201, identifiant=identifiant)


@bp.delete("/public-forms")
def forget_public_forms():
    """The calling client's sendings of the public forms (présentation, COFOR inconnu, Aide & Contact) no
    longer count against their hourly bound: the browser suites, from one address, call it once a run."""
    from common.sessions import forget_public_forms as forget
    from simulators.portail_b2b.store import LoginAttempt
    with current_app.extensions["db"].transaction() as tx:
        return {"forgotten": forget(tx, LoginAttempt)}
