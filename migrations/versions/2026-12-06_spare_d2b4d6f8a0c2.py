"""spare: no schema change. A placeholder of 2026-12-06 that no change needed; kept so that a database
already upgraded to this revision stays on the chain

Revision ID: d2b4d6f8a0c2
Revises: d1a3c5e7f9b1
Create Date: 2026-12-06 21:15:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

revision: str = 'd2b4d6f8a0c2'
down_revision: str | None = 'd1a3c5e7f9b1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
