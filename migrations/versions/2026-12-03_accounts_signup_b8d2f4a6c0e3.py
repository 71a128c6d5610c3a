"""accounts: non-revealing sign-up and mail outbox (issue 11)

Revision ID: b8d2f4a6c0e3
Revises: a7c1e3f5b9d2
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'b8d2f4a6c0e3'
down_revision: str | None = 'a7c1e3f5b9d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'mail_outbox',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('message_sealed', sa.LargeBinary(), nullable=False),
        sa.Column('link_sealed', sa.LargeBinary(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        _when('next_attempt_at', False),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        _when('created_at', False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_mail_outbox_next_attempt_at'), 'mail_outbox', ['next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_mail_outbox_next_attempt_at'), table_name='mail_outbox')
    op.drop_table('mail_outbox')
