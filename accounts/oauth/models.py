"""Tables of accounts.oauth (filled by the feature)."""

from __future__ import annotations
