"""Tables of OpenID4VCI: learners' platform-held holder keys, credential offers (pre-authorized codes),
access tokens, proof nonces, and the copies issued to wallets.

Every secret a wallet or learner is given (offer handle, pre-authorized code, tx_code, access token)
is stored only as a hash, so a database dump hands out no credential.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from core.db import created_at_field, datetime_field, id_field


class HolderKey(SQLModel, table=True):
    """A learner's platform-held Ed25519 did:key; the private half is sealed like issuer keys
    (``credentials.keystore``)."""

    __tablename__ = "holder_key"

    id: uuid.UUID = id_field()
    person_id: uuid.UUID = Field(foreign_key="person.id", unique=True, ondelete="CASCADE")
    did: str = Field(max_length=200, unique=True)
    public_multibase: str = Field(max_length=100, unique=True)
    secret_encrypted: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = created_at_field()


class CredentialOffer(SQLModel, table=True):
    """An OpenID4VCI credential offer of one issued credential (pre-authorized code flow): single use,
    expiring. ``handle_hash`` finds it from its ``credential_offer_uri``; ``code_hash`` from the token request."""

    __tablename__ = "oid4vci_offer"

    id: uuid.UUID = id_field()
    credential_id: uuid.UUID = Field(foreign_key="issued_credential.id", index=True, ondelete="CASCADE")
    held_id: uuid.UUID | None = Field(default=None, foreign_key="held_credential.id", index=True,
                                      ondelete="CASCADE")
    person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    handle_hash: str = Field(max_length=64, unique=True)
    code_hash: str = Field(max_length=64, unique=True)
    tx_code_hash: str | None = Field(default=None, max_length=64)
    configuration_ids: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    expires_at: datetime = datetime_field(nullable=False)
    redeemed_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()


class AccessToken(SQLModel, table=True):
    """An OAuth 2.0 access token, hashed at rest, scoped and expiring. The OpenID4VCI token endpoint
    issues them for an offer (``offer_id``); the OB 3.0 API's authorization server can share this store
    with ``person_id`` / ``client_id`` grants."""

    __tablename__ = "oauth_access_token"

    id: uuid.UUID = id_field()
    token_hash: str = Field(max_length=64, unique=True)
    scope: str = Field(max_length=500)
    client_id: str | None = Field(default=None, max_length=200)
    person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    offer_id: uuid.UUID | None = Field(default=None, foreign_key="oid4vci_offer.id", index=True,
                                       ondelete="CASCADE")
    expires_at: datetime = datetime_field(nullable=False, index=True)
    used_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()


class ProofNonce(SQLModel, table=True):
    """A ``c_nonce`` from the nonce endpoint: one proof may use it, before it expires."""

    __tablename__ = "oid4vci_nonce"

    id: uuid.UUID = id_field()
    nonce_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = datetime_field(nullable=False, index=True)
    used_at: datetime | None = datetime_field()
    created_at: datetime = created_at_field()


class WalletCopy(SQLModel, table=True):
    """A copy of an issued credential delivered to a wallet, bound to the wallet's holder DID."""

    __tablename__ = "oid4vci_wallet_copy"

    id: uuid.UUID = id_field()
    offer_id: uuid.UUID = Field(foreign_key="oid4vci_offer.id", index=True, ondelete="CASCADE")
    credential_id: uuid.UUID = Field(foreign_key="issued_credential.id", index=True, ondelete="CASCADE")
    person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id", index=True, ondelete="CASCADE")
    copy_id: str = Field(max_length=100)
    holder_did: str = Field(max_length=2000)
    configuration_id: str = Field(max_length=100)
    created_at: datetime = created_at_field()
