"""skills: evidence sources, evidence, profile snapshots, learner settings, share links

Revision ID: 01708387e9ad
Revises: 08bfc9eebdc8
Create Date: 2026-11-29 12:56:50.914528+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
import advanced_alchemy.types
from alembic import op


revision: str = '01708387e9ad'
down_revision: str | None = '08bfc9eebdc8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('skill_credential_import',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('held_credential_id', sa.Uuid(), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('method', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'held_credential_id', name='uq_skill_credential_import')
    )
    with op.batch_alter_table('skill_credential_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_credential_import_person_id'), ['person_id'], unique=False)

    op.create_table('skill_evidence',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('skill_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_evidence_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_evidence_source_id'), ['source_id'], unique=False)

    op.create_table('skill_exam_result',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('exam_id', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('raw', sa.JSON(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'exam_id', 'taken_on', name='uq_skill_exam_result')
    )
    with op.batch_alter_table('skill_exam_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_exam_result_person_id'), ['person_id'], unique=False)

    op.create_table('skill_learner_settings',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('discoverable', sa.Boolean(), nullable=False),
    sa.Column('prefecture', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=True),
    sa.Column('target_role', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('employer_parts', sa.JSON(), nullable=False),
    sa.Column('updated_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id')
    )
    op.create_table('skill_ob2_badge',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('media_type', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('assertion', sa.JSON(), nullable=False),
    sa.Column('badge_class', sa.JSON(), nullable=True),
    sa.Column('assertion_key', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('issuer_name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('issued_on', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('check_level', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('checks', sa.JSON(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'assertion_key', name='uq_skill_ob2_badge_assertion')
    )
    with op.batch_alter_table('skill_ob2_badge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_ob2_badge_person_id'), ['person_id'], unique=False)

    op.create_table('skill_profile_snapshot',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('evidence_count', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('skill_profile_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_profile_snapshot_person_id'), ['person_id'], unique=False)

    op.create_table('skill_record_upload',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('encoding', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('skill_record_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_record_upload_person_id'), ['person_id'], unique=False)

    op.create_table('skill_self_assessment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('skill_id', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'skill_id', name='uq_skill_self_assessment')
    )
    with op.batch_alter_table('skill_self_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_self_assessment_person_id'), ['person_id'], unique=False)

    op.create_table('skill_share_link',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('credential_ids', sa.JSON(), nullable=False),
    sa.Column('expires_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('revoked_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('skill_share_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_share_link_person_id'), ['person_id'], unique=False)

    op.create_table('skill_learning_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('upload_id', sa.Uuid(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.Column('completion_date', sa.Date(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('lang', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('course_level', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('created_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['skill_record_upload.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id', 'dedupe_key', name='uq_skill_learning_record_key')
    )
    with op.batch_alter_table('skill_learning_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_learning_record_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_skill_learning_record_upload_id'), ['upload_id'], unique=False)

    op.create_table('skill_share_access',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('link_id', sa.Uuid(), nullable=False),
    sa.Column('viewer_person_id', sa.Uuid(), nullable=True),
    sa.Column('viewer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('client', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('opened_at', advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['skill_share_link.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['viewer_person_id'], ['person.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('skill_share_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_share_access_link_id'), ['link_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('skill_share_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_share_access_link_id'))

    op.drop_table('skill_share_access')
    with op.batch_alter_table('skill_learning_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_learning_record_upload_id'))
        batch_op.drop_index(batch_op.f('ix_skill_learning_record_person_id'))

    op.drop_table('skill_learning_record')
    with op.batch_alter_table('skill_share_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_share_link_person_id'))

    op.drop_table('skill_share_link')
    with op.batch_alter_table('skill_self_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_self_assessment_person_id'))

    op.drop_table('skill_self_assessment')
    with op.batch_alter_table('skill_record_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_record_upload_person_id'))

    op.drop_table('skill_record_upload')
    with op.batch_alter_table('skill_profile_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_profile_snapshot_person_id'))

    op.drop_table('skill_profile_snapshot')
    with op.batch_alter_table('skill_ob2_badge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_ob2_badge_person_id'))

    op.drop_table('skill_ob2_badge')
    op.drop_table('skill_learner_settings')
    with op.batch_alter_table('skill_exam_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_exam_result_person_id'))

    op.drop_table('skill_exam_result')
    with op.batch_alter_table('skill_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_evidence_source_id'))
        batch_op.drop_index(batch_op.f('ix_skill_evidence_person_id'))

    op.drop_table('skill_evidence')
    with op.batch_alter_table('skill_credential_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_credential_import_person_id'))

    op.drop_table('skill_credential_import')
