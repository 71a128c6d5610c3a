"""performance: caches and index load (issue 11)

Revision ID: d0f4b6c8e2a5
Revises: c9e3a5b7d1f4
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'd0f4b6c8e2a5'
down_revision: str | None = 'c9e3a5b7d1f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled in by the work on this change, or removed before landing


def downgrade() -> None:
    pass
