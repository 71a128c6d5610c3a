"""Endpoint secrets at rest: AES-256-GCM under a key derived from ``settings.master_key`` (HKDF-SHA256),
bound to the endpoint's id (a sealed secret copied onto another endpoint does not open). The secret is
shown once, when it is made; signing opens it for the moment of one delivery."""

from __future__ import annotations

import base64
import os
import uuid
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
PREFIX = "whsec_"
_SALT = b"skillpass/webhook-secrets"
_INFO = b"skillpass webhook secrets v1"


@lru_cache(maxsize=8)
def _aead(master_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(master_key.encode())
    return AESGCM(key)


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(os.urandom(32)).decode("ascii")


def seal(secret: str, endpoint_id: uuid.UUID, master_key: str) -> bytes:
    nonce = os.urandom(12)
    return VERSION + nonce + _aead(master_key).encrypt(nonce, secret.encode("ascii"), endpoint_id.bytes)


def unseal(sealed: bytes, endpoint_id: uuid.UUID, master_key: str) -> str:
    if sealed[:1] != VERSION:
        raise ValueError("unknown webhook secret encryption version")
    return _aead(master_key).decrypt(sealed[1:13], sealed[13:], endpoint_id.bytes).decode("ascii")
