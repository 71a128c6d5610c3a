"""What the learner's pages share: the access declaration of a signed-in page and whose page it is."""

from __future__ import annotations

import uuid

from litestar import Request

from accounts import access
from accounts.access import principal_of

SIGNED_IN = {**access.signed_in(), "include_in_schema": False}


def me(request: Request) -> uuid.UUID:
    return principal_of(request).person_id  # type: ignore[return-value]
