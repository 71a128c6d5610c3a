"""ob_consumer: issue 14: the OB 3.0 Service Consumer's connections

``ob_host_connection``: one row per learner and other OB 3.0 Host they connect (pending until the
authorization comes back): the Host's URLs from its discovery document, the client id it registered us
under, and the client secret, PKCE verifier and tokens sealed with AES-256-GCM (the state as a digest).

Revision ID: d1a3c5e7f9b1
Revises: c4b6d8f0a2c5
Create Date: 2026-12-06 21:15:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'd1a3c5e7f9b1'
down_revision: str | None = 'c4b6d8f0a2c5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'ob_host_connection',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        _text('host_url', 2000),
        _text('host_name', 200),
        _text('api_url', 2000),
        _text('authorize_url', 2000),
        _text('token_url', 2000),
        _text('revoke_url', 2000, nullable=True),
        _text('client_id', 500),
        sa.Column('client_secret_sealed', sa.LargeBinary(), nullable=False),
        _text('state', 20),
        _text('state_digest', 64, nullable=True),
        sa.Column('verifier_sealed', sa.LargeBinary(), nullable=True),
        sa.Column('authorization_request', sa.Text(), nullable=True),
        sa.Column('tokens_sealed', sa.LargeBinary(), nullable=True),
        _when('access_expires_at'),
        _text('scopes', 1000),
        _when('created_at', False),
        _when('connected_at'),
        _when('used_at'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id', 'host_url', name='uq_ob_host_connection_person_host'),
    )
    with op.batch_alter_table('ob_host_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ob_host_connection_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ob_host_connection_state_digest'), ['state_digest'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ob_host_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ob_host_connection_state_digest'))
        batch_op.drop_index(batch_op.f('ix_ob_host_connection_person_id'))
    op.drop_table('ob_host_connection')
