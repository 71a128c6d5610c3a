"""What other domains do when an account is created (the composition root registers them by name).

Accounts sits below every other domain, so it cannot call them; they register here instead. Hooks run
in the sign-up transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person

SignUpHook = Callable[[AsyncSession, Person], Awaitable[object]]
_sign_up_hooks: dict[str, SignUpHook] = {}


def on_sign_up(name: str, hook: SignUpHook) -> None:
    """Register (or replace) the hook called ``name``."""
    _sign_up_hooks[name] = hook


async def run_sign_up_hooks(session: AsyncSession, person: Person) -> None:
    for hook in list(_sign_up_hooks.values()):
        await hook(session, person)
