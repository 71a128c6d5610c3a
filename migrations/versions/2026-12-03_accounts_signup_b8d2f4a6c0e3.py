"""accounts: non-revealing sign-up and mail outbox (issue 11)

Revision ID: b8d2f4a6c0e3
Revises: a7c1e3f5b9d2
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'b8d2f4a6c0e3'
down_revision: str | None = 'a7c1e3f5b9d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled in by the work on this change, or removed before landing


def downgrade() -> None:
    pass
