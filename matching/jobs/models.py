"""Tables of matching.jobs (filled by the feature)."""

from __future__ import annotations
