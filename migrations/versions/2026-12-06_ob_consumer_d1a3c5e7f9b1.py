"""ob_consumer: issue 14: placeholder for the OB 3.0 Service Consumer's connections (filled in by its change)

Revision ID: d1a3c5e7f9b1
Revises: c4b6d8f0a2c5
Create Date: 2026-12-06 21:15:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

revision: str = 'd1a3c5e7f9b1'
down_revision: str | None = 'c4b6d8f0a2c5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
