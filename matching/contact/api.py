"""HTTP surface of matching.contact (filled by the feature)."""

from __future__ import annotations

handlers: list = []
