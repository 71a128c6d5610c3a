"""Dependency providers for the accounts domain."""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency
from litestar.stores.base import Store
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.principal import Principal
from accounts.access import principal_of
from accounts.service import AccountService
from accounts.throttle import LoginThrottle
from core.settings import Settings


async def provide_accounts(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> AccountService:
    return AccountService(db_session, settings)


def provide_principal(request: Request) -> Principal:
    return principal_of(request)


def provide_throttle(request: Request, settings: NamedDependency[Settings]) -> LoginThrottle:
    store: Store = request.app.stores.get("login_throttle")
    return LoginThrottle(store, settings.login_attempts, settings.login_window_seconds)
