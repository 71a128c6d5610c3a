"""The person's own account as a whole: ``GET /api/v1/me/export`` (everything the platform holds about
them, one JSON download) and ``DELETE /api/v1/me`` (all of it, with the account's password). Both call
``accounts.erasure``, as the CLI and the wallet pages do."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, delete, get
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access, erasure, security
from accounts.access import principal_of
from accounts.service import AccountService
from core.errors import PermissionDenied
from core.openapi import problem_responses

DbSession = NamedDependency[AsyncSession]


class AccountDelete(BaseModel):
    password: str = Field(description="the account's password, asked again so a left-open session cannot delete it")


@get("/api/v1/me/export", tags=["accounts"], **access.signed_in())
async def export_me(request: Request, db_session: DbSession) -> Response[dict[str, Any]]:
    """Everything the platform holds about the signed-in person: account and memberships, held credentials
    and holder DIDs, learning records, evidence, profile history, consents and share links."""
    data = await erasure.export_person(db_session, principal_of(request).person_id)  # type: ignore[arg-type]
    return Response(data, headers={"Content-Disposition": 'attachment; filename="skillpass-export.json"'})


@delete("/api/v1/me", status_code=HTTP_200_OK, tags=["accounts"], responses=problem_responses(403, 409),
        **access.signed_in())
async def delete_me(request: Request, data: JSONBody[AccountDelete], db_session: DbSession) -> dict[str, Any]:
    """Delete the account and everything the platform holds about the person (refused, 409, while they are
    the only admin of an organisation; 403 when the password is wrong). Credentials issued to them stay
    with their issuers (see ``accounts.erasure``)."""
    person_id = principal_of(request).person_id
    person = await AccountService(db_session).get_person(person_id)  # type: ignore[arg-type]
    if not security.verify_password(person.password_hash, data.password):
        raise PermissionDenied("The password is not correct.", field="password")
    await erasure.delete_person(db_session, person.id)
    request.clear_session()
    return {"deleted": str(person.id)}


handlers = [export_me, delete_me]
