"""Tables of matching.contact (filled by the feature)."""

from __future__ import annotations
