"""Who is calling: the value the authentication middleware puts on ``connection.user``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Membership:
    org_id: uuid.UUID
    org_kind: str  # "employer" | "provider"
    role: str  # "admin" | "member"
    org_name: str = ""


@dataclass(frozen=True)
class Principal:
    """A signed-in person, an API key of one organization, or nobody."""

    person_id: uuid.UUID | None = None
    email: str | None = None
    display_name: str | None = None
    is_admin: bool = False
    memberships: tuple[Membership, ...] = field(default_factory=tuple)
    api_key_org_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    api_key_used_at: datetime | None = field(default=None, compare=False)
    api_key_scopes: frozenset[str] = frozenset()
    lang: str = "ja"
    email_confirmed: bool = False

    @property
    def is_authenticated(self) -> bool:
        return self.person_id is not None or self.api_key_org_id is not None

    @property
    def is_person(self) -> bool:
        return self.person_id is not None

    def membership(self, org_id: uuid.UUID) -> Membership | None:
        return next((m for m in self.memberships if m.org_id == org_id), None)

    def orgs_of_kind(self, kind: str) -> list[Membership]:
        return [m for m in self.memberships if m.org_kind == kind]

    def can_act_for(self, org_id: uuid.UUID, kind: str, *, admin: bool = False) -> bool:
        """True for an API key of that organization (not for admin-only acts) or a member with the role."""
        if self.api_key_org_id is not None:
            return self.api_key_org_id == org_id and not admin
        m = self.membership(org_id)
        if m is None or (kind != "any" and m.org_kind != kind):
            return self.is_admin
        return m.role == "admin" or not admin


ANONYMOUS = Principal()
