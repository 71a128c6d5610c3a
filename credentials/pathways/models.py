"""Tables of credentials.pathways (filled by the feature)."""

from __future__ import annotations
