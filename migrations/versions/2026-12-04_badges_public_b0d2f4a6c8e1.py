"""badges_public: issue 14: badge images, baked OB 3.0 badges, public badge pages

(placeholder: the tables come with the feature)

Revision ID: b0d2f4a6c8e1
Revises: a9c1e3f5b7d8
Create Date: 2026-12-04 03:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = 'b0d2f4a6c8e1'
down_revision: str | None = 'a9c1e3f5b7d8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
