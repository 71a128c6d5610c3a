"""endorsement_withdrawal: issue 14: placeholder (endorsements withdrawn)

Revision ID: c3a5c7e9f1b4
Revises: c2f4b6d8e0a3
Create Date: 2026-12-04 19:30:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c3a5c7e9f1b4'
down_revision: str | None = 'c2f4b6d8e0a3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
