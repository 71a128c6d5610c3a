"""What the OB 3.0 API's Host endpoints do with the learner's wallet and profile: page their held
credentials (compact JWS for VC-JWTs, JSON-LD otherwise, as GetOpenBadgeCredentialsResponse says), take
a credential an application sends (verified first; one with the same ``id`` replaces the held one) and
map the profile to an OB ``Profile``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from accounts.oauth.profile import person_of, rename
from core.errors import InvalidInput
from core.settings import Settings
from credentials.clr.service import is_clr
from credentials.obv3.responses import response_body
from credentials.models import HeldCredential
from credentials.wallet import WalletService, content_hash, parse_held
from credentials.verification import check

OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


@dataclass(frozen=True)
class CredentialsPage:
    body: dict[str, Any]
    total: int


def _shown(held: HeldCredential, since: datetime | None) -> bool:
    # The certification guide: every credential getCredentials returns MUST be verifiable, so an import
    # that failed verification stays in the wallet but is not handed out. A declined offer stays only so
    # that it is not delivered again; it is not the learner's.
    if not held.verified or held.offer_state == "declined":
        return False
    if is_clr(held.document):  # a transcript is served by the CLR 2.0 API, not as an OpenBadgeCredential
        return False
    return since is None or held.created_at >= since


async def credentials_page(db: AsyncSession, settings: Settings, person_id: uuid.UUID, *, limit: int, offset: int,
                           since: datetime | None = None) -> CredentialsPage:
    """One page of the learner's credentials, newest first, and how many there are in all."""
    held = [h for h in await WalletService(db, settings).list_for_person(person_id) if _shown(h, since)]
    return CredentialsPage(response_body(held[offset:offset + limit]), len(held))



class NotVerified(InvalidInput):
    """A credential that failed verification; nothing was stored."""


CREATED, REPLACED, UNCHANGED = "created", "replaced", "unchanged"


async def upsert(db: AsyncSession, settings: Settings, person_id: uuid.UUID,
                 raw: Any) -> tuple[HeldCredential, str]:
    """Verify a credential (``credentials.verification.check``) and keep it in the learner's wallet; one
    with the ``id`` of an imported held credential replaces it. ``created``, ``replaced``, or ``unchanged``
    when the wallet already holds exactly this credential, verified and not declined (nothing is written)."""
    document, token = parse_held(raw)
    checked = await check(db, settings, raw)
    if not checked.result.verified:
        raise NotVerified("The credential does not verify: " + "; ".join(checked.result.errors[:5]),
                          field="credential")
    wallet = WalletService(db, settings)
    held_now = await wallet.list_for_person(person_id)
    digest = content_hash(token or document)
    same = next((h for h in held_now if h.content_hash == digest), None)
    if same is not None and same.verified and same.offer_state != "declined":
        return same, UNCHANGED
    credential_id = document.get("id")
    replaced = None
    if isinstance(credential_id, str) and credential_id:
        replaced = next((h for h in held_now
                         if isinstance(h.document, dict) and h.document.get("id") == credential_id), None)
    if replaced is not None and replaced.source != "imported":
        return replaced, REPLACED  # issued here: the copy we hold is the issuer's own
    if replaced is not None:
        await wallet.delete(person_id, replaced.id)
    held = await wallet.import_document(person_id, raw)
    return held, CREATED if replaced is None and held.id not in {h.id for h in held_now} else REPLACED


def profile_document(person: Person) -> dict[str, Any]:
    return {"@context": [OB_CONTEXT], "type": "Profile", "id": f"urn:uuid:{person.id}",
            "name": person.display_name, "email": person.email}


async def get_profile(db: AsyncSession, person_id: uuid.UUID) -> dict[str, Any]:
    return profile_document(await person_of(db, person_id))


async def put_profile(db: AsyncSession, person_id: uuid.UUID, body: Any) -> tuple[dict[str, Any], bool]:
    """Take the ``name`` of an OB ``Profile``; its ``id`` must be the learner's (other members are ours:
    the email address changes through the account, with its confirmation). The profile, and whether it
    changed (False: the name sent is the name held, nothing is written)."""
    if not isinstance(body, dict):
        raise InvalidInput("Send a Profile as a JSON object.", field="profile")
    types = body.get("type")
    if "Profile" not in (types if isinstance(types, list) else [types]):
        raise InvalidInput("type must be Profile.", field="type")
    if body.get("id") not in (None, f"urn:uuid:{person_id}"):
        raise InvalidInput("id is not the profile of this learner.", field="id")
    person = await person_of(db, person_id)
    name = body.get("name")
    if isinstance(name, str) and name.strip() == person.display_name:
        return profile_document(person), False
    return profile_document(await rename(db, person_id, name)), True
