"""HTTP surface of credentials.clr (filled by the feature)."""

from __future__ import annotations

handlers: list = []
