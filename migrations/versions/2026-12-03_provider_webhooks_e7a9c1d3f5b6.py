"""provider_webhooks: issue 17: webhooks, API key scopes and expiry

``webhook_endpoint``: a provider's receiving URLs (secret sealed with AES-256-GCM), ``webhook_message``:
the outbox (one row per event and endpoint, written with the event), ``webhook_attempt``: the delivery
log. ``api_key.scopes`` (existing keys get every scope) and ``api_key.expires_at`` (existing keys: never).

Revision ID: e7a9c1d3f5b6
Revises: d6f8b0c2e4a5
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'e7a9c1d3f5b6'
down_revision: str | None = 'd6f8b0c2e4a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_SCOPES = 'issue read revoke webhooks'


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', sqlmodel.sql.sqltypes.AutoString(length=100),
                                      server_default=ALL_SCOPES, nullable=False))
        batch_op.add_column(_when('expires_at'))

    op.create_table(
        'webhook_endpoint',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('org_id', sa.Uuid(), nullable=False),
        _text('url', 2000),
        _text('description', 200),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('secret_sealed', sa.LargeBinary(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('created_by', sa.Uuid(), nullable=True),
        _when('created_at', False),
        _when('secret_rotated_at'),
        sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by'], ['person.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_endpoint_org_id'), ['org_id'], unique=False)

    op.create_table(
        'webhook_message',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('endpoint_id', sa.Uuid(), nullable=False),
        sa.Column('org_id', sa.Uuid(), nullable=False),
        _text('event_type', 40),
        sa.Column('payload', sa.JSON(), nullable=False),
        _text('state', 20),
        sa.Column('attempts', sa.Integer(), nullable=False),
        _when('next_attempt_at'),
        sa.Column('last_status', sa.Integer(), nullable=True),
        _text('last_error', 200, nullable=True),
        _when('created_at', False),
        _when('delivered_at'),
        sa.ForeignKeyConstraint(['endpoint_id'], ['webhook_endpoint.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('webhook_message', schema=None) as batch_op:
        for column in ('created_at', 'endpoint_id', 'next_attempt_at', 'org_id', 'state'):
            batch_op.create_index(batch_op.f(f'ix_webhook_message_{column}'), [column], unique=False)

    op.create_table(
        'webhook_attempt',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('message_id', sa.Uuid(), nullable=False),
        sa.Column('attempt', sa.Integer(), nullable=False),
        _when('at', False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=False),
        _text('error', 200, nullable=True),
        _when('next_retry_at'),
        sa.ForeignKeyConstraint(['message_id'], ['webhook_message.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_attempt_message_id'), ['message_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('webhook_attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_attempt_message_id'))
    op.drop_table('webhook_attempt')
    with op.batch_alter_table('webhook_message', schema=None) as batch_op:
        for column in ('state', 'org_id', 'next_attempt_at', 'endpoint_id', 'created_at'):
            batch_op.drop_index(batch_op.f(f'ix_webhook_message_{column}'))
    op.drop_table('webhook_message')
    with op.batch_alter_table('webhook_endpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_endpoint_org_id'))
    op.drop_table('webhook_endpoint')
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scopes')
