"""Where a person lands after signing in: the console of their role, or a choice between several.

Everybody has a wallet (a learner's console). A member of one organization lands on that organization's
console, a platform admin without memberships on /admin; with two or more consoles besides the wallet the
person chooses, and a remembered choice (the path of one of their consoles) is followed while it still is
one of theirs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from accounts.principal import Principal
from accounts.service import AccountService

WALLET = "/wallet"
ADMIN = "/admin"
CHOOSER = "/console"


@dataclass(frozen=True)
class Console:
    kind: str  # "wallet" | "provider" | "employer" | "admin"
    path: str
    org_name: str = ""


def consoles_of(principal: Principal) -> list[Console]:
    """The consoles ``principal`` may open, the wallet last (it is everybody's)."""
    consoles = [Console("admin", ADMIN)] if principal.is_admin else []
    consoles += [Console(m.org_kind, f"/{m.org_kind}/{m.org_id}", m.org_name) for m in principal.memberships
                 if m.org_kind in ("provider", "employer")]
    return [*consoles, Console("wallet", WALLET)]


def landing_of(principal: Principal, remembered: str | None = None) -> str:
    """The path to go to after sign-in: the remembered console, the only one, or the chooser."""
    consoles = consoles_of(principal)
    if remembered and remembered in {console.path for console in consoles}:
        return remembered
    if len(consoles) <= 2:  # the wallet, and at most one other
        return consoles[0].path
    return CHOOSER


async def principal_after_sign_in(session: AsyncSession, person_id: uuid.UUID) -> Principal:
    """The principal of the session just started (the request's own principal is still the signed-out one)."""
    person = await session.get(Person, person_id)
    return await AccountService(session).principal_for_person(person_id, generation=person.session_generation)
