"""contact_presentation: issue 17 / 16: answering a contact request or a job with an OpenID4VP presentation

contact_request.presentation_request_id and job_application.presentation_request_id name the verified
presentation (an ``oid4vp_request`` of the employer, answered by the learner's wallet) the employer sees.

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


TABLES = ('contact_request', 'job_application')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('presentation_request_id', sa.Uuid(), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_presentation_request', 'oid4vp_request',
                                        ['presentation_request_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_presentation_request', type_='foreignkey')
            batch_op.drop_column('presentation_request_id')
