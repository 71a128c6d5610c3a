"""Connects domains that must react to each other without importing upwards."""

from __future__ import annotations

from functools import partial

from accounts import hooks
from core.settings import Settings
from credentials.wallet import claim_for_person
from skills import wallet_sync


def connect_domains(settings: Settings) -> None:
    """Idempotent: an account that confirms its email claims the credentials already issued to it;
    wallet changes recompute the skill profile."""
    hooks.on_email_confirmed("credentials.claim", partial(_claim, settings=settings))
    wallet_sync.connect()


async def _claim(session, person, *, settings: Settings) -> dict[str, int]:
    return {"claimed_credentials": len(await claim_for_person(session, person, settings))}
