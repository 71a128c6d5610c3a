"""wallets_finish: issue 13: SD-JWT share links (skill_share_link.disclosed)

Revision ID: a3c5e7f9b1d2
Revises: f2b6d8e0a4c7
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a3c5e7f9b1d2'
down_revision: str | None = 'f2b6d8e0a4c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('skill_share_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disclosed', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('skill_share_link', schema=None) as batch_op:
        batch_op.drop_column('disclosed')
