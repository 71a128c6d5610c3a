"""HTTP surface of credentials.obv3 (filled by the feature)."""

from __future__ import annotations

handlers: list = []
