"""contact_presentation: issue 17: a contact request answered with an OpenID4VP presentation

Revision ID: c1e3a5b7d9f2
Revises: b0d2f4a6c8e1
Create Date: 2026-12-04 19:30:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'c1e3a5b7d9f2'
down_revision: str | None = 'b0d2f4a6c8e1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
