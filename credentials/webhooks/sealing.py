"""Endpoint secrets at rest: AES-256-GCM under a key derived from ``settings.master_key`` (HKDF-SHA256),
bound to the endpoint's id (a sealed secret copied onto another endpoint does not open). The secret is
shown once, when it is made; signing opens it for the moment of one delivery."""

from __future__ import annotations

import base64
import os
import uuid

from core.sealing import Sealer

PREFIX = "whsec_"
_SEALER = Sealer(b"skillpass/webhook-secrets", b"skillpass webhook secrets v1", version=b"\x01")


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return PREFIX + base64.b64encode(os.urandom(32)).decode("ascii")


def seal(secret: str, endpoint_id: uuid.UUID, master_key: str) -> bytes:
    return _SEALER.seal(master_key, secret.encode("ascii"), endpoint_id.bytes)


def unseal(sealed: bytes, endpoint_id: uuid.UUID, master_key: str) -> str:
    return _SEALER.open(master_key, sealed, endpoint_id.bytes).decode("ascii")
