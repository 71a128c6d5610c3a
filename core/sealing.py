"""Secrets at rest: AES-256-GCM under a key derived from ``settings.master_key`` with HKDF-SHA256, one
derivation (salt, info) per purpose, each value bound to its row (associated data), so a sealed value
copied onto another row does not open. The stored form is ``version || 12-byte nonce || ciphertext+tag``
(the version is empty for the purposes that never had one)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE = 12


@lru_cache(maxsize=32)
def _aead(master_key: str, salt: bytes | None, info: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(master_key.encode("utf-8")))


@dataclass(frozen=True)
class Sealer:
    """One purpose's sealing (e.g. ``Sealer(b"skillpass/webhook-secrets", b"skillpass webhook secrets v1")``)."""

    salt: bytes | None
    info: bytes
    version: bytes = b""

    def seal(self, master_key: str, plain: bytes, bound_to: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return self.version + nonce + _aead(master_key, self.salt, self.info).encrypt(nonce, plain, bound_to)

    def open(self, master_key: str, sealed: bytes, bound_to: bytes) -> bytes:
        """The plain bytes; ``ValueError`` for another version, ``cryptography.exceptions.InvalidTag``
        for another master key, another row or an altered value."""
        if not sealed or sealed[: len(self.version)] != self.version:
            raise ValueError("unknown encryption version")
        body = sealed[len(self.version):]
        return _aead(master_key, self.salt, self.info).decrypt(body[:NONCE], body[NONCE:], bound_to)
