"""Share links: the learner picks credentials and profile parts, an expiry, and can revoke at any time.

Instead of a whole credential, a link can carry a badge with chosen skills only: an SD-JWT VC signed by
the badge's issuer and bound to the learner's platform-held did:key, with only those skills' disclosures
(``disclosed``). The other skills, the recipient's name and email identifiers, results and evidence are
not in the link at all (only salted digests), and whoever opens it verifies the issuer's signature.

The token (256 random bits) is found by its SHA-256 only; next to the hash it is kept sealed
(AES-256-GCM under a key derived from ``settings.master_key``, the link's id as associated data), so the
learner's own QR code of a credential can show a live link with the same contents again instead of making
a new one each time (``qr_link``). Nobody else is shown a token again: the API and the share page show it
once, at creation. Links made before the sealed copy was kept cannot be shown again. Opening a link logs
who (if signed in) and when. Unknown or revoked links answer 404, expired ones 410.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.expiry import checked_expiry
from core.sealing import Sealer
from core.settings import Settings
from credentials.oid4vp.holder import WalletPresenter
from credentials.wallet import WalletService
from skills.assessment import category_summaries, gap_to_role
from skills.consent import check_parts, learner_settings
from skills.errors import LinkGone
from skills.models import ShareAccess, ShareLink
from skills.present import gap_view, profile_view, summaries_view
from skills.profile import Profile
from skills.service import ProfileService
from taxonomies.dss import get_taxonomy

SHARE_PARTS = ("skills", "self_declared", "evidence", "categories", "gap", "target_role", "prefecture",
               "display_name")
DEFAULT_DAYS = 30
MAX_DAYS = 365
MAX_LABEL = 200
MAX_CREDENTIALS = 100
SHARED_PATH = "/api/v1/shared/{token}"
QR_REUSE_MIN_LEFT = timedelta(days=1)  # a link about to end is not handed out again as a fresh QR code
_SEALER = Sealer(b"skillpass/share-tokens", b"skillpass share link tokens v1")


@dataclass(frozen=True)
class Viewer:
    """Who opened a link, as far as the request tells."""

    person_id: uuid.UUID | None = None
    name: str = ""
    client: str = ""
    user_agent: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def seal_token(master_key: str, token: str, link_id: uuid.UUID) -> bytes:
    """``nonce || ciphertext+tag``, bound to the link's id (copied onto another row, it does not open)."""
    return _SEALER.seal(master_key, token.encode("ascii"), link_id.bytes)


def open_token(master_key: str, link: ShareLink) -> str | None:
    """The link's token, or None when none was kept or it does not open (another master key, altered)."""
    if not link.token_sealed:
        return None
    try:
        token = _SEALER.open(master_key, link.token_sealed, link.id.bytes).decode("ascii")
    except (InvalidTag, UnicodeDecodeError, ValueError):
        return None
    return token if token_hash(token) == link.token_hash else None


def check_expiry(expires_at: datetime | None) -> datetime:
    return checked_expiry(expires_at, default=timedelta(days=DEFAULT_DAYS), longest=timedelta(days=MAX_DAYS),
                          too_far=f"a link can last at most {MAX_DAYS} days")


