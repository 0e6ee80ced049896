"""API keys and passwords: constant-time key checks, a modern KDF for passwords."""
from __future__ import annotations

import hashlib
import hmac

from flask import request
from werkzeug.security import check_password_hash, generate_password_hash



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
    return generate_password_hash(password, method="scrypt")


def check_password(stored: str, password: str) -> bool:
    return check_password_hash(stored, password)

