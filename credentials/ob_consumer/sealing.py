"""Secrets of a Host connection at rest: AES-256-GCM under a key derived from ``settings.master_key``
(HKDF-SHA256, a salt of its own), bound to the connection's id, so a sealed value copied onto another
row does not open."""

from __future__ import annotations

import json
import uuid
from typing import Any

from core.sealing import Sealer

_SEALER = Sealer(b"skillpass/ob-consumer", b"skillpass ob consumer secrets v1", version=b"\x01")


def seal(value: Any, connection_id: uuid.UUID, master_key: str) -> bytes:
    """Any JSON value, sealed."""
    return _SEALER.seal(master_key, json.dumps(value, separators=(",", ":")).encode(), connection_id.bytes)


def unseal(sealed: bytes, connection_id: uuid.UUID, master_key: str) -> Any:
    return json.loads(_SEALER.open(master_key, sealed, connection_id.bytes))
