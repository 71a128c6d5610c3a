"""What the provider and employer consoles share: typed dependencies and whether the viewer is an
admin of the organization in the path."""

from __future__ import annotations

import uuid

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.access import principal_of
from core.settings import Settings

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
OrgId = FromPath[uuid.UUID]


def is_org_admin(request: Request, org_id: uuid.UUID) -> bool:
    principal = principal_of(request)
    membership = principal.membership(org_id)
    return principal.is_admin or (membership is not None and membership.role == "admin")
