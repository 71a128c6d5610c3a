"""email confirmation

Revision ID: c0e1a1f2b3d4
Revises: bd23b718d100
Create Date: 2026-12-02 17:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'c0e1a1f2b3d4'
down_revision: str | None = 'bd23b718d100'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
