"""The rule for a reason given when a credential is revoked, suspended or reinstated: optional, at most
``MAX_REASON`` characters. The provider API and the console form both call ``change_state`` here, so
they refuse the same input with the same error (422, field ``reason``)."""

from __future__ import annotations

import uuid

from core.errors import InvalidInput
from credentials.issuance import IssuanceService
from credentials.models import IssuedCredential

MAX_REASON = 500


def checked_reason(reason: str | None) -> str | None:
    """The reason, stripped (None when empty); refused when longer than ``MAX_REASON``."""
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise InvalidInput(f"A reason has at most {MAX_REASON} characters ({len(text)} given).", field="reason",
                           errors=[{"field": "reason", "message": f"At most {MAX_REASON} characters."}])
    return text or None


async def change_state(issuance: IssuanceService, org_id: uuid.UUID, credential_id: uuid.UUID, action: str,
                       reason: str | None) -> IssuedCredential:
    """Revoke (final), suspend or unsuspend with an optional reason; the status list is re-signed at once."""
    return await issuance.change_state(org_id, credential_id, action, checked_reason(reason))
