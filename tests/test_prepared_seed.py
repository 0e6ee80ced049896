"""The prepared demo password hashes (fixtures/prepared.py) still match the demo passwords."""
from __future__ import annotations

from werkzeug.security import check_password_hash

from common import keys
from fixtures import prepared, reference


def demo_accounts() -> list[tuple[str, str]]:
    """(label, password) of every demo account the seeds hash."""
    b2b = reference.load("portail_b2b")
    admin = reference.demo_dealer("953617Z")
    return ([(f"centralisateur:{d['login']}", keys.demo_dealer_password(d["rrdi"])) for d in reference.demo_dealers()]
            + [(f"icare:{admin['convention_email'].lower()}", keys.demo_icare_password())]
            + [(f"portail_b2b:{u['identifiant']}", b2b["demo_password"])
               for s in b2b["suppliers"] for u in s.get("users", [])])


def test_every_demo_account_has_a_prepared_hash_that_checks(monkeypatch):
    monkeypatch.setenv("SPOTICAR_TEST_KDF", "0")  # as the apps run outside the suites
    stored = prepared._prepared()
    for label, password in demo_accounts():
        hashed = prepared.demo_password_hash(label, password)
        assert hashed == stored[prepared._key(label, password)], label
        assert check_password_hash(hashed, password), label
    assert len(stored) == len(demo_accounts())


def test_a_password_not_prepared_gets_a_fresh_salted_hash():
    first = prepared.demo_password_hash("centralisateur:autre@example.fr", "autre-mot-de-passe")
    second = prepared.demo_password_hash("centralisateur:autre@example.fr", "autre-mot-de-passe")
    assert first != second
    assert check_password_hash(first, "autre-mot-de-passe")


def test_the_suites_hash_demo_passwords_on_the_spot_with_the_cheap_kdf():
    label, password = demo_accounts()[0]
    hashed = prepared.demo_password_hash(label, password)
    assert hashed != prepared._prepared()[prepared._key(label, password)]
    assert hashed.startswith("scrypt:1024:") and check_password_hash(hashed, password)
