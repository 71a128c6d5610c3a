"""Request and response shapes of the accounts API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from accounts.models import VerificationState


class SignUp(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)
    display_name: str = Field(min_length=1, max_length=200)
    lang: Literal["ja", "en"] = "ja"
    accept_terms: bool = Field(default=False, description="Must be true: the person accepts the terms of use "
                               "(/terms) and the privacy notice (/privacy); otherwise 422 field accept_terms.")


class SignUpAccepted(BaseModel):
    """The answer to every accepted sign-up, for a new address and a known one alike."""

    status: Literal["confirmation_sent"] = "confirmation_sent"
    email: str = Field(description="The address, normalised, to which a mail is on its way.")


class SignIn(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=200)


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str
    lang: str
    is_admin: bool
    email_confirmed_at: datetime | None = Field(default=None, exclude=True)

    @computed_field
    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class ConfirmEmail(BaseModel):
    token: str = Field(min_length=1, max_length=200)
    password: str = Field(max_length=200, description="The password chosen at sign-up.")


class PasswordResetRequest(BaseModel):
    email: str = Field(max_length=320)
    lang: Literal["ja", "en"] = Field("ja", description="The language of the mail to an address with no account.")


class PasswordResetAccepted(BaseModel):
    """The answer to every password reset request, for a known and an unknown address alike."""

    status: Literal["mail_sent"] = "mail_sent"
    email: str = Field(description="The address, normalised, to which a mail is on its way.")


class PasswordResetConfirm(BaseModel):
    token: str = Field(min_length=1, max_length=200)
    new_password: str = Field(max_length=200)


class EmailConfirmedRead(BaseModel):
    email_confirmed: bool
    claimed_credentials: int = Field(description="Credentials issued to the address that moved into the wallet.")


class ConfirmationSent(BaseModel):
    sent_to: str


class MembershipRead(BaseModel):
    org_id: uuid.UUID
    org_kind: str
    org_name: str
    role: str


class MeRead(BaseModel):
    person: PersonRead
    memberships: list[MembershipRead]


class OrgCreate(BaseModel):
    kind: Literal["employer", "provider"]
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,78}[a-z0-9]$")
    name_ja: str = Field(min_length=1, max_length=200)
    name_en: str = Field(min_length=1, max_length=200)
    url: str | None = Field(default=None, max_length=500)


class OrgRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: str
    slug: str
    name_ja: str
    name_en: str
    url: str | None
    verification_state: VerificationState = VerificationState.unverified


class MemberAdd(BaseModel):
    email: str = Field(max_length=320)
    role: Literal["admin", "member"] = "member"


class ApiKeyCreate(BaseModel):
    # length is the domain's rule (AccountService.create_api_key), so the API and the console form
    # refuse the same names with the same 422
    name: str = Field(description="1 to 100 characters.")
    scopes: list[str] = Field(default=["issue", "read", "revoke", "webhooks"],
                              description="Any of issue, read, revoke, webhooks (default: all four).")
    expires_at: datetime | None = Field(None, description="When the key stops working, with a time zone; "
                                                          "default a year from now, at most five years.")


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    org_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    scopes: list[str] = Field(description="What the key may do: issue, read, revoke, webhooks.")
    expires_at: datetime | None = Field(description="When it stops working (null: never, keys made before expiry existed).")

    @field_validator("scopes", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return value.split() if isinstance(value, str) else value


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="The secret key. Shown once; store it now.")
