"""share_qr_reuse: issue 16: a share link's token kept sealed (AES-256-GCM under the master key) next to
its hash, so a credential's QR code can show a live link again instead of making a new one each time.
Links made before keep only their hash (NULL here) and cannot be shown again.

Revision ID: c2f4b6d8e0a3
Revises: c1e3a5b7d9f2
Create Date: 2026-12-04 19:30:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c2f4b6d8e0a3'
down_revision: str | None = 'c1e3a5b7d9f2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('skill_share_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_sealed', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('skill_share_link', schema=None) as batch_op:
        batch_op.drop_column('token_sealed')
