"""API keys and passwords: constant-time key checks, a modern KDF for passwords."""
from __future__ import annotations

import hashlib
import hmac
import os

from flask import request
from werkzeug.security import check_password_hash, generate_password_hash

# werkzeug's scrypt (n=2**15) costs ~0.3 s of CPU per hash or check, by design. The test suites set
# SPOTICAR_TEST_KDF=1 (root conftest.py) so their thousands of logins and seeded accounts stay
# cheap; a check reads the cost from the stored hash, so either kind of hash keeps verifying.
TEST_KDF = "scrypt:1024:8:1"

def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def key_digest(key: str) -> str:
    """Stored form of an API key (keys are long random strings: a fast hash is enough)."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str | None, digest: str) -> bool:
    return bool(key) and hmac.compare_digest(key_digest(key), digest)


def cheap_kdf() -> bool:
    """True in the test suites (``SPOTICAR_TEST_KDF=1``): passwords are hashed with cheap parameters."""
    return os.environ.get("SPOTICAR_TEST_KDF") == "1"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=TEST_KDF if cheap_kdf() else "scrypt")


def check_password(stored: str, password: str) -> bool:
    return check_password_hash(stored, password)

