"""email confirmation

Revision ID: c0e1a1f2b3d4
Revises: bd23b718d100
Create Date: 2026-12-02 17:00:00+00:00

Accounts that exist before this revision stay unconfirmed: nobody checked that their address is
theirs, so they claim nothing until they confirm it.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'c0e1a1f2b3d4'
down_revision: str | None = 'bd23b718d100'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
                                      nullable=True))

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by', sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f('ix_organization_created_by'), ['created_by'], unique=False)
        batch_op.create_foreign_key('fk_organization_created_by_person', 'person', ['created_by'], ['id'],
                                    ondelete='SET NULL')

    op.create_table('email_confirmation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('expires_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('used_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('email_confirmation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_confirmation_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_email_confirmation_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('email_confirmation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_confirmation_person_id'))
        batch_op.drop_index(batch_op.f('ix_email_confirmation_created_at'))

    op.drop_table('email_confirmation')

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint('fk_organization_created_by_person', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organization_created_by'))
        batch_op.drop_column('created_by')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
