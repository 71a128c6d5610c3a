"""Password hashing (argon2) and API key material."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps sign-in timing the same either way.
_DUMMY_HASH = _hasher.hash("skillpass-dummy-password")

API_KEY_PREFIX = "skp_"
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_api_key() -> tuple[str, str, str]:
    """Return (the key to show once, its lookup prefix, its SHA-256 hash)."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[: len(API_KEY_PREFIX) + 8], hash_api_key(key)


def hash_api_key(key: str) -> str:
    # API keys carry 256 bits of entropy, so a fast hash is enough (unlike passwords).
    return hashlib.sha256(key.encode()).hexdigest()
