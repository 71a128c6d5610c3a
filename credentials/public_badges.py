"""Baked badge files of a held credential, and the public badge page a learner may turn on for it.

A learner downloads any credential they hold as a baked PNG or SVG (``credentials.baked``): the picture
is the achievement's image when the credential is one of ours (``credentials.badge_images``), else art
drawn from the credential's name. A public badge page is off until the learner turns it on, gets an
unguessable token, and shows the holder's name only when they ask; turning it off deletes the row, so
the old address answers 404 (a new page gets a new token).
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.achievements import base_url
from credentials import endorsements
from credentials.badge_art import BadgeText, badge_svg
from credentials.badge_images import png_art, png_of, picture_of
from credentials.baked import bake_png, bake_svg
from credentials.models import Achievement, HeldCredential, PublicBadge
from credentials.verification import Checked, check
from credentials.wallet import WalletService

BAKED_KINDS = ("png", "svg")
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
_OUR_ACHIEVEMENT = re.compile(r"/achievements/([0-9a-f-]{36})(?:[/?#]|$)")


@dataclass(frozen=True)
class BakedFile:
    data: bytes
    media_type: str
    filename: str


def credential_text(held: HeldCredential) -> str:
    """What a baked file carries: the VC-JWT when the credential came as one, else the signed JSON."""
    return held.jwt or json.dumps(held.document, ensure_ascii=False, separators=(",", ":"))


def _achievement_id(document: dict[str, Any], settings: Settings) -> uuid.UUID | None:
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    ach_id = str(achievement.get("id") or "") if isinstance(achievement, dict) else ""
    match = _OUR_ACHIEVEMENT.search(ach_id)
    if not ach_id.startswith(base_url(settings) + "/achievements/") or match is None:
        return None
    return uuid.UUID(match.group(1))


async def _achievement_of(session: AsyncSession, settings: Settings, held: HeldCredential) -> Achievement | None:
    ach_id = _achievement_id(held.document, settings)
    return await session.get(Achievement, ach_id) if ach_id else None


async def badge_png(session: AsyncSession, settings: Settings, held: HeldCredential) -> bytes:
    achievement = await _achievement_of(session, settings, held)
    return await png_of(session, achievement) if achievement else png_art(BadgeText(held.title, ""))


async def baked_file(session: AsyncSession, settings: Settings, person_id: uuid.UUID, held_id: uuid.UUID,
                     kind: str) -> BakedFile:
    """The held credential baked into its badge picture (``kind``: png or svg)."""
    if kind not in BAKED_KINDS:
        raise NotFound("No such file.")
    held = await WalletService(session, settings).get(person_id, held_id)
    text = credential_text(held)
    if kind == "png":
        return BakedFile(bake_png(await badge_png(session, settings, held), text), "image/png",
                         f"badge-{held.id}.png")
    achievement = await _achievement_of(session, settings, held)
    picture = await picture_of(session, achievement) if achievement else None
    svg = picture.data if picture and picture.media_type == "image/svg+xml" \
        else badge_svg(BadgeText(held.title, "")).encode("utf-8")
    return BakedFile(bake_svg(svg, text), "image/svg+xml", f"badge-{held.id}.svg")


async def public_badge_of(session: AsyncSession, person_id: uuid.UUID, held_id: uuid.UUID) -> PublicBadge | None:
    return (await session.execute(select(PublicBadge).where(
        PublicBadge.held_id == held_id, PublicBadge.person_id == person_id))).scalar_one_or_none()


async def set_public(session: AsyncSession, settings: Settings, person_id: uuid.UUID, held_id: uuid.UUID, *,
                     public: bool, show_name: bool = False) -> PublicBadge | None:
    """Turn the public page of one of my credentials on (with or without my name) or off."""
    held = await WalletService(session, settings).get(person_id, held_id)
    row = await public_badge_of(session, person_id, held.id)
    if not public:
        if row is not None:
            await session.delete(row)
            await session.flush()
        return None
    if held.offer_state != "accepted":
        raise InvalidInput("Accept the credential before showing it publicly.", field="public",
                           extra={"code": "not_accepted"})
    if held.subject == "other":  # a page would present someone else's badge as mine
        raise InvalidInput("This credential names someone else.", field="public", extra={"code": "not_yours"})
    if row is None:
        row = PublicBadge(held_id=held.id, person_id=person_id, token=secrets.token_urlsafe(24))
        session.add(row)
    row.show_name = show_name
    await session.flush()
    return row


@dataclass
class PublicView:
    """What the public page shows: the credential, its live verification, the holder's name (only when
    chosen) and the links built from it."""

    badge: PublicBadge
    held: HeldCredential
    checked: Checked
    holder_name: str | None
    page_url: str
    image_url: str
    endorsements: list[dict[str, Any]] = field(default_factory=list)  # in force, of our achievement or its issuer


async def public_view(session: AsyncSession, settings: Settings, token: str) -> PublicView:
    """The page behind a public badge token, verified now (revocation, expiry and issuer trust may have
    changed since the learner turned it on)."""
    badge = (await session.execute(select(PublicBadge).where(PublicBadge.token == token))).scalar_one_or_none()
    held = await session.get(HeldCredential, badge.held_id) if badge else None
    if badge is None or held is None:
        raise NotFound("No such public badge.")
    checked = await check(session, settings, held.jwt or held.document)
    name = None
    if badge.show_name:
        person = await session.get(Person, badge.person_id)
        name = person.display_name if person else None
    page_url = f"{base_url(settings)}/b/{badge.token}"
    achievement = await _achievement_of(session, settings, held)
    shown = await endorsements.shown_publicly(session, settings, achievement) if achievement else []
    return PublicView(badge, held, checked, name, page_url, f"{page_url}/image.png", shown)


async def public_png(session: AsyncSession, settings: Settings, token: str) -> bytes:
    """The (unbaked) picture of a public badge, for link previews (og:image wants PNG)."""
    badge = (await session.execute(select(PublicBadge).where(PublicBadge.token == token))).scalar_one_or_none()
    held = await session.get(HeldCredential, badge.held_id) if badge else None
    if badge is None or held is None:
        raise NotFound("No such public badge.")
    return await badge_png(session, settings, held)


def linkedin_url(*, name: str, organization: str, issued: str | None, page_url: str, credential_id: str) -> str:
    """LinkedIn's add-certification link (a plain link: the learner confirms on LinkedIn)."""
    params: dict[str, Any] = {"startTask": "CERTIFICATION_NAME", "name": name, "organizationName": organization,
                              "certUrl": page_url, "certId": credential_id}
    moment = _date(issued)
    if moment is not None:
        params.update(issueYear=moment.year, issueMonth=moment.month)
    return f"{LINKEDIN_ADD}?{urlencode(params)}"


def _date(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
