"""What other domains do when an account is created or an organization's verification state changes
(the composition root registers them by name).

Accounts sits below every other domain, so it cannot call them; they register here instead. Hooks run
in the transaction of the change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person

SignUpHook = Callable[[AsyncSession, Person], Awaitable[object]]
_sign_up_hooks: dict[str, SignUpHook] = {}


def on_sign_up(name: str, hook: SignUpHook) -> None:
    """Register (or replace) the hook called ``name``."""
    _sign_up_hooks[name] = hook


async def run_sign_up_hooks(session: AsyncSession, person: Person) -> None:
    for hook in list(_sign_up_hooks.values()):
        await hook(session, person)


# Returns what it did for the person to see, e.g. {"claimed_credentials": 2}, or None.
EmailConfirmedHook = Callable[[AsyncSession, Person], Awaitable[dict[str, Any] | None]]
_email_confirmed_hooks: dict[str, EmailConfirmedHook] = {}


def on_email_confirmed(name: str, hook: EmailConfirmedHook) -> None:
    """Register (or replace) the hook called ``name``; it runs in the confirming transaction."""
    _email_confirmed_hooks[name] = hook


async def run_email_confirmed_hooks(session: AsyncSession, person: Person) -> dict[str, Any]:
    """Run every hook once the person's email is confirmed; their outcomes merged."""
    outcomes: dict[str, Any] = {}
    for hook in list(_email_confirmed_hooks.values()):
        outcomes.update(await hook(session, person) or {})
    return outcomes


OrgVerificationHook = Callable[[AsyncSession, Organization, str, str], Awaitable[object]]
_org_verification_hooks: dict[str, OrgVerificationHook] = {}


def on_org_verification_changed(name: str, hook: OrgVerificationHook) -> None:
    """Register (or replace) the hook called ``name``; it gets (session, org, old_state, new_state)."""
    _org_verification_hooks[name] = hook


async def run_org_verification_hooks(session: AsyncSession, org: Organization, old_state: str,
                                     new_state: str) -> None:
    """Called by every verification state change, in its transaction (e.g. to recompute holders' profiles)."""
    for hook in list(_org_verification_hooks.values()):
        await hook(session, org, old_state, new_state)
