"""A credential the learner brings from elsewhere, as one use case for the wallet page and the API:
an Open Badges 2.0 image goes to the OB 2.0 importer (evidence of the profile), anything else (JSON-LD,
VC-JWT, a baked OB 3.0 image) is verified and kept in the wallet; the profile is recomputed either way."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.baked import BakedError, baked_kind, credential_text, is_image
from credentials.models import HeldCredential
from credentials.wallet import WalletService
from skills.service import ProfileService


@dataclass(frozen=True)
class Imported:
    """What an import became: an OB 2.0 badge (``held`` is None) or a held credential."""

    kind: str  # "ob2" | "held"
    held: HeldCredential | None = None


async def import_credential(session: AsyncSession, settings: Settings, person_id: uuid.UUID, *,
                            data: bytes = b"", media_type: str = "", text: str = "") -> Imported:
    """Import an uploaded file (``data``) or else pasted ``text``. Raises ``BakedError`` for an image
    without a credential or empty input, a domain error for what cannot be read or verified."""
    profiles = ProfileService(session, settings)
    if data and is_image(data, media_type) and baked_kind(data, media_type) == "ob2":
        await profiles.import_badge(person_id, data, media_type)
        return Imported("ob2")
    text = credential_text(data, media_type) if data else text.strip()
    if not text:
        raise BakedError("empty")
    held = await WalletService(session, settings).import_document(person_id, text)
    await profiles.profile(person_id)
    return Imported("held", held)
