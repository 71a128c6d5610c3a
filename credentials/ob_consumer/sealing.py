"""Secrets of a Host connection at rest: AES-256-GCM under a key derived from ``settings.master_key``
(HKDF-SHA256, a salt of its own), bound to the connection's id, so a sealed value copied onto another
row does not open."""

from __future__ import annotations

import json
import os
import uuid
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = b"\x01"
_SALT = b"skillpass/ob-consumer"
_INFO = b"skillpass ob consumer secrets v1"


@lru_cache(maxsize=8)
def _aead(master_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(master_key.encode())
    return AESGCM(key)


def seal(value: Any, connection_id: uuid.UUID, master_key: str) -> bytes:
    """Any JSON value, sealed."""
    nonce = os.urandom(12)
    plain = json.dumps(value, separators=(",", ":")).encode()
    return VERSION + nonce + _aead(master_key).encrypt(nonce, plain, connection_id.bytes)


def unseal(sealed: bytes, connection_id: uuid.UUID, master_key: str) -> Any:
    if sealed[:1] != VERSION:
        raise ValueError("unknown OB consumer secret encryption version")
    return json.loads(_aead(master_key).decrypt(sealed[1:13], sealed[13:], connection_id.bytes))
