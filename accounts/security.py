"""Password hashing (argon2) and API key material."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import expiry
from core.errors import InvalidInput

_hasher = PasswordHasher()
# Verifying against this when the account does not exist keeps sign-in timing the same either way.
_DUMMY_HASH = _hasher.hash("skillpass-dummy-password")

API_KEY_PREFIX = "skp_"
# issue: credentials, batches, courses, offers; read: every GET; revoke: revoke/suspend; webhooks: endpoints
API_KEY_SCOPES = ("issue", "read", "revoke", "webhooks")
API_KEY_DEFAULT_DAYS = 365
API_KEY_MAX_DAYS = 5 * 365
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


def checked_scopes(scopes: list[str] | tuple[str, ...] | None) -> str:
    """The scopes as stored (space-separated, in ``API_KEY_SCOPES`` order); at least one, all known."""
    chosen = {str(s).strip() for s in (scopes or []) if str(s).strip()}
    unknown = sorted(chosen - set(API_KEY_SCOPES))
    if unknown:
        raise InvalidInput(f"Unknown scope: {unknown[0]} (known: {', '.join(API_KEY_SCOPES)}).",
                           field="scopes")
    if not chosen:
        raise InvalidInput("Choose at least one scope.", field="scopes")
    return " ".join(s for s in API_KEY_SCOPES if s in chosen)


def checked_expiry(expires_at: datetime | None, now: datetime | None = None) -> datetime:
    """When a new key stops working: ``API_KEY_DEFAULT_DAYS`` from now when not given; in the future and
    at most ``API_KEY_MAX_DAYS`` away."""
    return expiry.checked_expiry(expires_at, default=timedelta(days=API_KEY_DEFAULT_DAYS),
                                 longest=timedelta(days=API_KEY_MAX_DAYS), now=now,
                                 too_far=f"A key lives at most {API_KEY_MAX_DAYS // 365} years.")
