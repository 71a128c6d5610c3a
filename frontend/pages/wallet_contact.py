"""Pages: wallet contact (filled by the feature)."""

from __future__ import annotations

handlers: list = []
