"""held credential trust, subject and offers

Revision ID: f3c4d5e6a7b8
Revises: e2b3c4d5f6a7
Create Date: 2026-12-02 17:00:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = 'f3c4d5e6a7b8'
down_revision: str | None = 'e2b3c4d5f6a7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'holder_did',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('did', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('did'),
    )
    with op.batch_alter_table('holder_did', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_did_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('held_credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer_did', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('trust_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False,
                                      server_default='untrusted'))
        batch_op.add_column(sa.Column('trust', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False,
                                      server_default='unknown'))
        batch_op.add_column(sa.Column('offer_state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False,
                                      server_default='accepted'))
        batch_op.create_index(batch_op.f('ix_held_credential_issuer_did'), ['issuer_did'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_credential_trust_status'), ['trust_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_held_credential_offer_state'), ['offer_state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('held_credential', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_credential_offer_state'))
        batch_op.drop_index(batch_op.f('ix_held_credential_trust_status'))
        batch_op.drop_index(batch_op.f('ix_held_credential_issuer_did'))
        for column in ('offer_state', 'subject', 'trust', 'trust_status', 'issuer_did'):
            batch_op.drop_column(column)
    with op.batch_alter_table('holder_did', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_did_person_id'))
    op.drop_table('holder_did')
