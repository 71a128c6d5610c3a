"""learner_progress: issue 16: goals, milestones, pathways, saved jobs

skill_progress_settings: the learner's opt-out of streak and milestones; pathway, pathway_step and
pathway_award: a provider's pathways and the one award per learner and pathway; job_saved and
job_application: jobs a learner saved and applied to with a share link.

Revision ID: a9c1e3f5b7d8
Revises: f8b0d2e4a6c7
Create Date: 2026-12-03 16:05:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy.types.datetime
import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401
from alembic import op


revision: str = 'a9c1e3f5b7d8'
down_revision: str | None = 'f8b0d2e4a6c7'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'skill_progress_settings',
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('show_motivation', sa.Boolean(), nullable=False),
        _when('updated_at', nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('person_id'),
    )
    op.create_table(
        'pathway',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('org_id', sa.Uuid(), nullable=False),
        sa.Column('name_ja', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('description_ja', sa.Text(), nullable=False),
        sa.Column('description_en', sa.Text(), nullable=False),
        sa.Column('ordered', sa.Boolean(), nullable=False),
        sa.Column('role_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column('badge_achievement_id', sa.Uuid(), nullable=False),
        _when('created_at', nullable=False),
        sa.ForeignKeyConstraint(['org_id'], ['organization.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['badge_achievement_id'], ['achievement.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_pathway_org_id', 'pathway', ['org_id'])
    op.create_table(
        'pathway_step',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('pathway_id', sa.Uuid(), nullable=False),
        sa.Column('achievement_id', sa.Uuid(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('group_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['achievement_id'], ['achievement.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('pathway_id', 'achievement_id', name='uq_pathway_step_achievement'),
    )
    op.create_index('ix_pathway_step_pathway_id', 'pathway_step', ['pathway_id'])
    op.create_index('ix_pathway_step_achievement_id', 'pathway_step', ['achievement_id'])
    op.create_table(
        'pathway_award',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('pathway_id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('credential_id', sa.Uuid(), nullable=True),
        _when('created_at', nullable=False),
        sa.ForeignKeyConstraint(['pathway_id'], ['pathway.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['credential_id'], ['issued_credential.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('pathway_id', 'person_id', name='uq_pathway_award_person'),
    )
    op.create_index('ix_pathway_award_pathway_id', 'pathway_award', ['pathway_id'])
    op.create_index('ix_pathway_award_person_id', 'pathway_award', ['person_id'])
    op.create_table(
        'job_saved',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('posting_id', sa.Uuid(), nullable=False),
        _when('created_at', nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['posting_id'], ['job_posting.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id', 'posting_id', name='uq_job_saved'),
    )
    op.create_index('ix_job_saved_person_id', 'job_saved', ['person_id'])
    op.create_index('ix_job_saved_posting_id', 'job_saved', ['posting_id'])
    op.create_table(
        'job_application',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        sa.Column('posting_id', sa.Uuid(), nullable=False),
        sa.Column('share_link_id', sa.Uuid(), nullable=True),
        _when('created_at', nullable=False),
        _when('withdrawn_at'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['posting_id'], ['job_posting.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['share_link_id'], ['skill_share_link.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id', 'posting_id', name='uq_job_application'),
    )
    op.create_index('ix_job_application_person_id', 'job_application', ['person_id'])
    op.create_index('ix_job_application_posting_id', 'job_application', ['posting_id'])


def downgrade() -> None:
    op.drop_table('job_application')
    op.drop_table('job_saved')
    op.drop_table('pathway_award')
    op.drop_table('pathway_step')
    op.drop_table('pathway')
    op.drop_table('skill_progress_settings')
