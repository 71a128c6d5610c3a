"""badges_public: issue 14: badge images, baked OB 3.0 badges, public badge pages

badge_image: a provider's uploaded achievement image; public_badge: the held credentials a learner
shows on a public badge page.

Revision ID: b0d2f4a6c8e1
Revises: a9c1e3f5b7d8
Create Date: 2026-12-04 03:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types.datetime
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = 'b0d2f4a6c8e1'
down_revision: str | None = 'a9c1e3f5b7d8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'badge_image',
        sa.Column('achievement_id', sa.Uuid(), nullable=False),
        sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        _when('updated_at', nullable=False),
        sa.ForeignKeyConstraint(['achievement_id'], ['achievement.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('achievement_id'),
    )
    op.create_table(
        'public_badge',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('held_id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('show_name', sa.Boolean(), nullable=False),
        _when('created_at', nullable=False),
        sa.ForeignKeyConstraint(['held_id'], ['held_credential.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('held_id'),
        sa.UniqueConstraint('token'),
    )
    op.create_index('ix_public_badge_person_id', 'public_badge', ['person_id'])


def downgrade() -> None:
    op.drop_index('ix_public_badge_person_id', table_name='public_badge')
    op.drop_table('public_badge')
    op.drop_table('badge_image')
