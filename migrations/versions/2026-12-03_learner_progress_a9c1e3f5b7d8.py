"""learner_progress: issue 16: goals, milestones, pathways, saved jobs

skill_progress_settings: the learner's opt-out of streak and milestones.

Revision ID: a9c1e3f5b7d8
Revises: f8b0d2e4a6c7
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types.datetime
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op


revision: str = 'a9c1e3f5b7d8'
down_revision: str | None = 'f8b0d2e4a6c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'skill_progress_settings',
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('show_motivation', sa.Boolean(), nullable=False),
        _when('updated_at', nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('person_id'),
    )


def downgrade() -> None:
    op.drop_table('skill_progress_settings')
