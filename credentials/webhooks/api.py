"""HTTP surface of credentials.webhooks (filled by the feature)."""

from __future__ import annotations

handlers: list = []
