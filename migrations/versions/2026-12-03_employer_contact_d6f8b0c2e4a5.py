"""employer_contact: issue 17: contact requests, shortlists, outcomes

Contact requests and their answers, shortlists per posting, private notes, hiring outcomes.

Revision ID: d6f8b0c2e4a5
Revises: c5e7a9b1d3f4
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op


revision: str = 'd6f8b0c2e4a5'
down_revision: str | None = 'c5e7a9b1d3f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('candidate_note',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_by', sa.Uuid(), nullable=True),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by'], ['person.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'person_id', name='uq_candidate_note_org_person')
    )
    with op.batch_alter_table('candidate_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_note_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_candidate_note_person_id'), ['person_id'], unique=False)

    op.create_table('contact_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('posting_id', sa.Uuid(), nullable=True),
    sa.Column('sent_by', sa.Uuid(), nullable=True),
    sa.Column('wants', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('share_link_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('answered_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['job_posting.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_by'], ['person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['share_link_id'], ['skill_share_link.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.create_index('ix_contact_request_org_created', ['org_id', 'created_at'], unique=False)
        batch_op.create_index('uq_contact_request_open', ['org_id', 'person_id'], unique=True,
                              sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.create_index(batch_op.f('ix_contact_request_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_request_state'), ['state'], unique=False)

    op.create_table('hire_outcome',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('posting_id', sa.Uuid(), nullable=True),
    sa.Column('marked_by', sa.Uuid(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('answered_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['marked_by'], ['person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['job_posting.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('org_id', 'person_id', 'posting_id', name='uq_hire_outcome_org_person_posting')
    )
    with op.batch_alter_table('hire_outcome', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hire_outcome_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hire_outcome_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hire_outcome_state'), ['state'], unique=False)

    op.create_table('shortlist_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('org_id', sa.Uuid(), nullable=False),
    sa.Column('posting_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('added_by', sa.Uuid(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['person.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['posting_id'], ['job_posting.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('posting_id', 'person_id', name='uq_shortlist_posting_person')
    )
    with op.batch_alter_table('shortlist_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shortlist_entry_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entry_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_shortlist_entry_posting_id'), ['posting_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shortlist_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shortlist_entry_posting_id'))
        batch_op.drop_index(batch_op.f('ix_shortlist_entry_person_id'))
        batch_op.drop_index(batch_op.f('ix_shortlist_entry_org_id'))

    op.drop_table('shortlist_entry')
    with op.batch_alter_table('hire_outcome', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hire_outcome_state'))
        batch_op.drop_index(batch_op.f('ix_hire_outcome_person_id'))
        batch_op.drop_index(batch_op.f('ix_hire_outcome_org_id'))

    op.drop_table('hire_outcome')
    with op.batch_alter_table('contact_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_request_state'))
        batch_op.drop_index(batch_op.f('ix_contact_request_person_id'))
        batch_op.drop_index(batch_op.f('ix_contact_request_org_id'))
        batch_op.drop_index('ix_contact_request_org_created')
        batch_op.drop_index('uq_contact_request_open')

    op.drop_table('contact_request')
    with op.batch_alter_table('candidate_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_note_person_id'))
        batch_op.drop_index(batch_op.f('ix_candidate_note_org_id'))

    op.drop_table('candidate_note')
