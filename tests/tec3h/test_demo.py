"""Demo data: deterministic per seed, with the seed's vehicles, and printed by ``up``."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from common.keys import demo_dms_keys
from simulators import tec3h
from simulators.tec3h.store import Customer, Order, Vehicle

DEMO_KEYS = demo_dms_keys()  # the apps under test run in demo mode

pytestmark = pytest.mark.tec3h


def _stock(tmp_path, seed: int) -> tuple[list, list]:
    app = tec3h.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True})
    tec3h.seed_demo(app, seed)
    tec3h.seed_demo(app, seed)  # a second call adds nothing
    with app.app_context():
        session = app.extensions["db"].session
        vehicles = [(v.reference, v.plate, v.version)
                    for v in session.scalars(select(Vehicle).order_by(Vehicle.id))]
        customers = [(c.id, c.email) for c in session.scalars(select(Customer).order_by(Customer.id))]
        assert len(session.scalars(select(Order)).all()) == 1
    app.extensions["harness_stop"]()
    return vehicles, customers


def test_same_seed_same_demo_data_and_the_seed_vehicles_are_there(tmp_path):
    first = _stock(tmp_path / "a", 0)
    assert first == _stock(tmp_path / "b", 0)
    assert first != _stock(tmp_path / "c", 1)
    plates = {plate for _ref, plate, _version in first[0]}
    assert {"DL-342-MP", "FE-260-RZ", "FY-202-WD"} <= plates and len(first[0]) > 20
    assert first[1][0][0] == 120810


def test_demo_info_names_the_dealer_and_the_key(tmp_path):
    app = tec3h.create_app({"DATA_DIR": str(tmp_path), "DEMO_MODE": True})
    lines = "\n".join(tec3h.demo_info(app))
    assert "AXILOG DEMO (953617Z)" in lines and DEMO_KEYS["tec3h"] in lines and "/stock" in lines
    with pytest.raises(ValueError):
        tec3h.create_app({"DATA_DIR": str(tmp_path / "prod"), "DEMO_MODE": False})
