"""micro_credentials_clr: issue 14: micro-credential detail on achievement (credits and unit, workload,
qualification level, field of study, language of instruction, result descriptions) and the endorsement table

Revision ID: c5e7a9b1d3f4
Revises: b4d6f8a0c2e3
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'c5e7a9b1d3f4'
down_revision: str | None = 'b4d6f8a0c2e3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


MICRO_COLUMNS = ("credits_available", "credit_unit", "workload_hours", "level_framework", "qualification_level",
                 "field_of_study", "instruction_language", "result_descriptions")


def upgrade() -> None:
    with op.batch_alter_table('achievement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credits_available', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('credit_unit', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column('workload_hours', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('level_framework', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
        batch_op.add_column(sa.Column('qualification_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('field_of_study', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('instruction_language', sqlmodel.sql.sqltypes.AutoString(length=20),
                                      nullable=True))
        batch_op.add_column(sa.Column('result_descriptions', sa.JSON(), nullable=True))

    op.create_table('endorsement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('endorser_org_id', sa.Uuid(), nullable=False),
    sa.Column('achievement_id', sa.Uuid(), nullable=True),
    sa.Column('subject_org_id', sa.Uuid(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['achievement_id'], ['achievement.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['endorser_org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsement_achievement_id'), ['achievement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsement_endorser_org_id'), ['endorser_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsement_subject_org_id'), ['subject_org_id'], unique=False)


def downgrade() -> None:
    op.drop_table('endorsement')
    with op.batch_alter_table('achievement', schema=None) as batch_op:
        for name in reversed(MICRO_COLUMNS):
            batch_op.drop_column(name)
