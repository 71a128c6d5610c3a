"""provider_webhooks: issue 17: webhooks, API key scopes and expiry

(placeholder: the tables come with the feature)

Revision ID: e7a9c1d3f5b6
Revises: d6f8b0c2e4a5
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = 'e7a9c1d3f5b6'
down_revision: str | None = 'd6f8b0c2e4a5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
