"""oauth_ob_api: issue 14: OAuth 2.0 clients, grants and tokens for the OB 3.0 API

(placeholder: the tables come with the feature)

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = 'b4d6f8a0c2e3'
down_revision: str | None = 'a3c5e7f9b1d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
