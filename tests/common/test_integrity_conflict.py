"""common.web's answer to an integrity failure a view did not foresee: a unique-key clash (the same form
sent twice at once) is a French 409 saying nothing was stored twice; any other one (NOT NULL) is our
bug, the generic French 500 — never the 409's reassurance, never a stack trace."""
from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine

from common.web import CONFLICT_MESSAGE, HTTP_MESSAGES, csrf, make_app

_ROWS = Table("rows", MetaData(), Column("id", Integer, primary_key=True),
              Column("code", String, unique=True, nullable=False))


@pytest.fixture()
def client(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'rows.db'}")
    _ROWS.metadata.create_all(engine)
    app = make_app(__name__, {"DATA_DIR": str(tmp_path), "TESTING": True})

    @app.post("/rows/<code>")
    @app.post("/api/rows/<code>")  # the API answers in JSON
    @csrf.exempt  # the handler is what is tested, not the form's token
    def add(code: str):
        with engine.begin() as conn:
            conn.execute(_ROWS.insert().values(code=None if code == "none" else code))
        return "stored", 201

    with app.test_client() as c:
        yield c
    engine.dispose()


def test_a_unique_clash_is_a_french_409_and_the_first_row_stays(client):
    assert client.post("/rows/A1").status_code == 201
    again = client.post("/api/rows/A1")
    assert again.status_code == 409
    assert again.get_json() == {"errors": [{"field": None, "message": CONFLICT_MESSAGE}]}
    page = client.post("/rows/A1")
    assert page.status_code == 409 and "double clic" in page.get_data(as_text=True)


def test_another_integrity_failure_is_the_generic_500_without_a_trace(client):
    answer = client.post("/api/rows/none")
    assert answer.status_code == 500
    assert answer.get_json() == {"errors": [{"field": None, "message": HTTP_MESSAGES[500]}]}
    page = client.post("/rows/none").get_data(as_text=True)
    assert "NOT NULL" not in page and "Traceback" not in page and "double clic" not in page
