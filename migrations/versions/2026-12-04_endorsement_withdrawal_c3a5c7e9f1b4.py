"""endorsement_withdrawal: issue 14: an endorsement can be withdrawn by its endorser

Adds to ``endorsement`` the revocation entry of each new endorsement (``status_list_id``, the endorser's
endorsement status list, and ``status_index``, unique within it) and ``withdrawn_at``, set when the
endorser withdraws it (its bit is then set in the re-signed list). Endorsements signed before this
revision carry no status entry: they keep both columns empty.

Revision ID: c3a5c7e9f1b4
Revises: c2f4b6d8e0a3
Create Date: 2026-12-04 19:30:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
from alembic import op


revision: str = 'c3a5c7e9f1b4'
down_revision: str | None = 'c2f4b6d8e0a3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_list_id', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True),
                                      nullable=True))
        batch_op.create_index(batch_op.f('ix_endorsement_status_list_id'), ['status_list_id'], unique=False)
        batch_op.create_unique_constraint('uq_endorsement_status_index', ['status_list_id', 'status_index'])
        batch_op.create_foreign_key('fk_endorsement_status_list', 'status_list', ['status_list_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade() -> None:
    with op.batch_alter_table('endorsement', schema=None) as batch_op:
        batch_op.drop_constraint('fk_endorsement_status_list', type_='foreignkey')
        batch_op.drop_constraint('uq_endorsement_status_index', type_='unique')
        batch_op.drop_index(batch_op.f('ix_endorsement_status_list_id'))
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('status_index')
        batch_op.drop_column('status_list_id')
