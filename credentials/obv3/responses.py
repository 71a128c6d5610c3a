"""The body of a getCredentials answer, shared by the OB 3.0 and CLR 2.0 APIs (both specs give it one shape)."""

from __future__ import annotations

from typing import Any


def response_body(held: list[Any]) -> dict[str, Any]:
    """``compactJwsString`` for VC-JWT credentials, ``credential`` (JSON-LD) otherwise; a key only when it
    has entries."""
    body: dict[str, Any] = {}
    for item in held:
        if item.jwt:
            body.setdefault("compactJwsString", []).append(item.jwt)
        else:
            body.setdefault("credential", []).append(item.document)
    return body
