"""index profile change times

Revision ID: bd23b718d100
Revises: 922ee86c2ccc
Create Date: 2026-11-29 14:40:42.745270+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'bd23b718d100'
down_revision: str | None = '922ee86c2ccc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('skill_learner_settings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_learner_settings_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('skill_profile_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_profile_snapshot_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('skill_profile_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_profile_snapshot_created_at'))

    with op.batch_alter_table('skill_learner_settings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_learner_settings_updated_at'))

