"""learner_progress: issue 16: goals, milestones, pathways, saved jobs

(placeholder: the tables come with the feature)

Revision ID: a9c1e3f5b7d8
Revises: f8b0d2e4a6c7
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = 'a9c1e3f5b7d8'
down_revision: str | None = 'f8b0d2e4a6c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
