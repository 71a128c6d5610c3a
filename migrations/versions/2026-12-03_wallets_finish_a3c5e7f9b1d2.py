"""wallets_finish: issue 13: offers from issuance, SD-JWT share links

(placeholder: the tables come with the feature)

Revision ID: a3c5e7f9b1d2
Revises: f2b6d8e0a4c7
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = 'a3c5e7f9b1d2'
down_revision: str | None = 'f2b6d8e0a4c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
