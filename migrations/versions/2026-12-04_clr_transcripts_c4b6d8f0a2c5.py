"""clr_transcripts: issue 14: placeholder (issued CLR transcripts kept)

Revision ID: c4b6d8f0a2c5
Revises: c3a5c7e9f1b4
Create Date: 2026-12-04 19:30:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c4b6d8f0a2c5'
down_revision: str | None = 'c3a5c7e9f1b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
