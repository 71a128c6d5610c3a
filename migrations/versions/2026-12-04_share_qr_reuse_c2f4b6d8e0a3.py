"""share_qr_reuse: issue 16: placeholder (share links reusable by a QR code)

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
    pass


def downgrade() -> None:
    pass
