"""learner_onboarding: issue 16: the terms a person accepted at sign-up, learners' corrections of mapped skills, onboarding done

Revision ID: f8b0d2e4a6c7
Revises: e7a9c1d3f5b6
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'f8b0d2e4a6c7'
down_revision: str | None = 'e7a9c1d3f5b6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('terms_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('terms_accepted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('skill_learner_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('onboarded_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
                                      nullable=True))
    op.create_table('skill_correction',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('record_key', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('skill_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('mapped_level', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('mapped_weight', sa.Float(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'record_key', 'skill_id', name='uq_skill_correction')
    )
    with op.batch_alter_table('skill_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_correction_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('skill_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_correction_person_id'))
    op.drop_table('skill_correction')
    with op.batch_alter_table('skill_learner_settings', schema=None) as batch_op:
        batch_op.drop_column('onboarded_at')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('terms_accepted_at')
        batch_op.drop_column('terms_version')
