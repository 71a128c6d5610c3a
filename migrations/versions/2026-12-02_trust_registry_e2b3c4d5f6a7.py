"""trust registry

Revision ID: e2b3c4d5f6a7
Revises: d1a2b3c4e5f6
Create Date: 2026-12-02 17:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'e2b3c4d5f6a7'
down_revision: str | None = 'd1a2b3c4e5f6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('trust_registry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('pinned', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=True),
    sa.Column('imported_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('valid_until', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('entry_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('trust_registry_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('registry_id', sa.Uuid(), nullable=False),
    sa.Column('did', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('name_ja', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['registry_id'], ['trust_registry.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('trust_registry_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trust_registry_entry_did'), ['did'], unique=False)
        batch_op.create_index(batch_op.f('ix_trust_registry_entry_registry_id'), ['registry_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('trust_registry_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trust_registry_entry_registry_id'))
        batch_op.drop_index(batch_op.f('ix_trust_registry_entry_did'))

    op.drop_table('trust_registry_entry')
    op.drop_table('trust_registry')
