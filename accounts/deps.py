"""Dependency providers for the accounts domain."""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.principal import Principal
from accounts.access import principal_of
from accounts.service import AccountService
from accounts.throttle import provide_throttle  # noqa: F401 - the providers of this domain live here
from core.settings import Settings


async def provide_accounts(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> AccountService:
    return AccountService(db_session, settings)


def provide_principal(request: Request) -> Principal:
    return principal_of(request)

