"""OpenID4VCI offers, nonces and holder keys (issue 13)

Revision ID: a7c1e3f5b9d2
Revises: f3c4d5e6a7b8
Create Date: 2026-12-03 09:45:00+00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import advanced_alchemy
import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'a7c1e3f5b9d2'
down_revision: str | None = 'f3c4d5e6a7b8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=nullable)


def _text(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'holder_key',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=False),
        _text('did', 200),
        _text('public_multibase', 100),
        sa.Column('secret_encrypted', sa.LargeBinary(), nullable=False),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id'),
        sa.UniqueConstraint('did'),
        sa.UniqueConstraint('public_multibase'),
    )
    op.create_table(
        'oid4vci_offer',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('credential_id', sa.Uuid(), nullable=False),
        sa.Column('held_id', sa.Uuid(), nullable=True),
        sa.Column('person_id', sa.Uuid(), nullable=True),
        _text('handle_hash', 64),
        _text('code_hash', 64),
        _text('tx_code_hash', 64, nullable=True),
        sa.Column('configuration_ids', sa.JSON(), nullable=False),
        _when('expires_at', False),
        _when('redeemed_at'),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['credential_id'], ['issued_credential.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['held_id'], ['held_credential.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('handle_hash'),
        sa.UniqueConstraint('code_hash'),
    )
    with op.batch_alter_table('oid4vci_offer', schema=None) as batch_op:
        for column in ('credential_id', 'held_id', 'person_id'):
            batch_op.create_index(batch_op.f(f'ix_oid4vci_offer_{column}'), [column], unique=False)
    op.create_table(
        'oauth_access_token',
        sa.Column('id', sa.Uuid(), nullable=False),
        _text('token_hash', 64),
        _text('scope', 500),
        _text('client_id', 200, nullable=True),
        sa.Column('person_id', sa.Uuid(), nullable=True),
        sa.Column('offer_id', sa.Uuid(), nullable=True),
        _when('expires_at', False),
        _when('used_at'),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['offer_id'], ['oid4vci_offer.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('oauth_access_token', schema=None) as batch_op:
        for column in ('person_id', 'offer_id', 'expires_at'):
            batch_op.create_index(batch_op.f(f'ix_oauth_access_token_{column}'), [column], unique=False)
    op.create_table(
        'oid4vci_nonce',
        sa.Column('id', sa.Uuid(), nullable=False),
        _text('nonce_hash', 64),
        _when('expires_at', False),
        _when('used_at'),
        _when('created_at', False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('nonce_hash'),
    )
    with op.batch_alter_table('oid4vci_nonce', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_oid4vci_nonce_expires_at'), ['expires_at'], unique=False)
    op.create_table(
        'oid4vci_wallet_copy',
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('offer_id', sa.Uuid(), nullable=False),
        sa.Column('credential_id', sa.Uuid(), nullable=False),
        sa.Column('person_id', sa.Uuid(), nullable=True),
        _text('copy_id', 100),
        _text('holder_did', 2000),
        _text('configuration_id', 100),
        _when('created_at', False),
        sa.ForeignKeyConstraint(['offer_id'], ['oid4vci_offer.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['credential_id'], ['issued_credential.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('oid4vci_wallet_copy', schema=None) as batch_op:
        for column in ('offer_id', 'credential_id', 'person_id'):
            batch_op.create_index(batch_op.f(f'ix_oid4vci_wallet_copy_{column}'), [column], unique=False)


def downgrade() -> None:
    for table in ('oid4vci_wallet_copy', 'oid4vci_nonce', 'oauth_access_token', 'oid4vci_offer', 'holder_key'):
        op.drop_table(table)
