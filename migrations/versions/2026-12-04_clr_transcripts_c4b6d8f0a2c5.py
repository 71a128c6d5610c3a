"""clr_transcripts: issue 14: issued CLR 2.0 transcripts kept

clr_transcript: every ClrCredential a provider issued (signed document, VC-JWT when issued so, recipient,
achievement count, its status list entry, state active/revoked), so that the provider console lists and
revokes them.

Revision ID: c4b6d8f0a2c5
Revises: c3a5c7e9f1b4
Create Date: 2026-12-04 19:30:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types.datetime
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op


revision: str = 'c4b6d8f0a2c5'
down_revision: str | None = 'c3a5c7e9f1b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'clr_transcript',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('org_id', sa.Uuid(), nullable=False),
        sa.Column('issuer_id', sa.Uuid(), nullable=False),
        sa.Column('recipient_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column('credential_uri', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('jwt', sa.Text(), nullable=True),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('achievement_count', sa.Integer(), nullable=False),
        sa.Column('status_list_id', sa.Uuid(), nullable=True),
        sa.Column('status_index', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('state_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        _when('state_changed_at'),
        _when('created_at', nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issuer_id'], ['issuer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['status_list_id'], ['status_list.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('credential_uri'),
    )
    op.create_index('ix_clr_transcript_org_id', 'clr_transcript', ['org_id'])
    op.create_index('ix_clr_transcript_issuer_id', 'clr_transcript', ['issuer_id'])
    op.create_index('ix_clr_transcript_recipient_email', 'clr_transcript', ['recipient_email'])
    op.create_index('ix_clr_transcript_state', 'clr_transcript', ['state'])


def downgrade() -> None:
    op.drop_index('ix_clr_transcript_state', table_name='clr_transcript')
    op.drop_index('ix_clr_transcript_recipient_email', table_name='clr_transcript')
    op.drop_index('ix_clr_transcript_issuer_id', table_name='clr_transcript')
    op.drop_index('ix_clr_transcript_org_id', table_name='clr_transcript')
    op.drop_table('clr_transcript')
