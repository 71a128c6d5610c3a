"""oid4vp: employers' presentation requests (issue 13, part 2)

``oid4vp_request``: an employer's OpenID4VP request (DCQL query, nonce, state, bilingual purpose) and,
once answered, the verdict and only what the holder disclosed.

Revision ID: f2b6d8e0a4c7
Revises: e1a5c7d9f3b6
Create Date: 2026-12-03 11:20:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'f2b6d8e0a4c7'
down_revision: str | None = 'e1a5c7d9f3b6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'oid4vp_request',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('org_id', sa.Uuid(), nullable=False),
        sa.Column('created_by', sa.Uuid(), nullable=True),
        _text('handle', 64),
        _text('nonce', 64),
        _text('state', 64),
        sa.Column('purpose', sa.JSON(), nullable=False),
        sa.Column('wanted', sa.JSON(), nullable=False),
        sa.Column('dcql_query', sa.JSON(), nullable=False),
        _text('status', 20),
        sa.Column('verified', sa.Boolean(), nullable=True),
        sa.Column('result', sa.JSON(), nullable=True),
        _when('expires_at', False),
        _when('answered_at'),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by'], ['person.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('handle'),
        sa.UniqueConstraint('nonce'),
    )
    with op.batch_alter_table('oid4vp_request', schema=None) as batch_op:
        for column in ('org_id', 'created_by'):
            batch_op.create_index(batch_op.f(f'ix_oid4vp_request_{column}'), [column], unique=False)


def downgrade() -> None:
    op.drop_table('oid4vp_request')
