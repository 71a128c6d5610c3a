"""OpenID4VCI offers, nonces and holder keys (issue 13)

Revision ID: a7c1e3f5b9d2
Revises: f3c4d5e6a7b8
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = 'a7c1e3f5b9d2'
down_revision: str | None = 'f3c4d5e6a7b8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # reserved: filled in by the work on this change, or removed before landing


def downgrade() -> None:
    pass
