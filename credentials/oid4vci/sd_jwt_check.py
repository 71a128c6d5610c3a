"""Verify an SD-JWT VC with the platform's own documents preloaded (our issuers' DID documents, the
status lists it points at): the SD-JWT VC as issued, with the payload of every disclosed claim (the
verdict with trust, and presentations with a key binding JWT, are ``credentials.verification.check``)."""

from __future__ import annotations

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.vc.errors import VcError
from credentials.vc.jwt import parse_jwt
from credentials.vc.sd_jwt import verify_sd_jwt_vc
from credentials.vc.verifier import VerificationResult
from credentials.verification import local_resolver


async def verify_sd_jwt(session: AsyncSession, settings: Settings, token: str) -> tuple[VerificationResult, dict]:
    """(result, the payload with every disclosed claim) of an SD-JWT VC as issued."""
    try:
        signed_payload = parse_jwt(token.split("~", 1)[0])[1]
    except VcError:
        signed_payload = {}
    resolver = await local_resolver(session, settings, signed_payload)
    return await anyio.to_thread.run_sync(lambda: verify_sd_jwt_vc(token, resolver))
