"""The one rule for an expiry a person chooses (an API key's, a share link's): given with a time zone,
in the future, not too far away; a default when not given."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.db import utcnow
from core.errors import InvalidInput


def checked_expiry(expires_at: datetime | None, *, default: timedelta, longest: timedelta, too_far: str,
                   now: datetime | None = None, field: str = "expires_at") -> datetime:
    """``expires_at`` if it is aware, in the future and at most ``longest`` away (else an InvalidInput
    on ``field``; ``too_far`` says the limit in the caller's words); ``now + default`` when not given."""
    now = now or utcnow()
    if expires_at is None:
        return now + default
    if expires_at.tzinfo is None:
        raise InvalidInput(f"Give {field} with a time zone (e.g. 2027-12-31T00:00:00+09:00).", field=field)
    if expires_at <= now:
        raise InvalidInput(f"{field} must be in the future.", field=field)
    if expires_at > now + longest:
        raise InvalidInput(too_far, field=field)
    return expires_at
