"""HTTP surface of OpenID4VCI / OpenID4VP (metadata, token, nonce, credential, presentation endpoints)."""

from __future__ import annotations

handlers: list = []
