"""JSON API of organization verification: an organization asks and sees its state; platform admins
list, review, approve, reject, suspend and reinstate."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.deps import provide_principal
from accounts.models import OrgVerificationEvent, OrgVerificationRequest, Organization
from accounts.principal import Principal
from accounts.schemas import OrgRead
from accounts.verification import OrgVerificationService, next_step
from core.settings import Settings
from core.openapi import problem_responses

State = Literal["unverified", "pending", "verified", "suspended"]


class VerificationAsk(BaseModel):
    corporate_number: str = Field(max_length=40, description="法人番号: 13 digits (full-width and hyphens accepted)")
    domain: str = Field(max_length=300, description="The organization's web domain, e.g. example.co.jp")
    domain_method: Literal["token", "did_web"] = "token"
    gbiz_id: str | None = Field(default=None, max_length=100, description="GビズID account identifier")


class Decision(BaseModel):
    note: str | None = Field(default=None, max_length=2000)
    reason: str | None = Field(default=None, max_length=2000)


class RequestRead(BaseModel):
    corporate_number: str
    domain: str
    domain_method: str
    domain_token: str
    proof_url: str
    domain_check: str | None
    domain_checked_at: datetime | None
    gbiz_id: str | None
    submitted_by: uuid.UUID | None
    submitted_at: datetime
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    note: str | None


class EventRead(BaseModel):
    action: str
    from_state: str
    to_state: str
    note: str | None
    actor_id: uuid.UUID | None
    actor_email: str | None
    at: datetime


class VerificationRead(BaseModel):
    org: OrgRead
    state: State
    next_step: str
    request: RequestRead | None
    audit: list[EventRead]


class OrgListItem(BaseModel):
    org: OrgRead
    state: State
    request: RequestRead | None


def request_read(row: OrgVerificationRequest | None) -> RequestRead | None:
    if row is None:
        return None
    path = "/.well-known/skillpass-verification.txt" if row.domain_method == "token" else "/.well-known/did.json"
    return RequestRead(proof_url=f"https://{row.domain}{path}",
                       **row.model_dump(exclude={"id", "org_id"}))


def verification_read(org: Organization, row: OrgVerificationRequest | None,
                      events: list[tuple[OrgVerificationEvent, str | None]]) -> VerificationRead:
    audit = [EventRead(actor_email=email, **event.model_dump(exclude={"id", "org_id"})) for event, email in events]
    return VerificationRead(org=OrgRead.model_validate(org), state=org.verification_state,
                            next_step=next_step(org.verification_state), request=request_read(row), audit=audit)


async def provide_verification(db_session: NamedDependency[AsyncSession],
                               settings: NamedDependency[Settings]) -> OrgVerificationService:
    return OrgVerificationService(db_session, settings)


DEPENDENCIES = {"verification": Provide(provide_verification),
                "principal": Provide(provide_principal, sync_to_thread=False)}
Verification = NamedDependency[OrgVerificationService]


class OrgVerificationController(Controller):
    path = "/api/v1/orgs/{org_id:uuid}/verification"
    tags = ["accounts"]
    dependencies = DEPENDENCIES

    @get("/", **access.org_member("any", admin_only=True))
    async def show(self, org_id: FromPath[uuid.UUID], verification: Verification) -> VerificationRead:
        """The organization's verification state, its request, what to do next and the audit log."""
        return verification_read(*await verification.status(org_id))

    @post("/", status_code=HTTP_200_OK, responses=problem_responses(409),
          **access.org_member("any", admin_only=True))
    async def ask(self, org_id: FromPath[uuid.UUID], data: JSONBody[VerificationAsk],
                  principal: NamedDependency[Principal], verification: Verification) -> VerificationRead:
        """Ask to be verified (unverified → pending); the answer holds the token to publish on the domain."""
        await verification.request(org_id, principal.person_id, data.corporate_number, data.domain,
                                   data.gbiz_id, data.domain_method)
        return verification_read(*await verification.status(org_id))

    @post("/check-domain", status_code=HTTP_200_OK, **access.org_member("any", admin_only=True))
    async def check_domain(self, org_id: FromPath[uuid.UUID], verification: Verification) -> VerificationRead:
        """Check the domain proof now (recorded for manual review when outbound requests are off)."""
        await verification.check_domain(org_id)
        return verification_read(*await verification.status(org_id))


class AdminOrgController(Controller):
    path = "/api/v1/admin/organizations"
    tags = ["admin"]
    dependencies = DEPENDENCIES

    @get("/", **access.admin())
    async def list_orgs(self, verification: Verification,
                        in_state: Annotated[State | None, QueryParameter(name="state")] = None,
                        kind: FromQuery[Literal["employer", "provider"] | None] = None) -> list[OrgListItem]:
        """Organizations with their verification state (``?state=``), pending requests first."""
        return [OrgListItem(org=OrgRead.model_validate(org), state=org.verification_state, request=request_read(row))
                for org, row in await verification.list_orgs(in_state, kind)]

    @get("/{org_id:uuid}", **access.admin())
    async def show(self, org_id: FromPath[uuid.UUID], verification: Verification) -> VerificationRead:
        """One organization's request, domain-check result and audit log."""
        return verification_read(*await verification.status(org_id))

    @post("/{org_id:uuid}/check-domain", status_code=HTTP_200_OK, **access.admin())
    async def check_domain(self, org_id: FromPath[uuid.UUID], verification: Verification) -> VerificationRead:
        """Run the domain check again."""
        await verification.check_domain(org_id)
        return verification_read(*await verification.status(org_id))

    @post("/{org_id:uuid}/{action:str}", status_code=HTTP_200_OK, responses=problem_responses(409),
          **access.admin())
    async def decide(self, org_id: FromPath[uuid.UUID], action: FromPath[str], data: JSONBody[Decision],
                     principal: NamedDependency[Principal], verification: Verification) -> VerificationRead:
        """approve | reject | suspend | reinstate; reject and suspend need a ``reason``."""
        await verification.decide(org_id, action, principal.person_id, data.reason or data.note)
        return verification_read(*await verification.status(org_id))


handlers = [OrgVerificationController, AdminOrgController]
