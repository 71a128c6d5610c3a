"""accounts: password reset by mail, and a session generation per person (issue 11 follow-up)

``password_reset``: one-time links (SHA-256 of the token) to set a new password.
``person.session_generation``: every session carries the generation it was started in; a password
reset moves it on, which ends the account's other sessions (sessions cannot be listed per person:
they are files on SQLite and opaque ``kv_store`` rows on PostgreSQL). Existing sessions hold no
generation and count as 0, the default, so nobody is signed out by the upgrade.

Revision ID: e1a5c7d9f3b6
Revises: d0f4b6c8e2a5
Create Date: 2026-12-03 10:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'e1a5c7d9f3b6'
down_revision: str | None = 'd0f4b6c8e2a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))

    op.create_table(
        'password_reset',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        _when('created_at', False),
        _when('expires_at', False),
        _when('used_at'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_reset_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_password_reset_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('password_reset', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_reset_person_id'))
        batch_op.drop_index(batch_op.f('ix_password_reset_created_at'))
    op.drop_table('password_reset')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
