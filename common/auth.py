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


def hash_password(password: str) -> str:
    method = TEST_KDF if os.environ.get("SPOTICAR_TEST_KDF") == "1" else "scrypt"
    return generate_password_hash(password, method=method)


def check_password(stored: str, password: str) -> bool:
    return check_password_hash(stored, password)

