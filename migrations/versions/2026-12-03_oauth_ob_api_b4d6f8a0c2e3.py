"""oauth_ob_api: issue 14: OAuth 2.0 clients, authorization codes and tokens for the OB 3.0 API

Secrets (client secret, code, access and refresh token) are stored as SHA-256 hex digests only; a token
pair remembers the code its grant came from, so a code presented twice revokes what it led to.

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'b4d6f8a0c2e3'
down_revision: str | None = 'a3c5e7f9b1d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def upgrade() -> None:
    op.create_table(
        'ob_oauth_client',
        sa.Column('id', sa.Uuid(), nullable=False),
        _text('client_id', 64),
        _text('secret_hash', 64),
        _text('client_name', 200),
        _text('client_uri', 500),
        _text('logo_uri', 500, nullable=True),
        _text('tos_uri', 500, nullable=True),
        _text('policy_uri', 500, nullable=True),
        sa.Column('redirect_uris', sa.JSON(), nullable=False),
        _text('scope', 1000),
        sa.Column('metadata_json', sa.JSON(), nullable=False),
        _when('created_at', False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('client_id'),
    )
    op.create_table(
        'ob_oauth_code',
        sa.Column('id', sa.Uuid(), nullable=False),
        _text('code_hash', 64),
        _text('client_id', 64),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        _text('redirect_uri', 500),
        _text('scope', 1000),
        _text('code_challenge', 128),
        _when('expires_at', False),
        _when('used_at'),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['client_id'], ['ob_oauth_client.client_id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    _indexes('ob_oauth_code', 'client_id', 'person_id')
    op.create_table(
        'ob_oauth_token',
        sa.Column('id', sa.Uuid(), nullable=False),
        _text('access_hash', 64),
        _text('refresh_hash', 64, nullable=True),
        _text('client_id', 64),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('code_id', sa.Uuid(), nullable=True),
        _text('scope', 1000),
        _when('access_expires_at', False),
        _when('refresh_expires_at'),
        _when('revoked_at'),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['client_id'], ['ob_oauth_client.client_id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['code_id'], ['ob_oauth_code.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('access_hash'),
        sa.UniqueConstraint('refresh_hash'),
    )
    _indexes('ob_oauth_token', 'client_id', 'person_id', 'code_id', 'access_expires_at')


def downgrade() -> None:
    for table, columns in (('ob_oauth_token', ('access_expires_at', 'code_id', 'person_id', 'client_id')),
                           ('ob_oauth_code', ('person_id', 'client_id'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
        op.drop_table(table)
    op.drop_table('ob_oauth_client')