async def held_credentials(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> dict[str, Any]:
    return {str(h.id): h for h in await WalletService(session, settings).list_for_person(person_id)}


async def create_link(session: AsyncSession, settings: Settings, person_id: uuid.UUID, *, label: str,
                      parts: list[str], credential_ids: list[uuid.UUID],
                      expires_at: datetime | None,
                      disclose: dict[uuid.UUID, list[str]] | None = None) -> tuple[ShareLink, str]:
    """A new link and its token (shown once). The API and the wallet form both come here, so a label
    over ``MAX_LABEL`` characters or more than ``MAX_CREDENTIALS`` credentials are refused (422) on both.
    ``disclose`` maps a held badge to the skills (DSS item ids) it shares, as an SD-JWT of those only."""
    if len(label.strip()) > MAX_LABEL:
        raise InvalidInput(f"a label has at most {MAX_LABEL} characters", field="label")
    disclose = {str(k): v for k, v in (disclose or {}).items()}
    if len(set(credential_ids)) + len(disclose) > MAX_CREDENTIALS:
        raise InvalidInput(f"a link shares at most {MAX_CREDENTIALS} credentials", field="credential_ids")
    parts = check_parts(parts, SHARE_PARTS, "parts")
    wallet = await held_credentials(session, settings, person_id)
    chosen = sorted({str(c) for c in credential_ids})
    unknown = [c for c in chosen if c not in wallet]
    if unknown:
        raise InvalidInput(f"not in your wallet: {', '.join(unknown)}", field="credential_ids")
    if not parts and not chosen and not disclose:
        raise InvalidInput("choose at least one profile part or credential to share", field="parts")
    disclosed = await disclosed_badges(session, settings, person_id, disclose, chosen)
    token, link_id = secrets.token_urlsafe(32), uuid.uuid4()
    link = ShareLink(id=link_id, person_id=person_id, token_hash=token_hash(token),
                     token_sealed=seal_token(settings.master_key, token, link_id), label=label.strip(),
                     parts=parts, credential_ids=chosen, disclosed=disclosed,
                     expires_at=check_expiry(expires_at))
    session.add(link)
    await session.flush()
    return link, token


async def reusable_link(session: AsyncSession, settings: Settings, person_id: uuid.UUID, *, parts: list[str],
                        credential_ids: list[uuid.UUID],
                        min_left: timedelta = QR_REUSE_MIN_LEFT) -> tuple[ShareLink, str] | None:
    """The person's newest link sharing exactly ``parts`` and ``credential_ids`` (and no badge skill by
    skill), not revoked, with at least ``min_left`` to run and a token that opens; with that token. None
    when there is none (links made before tokens were kept sealed never qualify)."""
    wanted_parts, wanted_ids = set(parts), {str(c) for c in credential_ids}
    rows = await session.execute(
        select(ShareLink).where(ShareLink.person_id == person_id, ShareLink.revoked_at.is_(None),
                                ShareLink.expires_at > utcnow() + min_left,
                                ShareLink.token_sealed.is_not(None))
        .order_by(ShareLink.created_at.desc(), ShareLink.expires_at.desc()))
    for link in rows.scalars():
        if set(link.parts) != wanted_parts or set(link.credential_ids) != wanted_ids or link.disclosed:
            continue
        token = open_token(settings.master_key, link)
        if token:
            return link, token
    return None


@dataclass(frozen=True)
class QrLink:
    link: ShareLink
    token: str
    reused: bool


async def qr_link(session: AsyncSession, settings: Settings, person_id: uuid.UUID, held_id: uuid.UUID,
                  label: str, *, expires_at: datetime | None = None,
                  min_left: timedelta = QR_REUSE_MIN_LEFT) -> QrLink:
    """The link behind a credential's QR code: a live link sharing that credential alone with at least
    ``min_left`` to run is shown again (``reused``), else a new one (until ``expires_at``, by default
    ``DEFAULT_DAYS``; labelled ``label``) is made by ``create_link``'s rule."""
    found = await reusable_link(session, settings, person_id, parts=[], credential_ids=[held_id], min_left=min_left)
    if found:
        return QrLink(*found, reused=True)
    link, token = await create_link(session, settings, person_id, label=label, parts=[],
                                    credential_ids=[held_id], expires_at=expires_at)
    return QrLink(link, token, reused=False)


async def disclosable(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The badges a link can share skill by skill (issued on skillpass, not revoked), with their skills."""
    return await WalletPresenter(session, settings).presentable(person_id)


async def disclosed_badges(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                           disclose: dict[str, list[str]], whole: list[str]) -> list[dict[str, str]]:
    """One SD-JWT per badge in ``disclose`` with only its chosen skills; InvalidInput (on ``disclose``)
    for a badge that cannot be shared so (not issued here, revoked), shared whole as well, or a skill
    it does not name."""
    if not disclose:
        return []
    presenter = WalletPresenter(session, settings)
    badges = {str(b["held_id"]): b for b in await disclosable(session, settings, person_id)}
    out = []
    for held_id, codes in sorted(disclose.items()):
        badge = badges.get(held_id)
        if badge is None:
            raise InvalidInput("only badges issued on skillpass and not revoked can be shared skill by skill",
                               field="disclose")
        if held_id in whole:
            raise InvalidInput("share a badge either whole or with chosen skills, not both", field="disclose")
        names = {s["code"] for s in badge["skills"]}
        codes = sorted(set(codes))
        if not codes or any(c not in names for c in codes):
            raise InvalidInput(f"choose one or more of the badge's own skills: {', '.join(sorted(names))}",
                               field="disclose")
        sd_jwt = await presenter.disclosed_sd_jwt(person_id, uuid.UUID(held_id), codes)
        out.append({"held_id": held_id, "title": badge["title"], "sd_jwt": sd_jwt})
    return out


async def list_links(session: AsyncSession, person_id: uuid.UUID) -> list[tuple[ShareLink, int]]:
    """The person's links, newest first, with how often each was opened."""
    opened = (select(ShareAccess.link_id, func.count().label("n")).group_by(ShareAccess.link_id).subquery())
    rows = await session.execute(
        select(ShareLink, func.coalesce(opened.c.n, 0)).outerjoin(opened, opened.c.link_id == ShareLink.id)
        .where(ShareLink.person_id == person_id).order_by(ShareLink.created_at.desc()))
    return [(link, count) for link, count in rows]


async def own_link(session: AsyncSession, person_id: uuid.UUID, link_id: uuid.UUID) -> ShareLink:
    link = await session.get(ShareLink, link_id)
    if link is None or link.person_id != person_id:
        raise NotFound("No such share link.")
    return link


async def link_with_log(session: AsyncSession, person_id: uuid.UUID,
                        link_id: uuid.UUID) -> tuple[ShareLink, list[ShareAccess]]:
    """One of the person's links and its access log, newest first."""
    link = await own_link(session, person_id, link_id)
    rows = await session.execute(select(ShareAccess).where(ShareAccess.link_id == link_id)
                                 .order_by(ShareAccess.opened_at.desc()))
    return link, list(rows.scalars())


async def revoke_link(session: AsyncSession, person_id: uuid.UUID, link_id: uuid.UUID) -> ShareLink:
    """Stop a link at once (revoking twice keeps the first time)."""
    link = await own_link(session, person_id, link_id)
    link.revoked_at = link.revoked_at or utcnow()
    return link


async def open_link(session: AsyncSession, settings: Settings, token: str, viewer: Viewer) -> dict[str, Any]:
    """What the link shares, after logging the access."""
    found = await session.execute(select(ShareLink).where(ShareLink.token_hash == token_hash(token)))
    link = found.scalar_one_or_none()
    if link is None or link.revoked_at is not None:
        raise NotFound("This link does not exist or was withdrawn.")
    if link.expires_at <= utcnow():
        raise LinkGone("This link has expired.")
    session.add(ShareAccess(link_id=link.id, viewer_person_id=viewer.person_id, viewer_name=viewer.name[:200],
                            client=viewer.client[:100], user_agent=viewer.user_agent[:300]))
    return await shared_view(session, settings, link)


async def shared_view(session: AsyncSession, settings: Settings, link: ShareLink) -> dict[str, Any]:
    parts, owner = set(link.parts), link.person_id
    view: dict[str, Any] = {"label": link.label, "parts": list(link.parts),
                            "expires_at": link.expires_at.isoformat()}
    consent = await learner_settings(session, owner)
    if "display_name" in parts:
        view["display_name"] = (await AccountService(session).get_person(owner)).display_name
    if "prefecture" in parts:
        view["prefecture"] = consent.prefecture
    if "target_role" in parts:
        view["target_role"] = consent.target_role
    if parts & {"skills", "categories", "gap"}:
        profile, updated_at = await ProfileService(session, settings).profile(owner)
        if "self_declared" not in parts:
            profile = without_self_declared(profile)
        if "skills" in parts:
            view["profile"] = profile_view(profile, updated_at, with_evidence="evidence" in parts)
        if "categories" in parts:
            view["categories"] = summaries_view(category_summaries(profile, get_taxonomy()))
        if "gap" in parts and consent.target_role:
            tx = get_taxonomy()
            view["gap"] = gap_view(gap_to_role(profile, tx.role(consent.target_role), tx))
    if link.credential_ids:
        wallet = await held_credentials(session, settings, owner)
        view["credentials"] = [credential_view(wallet[c]) for c in link.credential_ids if c in wallet]
    if link.disclosed:  # as made at creation (a badge since removed from the wallet is left out)
        wallet = await held_credentials(session, settings, owner)
        view["disclosed"] = [{"title": d["title"], "format": "dc+sd-jwt", "document": d["sd_jwt"]}
                             for d in link.disclosed if d["held_id"] in wallet]
    return view


def credential_view(held: Any) -> dict[str, Any]:
    """A shared wallet credential: what it is, whether it verified, and the document to check it."""
    return {"id": str(held.id), "title": held.title, "issuer_name": held.issuer_name,
            "verified": held.verified, "format": held.format, "document": held.jwt or held.document}


def without_self_declared(profile: Profile) -> Profile:
    """The profile with self-declared items and self-assessment pieces left out."""
    items = {skill_id: replace(item, evidence=tuple(p for p in item.evidence if p.tier != "self_declared"),
                               levels={t: lv for t, lv in item.levels.items() if t != "self_declared"})
             for skill_id, item in profile.items.items() if item.status != "self_declared"}
    return Profile(items=items, evidence_count=sum(len(i.evidence) for i in items.values()))
