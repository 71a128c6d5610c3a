"""thin pages: account export/erasure and status enums (issue 12)

Revision ID: c9e3a5b7d1f4
Revises: b8d2f4a6c0e3
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c9e3a5b7d1f4'
down_revision: str | None = 'b8d2f4a6c0e3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled in by the work on this change, or removed before landing


def downgrade() -> None:
    pass
