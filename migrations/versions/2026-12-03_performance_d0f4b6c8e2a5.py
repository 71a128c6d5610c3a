"""performance: caches and index load (issue 11)

``matching_candidate``: the candidate index's stored rows (matching.candidates). Created empty: the
first index load of a server fills in every discoverable person without a row (and rebuilds rows of
another layout), so existing databases need no separate backfill step.

Revision ID: d0f4b6c8e2a5
Revises: b8d2f4a6c0e3
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'd0f4b6c8e2a5'
down_revision: str | None = 'b8d2f4a6c0e3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'matching_candidate',
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('layout', sa.Integer(), nullable=False),
        sa.Column('packed', sa.LargeBinary(), nullable=False),
        sa.Column('show_name', sa.Boolean(), nullable=False),
        sa.Column('prefecture', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('person_id'),
    )


def downgrade() -> None:
    op.drop_table('matching_candidate')
