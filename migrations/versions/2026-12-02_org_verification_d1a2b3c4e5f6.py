"""organisation verification

Revision ID: d1a2b3c4e5f6
Revises: c0e1a1f2b3d4
Create Date: 2026-12-02 17:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'd1a2b3c4e5f6'
down_revision: str | None = 'c0e1a1f2b3d4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_state', sqlmodel.sql.sqltypes.AutoString(length=20),
                                      nullable=False, server_default='unverified'))
        batch_op.create_index(batch_op.f('ix_organization_verification_state'), ['verification_state'], unique=False)
    # the default only fills existing rows; the model sets the value from now on
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.alter_column('verification_state', server_default=None)

    op.create_table('org_verification_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('corporate_number', sqlmodel.sql.sqltypes.AutoString(length=13), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=253), nullable=False),
    sa.Column('domain_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('domain_method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('domain_check', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('domain_checked_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('gbiz_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('submitted_by', sa.Uuid(), nullable=True),
    sa.Column('submitted_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Uuid(), nullable=True),
    sa.Column('decided_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by'], ['person.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('org_verification_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_verification_request_org_id'), ['org_id'], unique=True)

    op.create_table('org_verification_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('from_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('to_state', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('org_verification_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_verification_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_verification_event_org_id'), ['org_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('org_verification_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_verification_event_org_id'))
        batch_op.drop_index(batch_op.f('ix_org_verification_event_at'))
    op.drop_table('org_verification_event')
    with op.batch_alter_table('org_verification_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_verification_request_org_id'))
    op.drop_table('org_verification_request')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organization_verification_state'))
        batch_op.drop_column('verification_state')
