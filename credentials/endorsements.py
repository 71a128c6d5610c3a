"""Endorsements: an organization issues an OB 3.0 ``EndorsementCredential`` about another organization's
achievement or issuer profile, signed with its own issuer key (``IssuerService.for_endorser``: a
provider's issuer, or the ``did:web`` issuer of an employer or other organization, which signs endorsements
only); listed with the endorser's trust status, withdrawn by the endorser, and embedded in the credentials
issued afterwards (``Achievement.endorsement``, ``Profile.endorsement``).

Who may endorse is one rule (``check_endorser``), used by the API and the console form alike: a verified
organization, never about itself. Each endorsement carries a revocation entry in a Bitstring Status List of
its endorser, so a withdrawal is seen by any verifier, not only here. These lists are ``status_list`` rows
of their own (``purpose`` ``endorsement``: credential issuance never allocates in them, and
``credentials.status`` never rebuilds them); the signed list says ``statusPurpose`` ``revocation``.
"""

from __future__ import annotations

import re
import secrets
import uuid
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, VerificationState
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.achievements import achievement_url, base_url
from credentials.documents import OB3_CONTEXT, VCDM2_CONTEXT, iso, issuer_profile
from credentials.issuers import IssuerService
from credentials.models import Achievement, Endorsement, Issuer, StatusList
from credentials.status import FILL_LIMIT, LIST_SIZE, list_url, sign_list
from credentials.trust.service import TrustService
from credentials.vc import sign_credential, status_entry

MAX_COMMENT = 2000
LANGS = ("ja", "en")
LIST_PURPOSE = "endorsement"  # the status_list row's purpose; the signed list's statusPurpose is revocation
PICK_TRIES = 32


def endorsement_credential(*, credential_id: str, issuer: dict[str, Any], subject_id: str, comment: str,
                           name: str, valid_from: Any,
                           status: dict[str, Any] | None = None) -> dict[str, Any]:
    """An unsigned EndorsementCredential about ``subject_id`` (an achievement URL or an issuer DID)."""
    credential = {"@context": [VCDM2_CONTEXT, OB3_CONTEXT], "id": credential_id,
                  "type": ["VerifiableCredential", "EndorsementCredential"], "name": name, "issuer": issuer,
                  "validFrom": iso(valid_from),
                  "credentialSubject": {"id": subject_id, "type": ["EndorsementSubject"],
                                        "endorsementComment": comment}}
    if status:
        credential["credentialStatus"] = status
    return credential


def check_endorser(endorser: Organization | None, subject_org_id: uuid.UUID, field: str) -> None:
    """The rule of who may endorse: a verified organization, about another organization's work."""
    if endorser is None or endorser.verification_state != VerificationState.verified:
        raise InvalidInput("Only a verified organization can endorse.", field="form",
                           extra={"code": "not_verified"})
    if subject_org_id == endorser.id:
        raise InvalidInput("An organization cannot endorse itself.", field=field, extra={"code": "own"})


def may_endorse(endorser: Organization | None) -> bool:
    """Whether the organization may endorse at all (the console shows the form only then)."""
    return endorser is not None and endorser.verification_state == VerificationState.verified


def checked_comment(comments: dict[str, str]) -> str:
    """The endorsement comment: the texts given per language (ja first), at least one, each at most
    ``MAX_COMMENT`` characters. OB 3.0 has one ``endorsementComment`` string, so both go into it."""
    texts = {lang: (comments.get(lang) or "").strip() for lang in LANGS}
    errors = [{"field": f"comment_{lang}", "message": f"At most {MAX_COMMENT} characters."}
              for lang, text in texts.items() if len(text) > MAX_COMMENT]
    if errors:
        raise InvalidInput(f"Write a comment of 1 to {MAX_COMMENT} characters.", field=errors[0]["field"],
                           errors=errors)
    given = [text for text in texts.values() if text]
    if not given:
        raise InvalidInput(f"Write a comment of 1 to {MAX_COMMENT} characters.", field="comment")
    return "\n\n".join(given)


_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def comment_parts(comment: str | None) -> list[tuple[str, str]]:
    """(language, text) of each paragraph of an endorsementComment, as ``checked_comment`` joins them:
    ``ja`` for a paragraph with kana or kanji, else ``en``, so pages can mark each one's language."""
    texts = [text.strip() for text in (comment or "").split("\n\n") if text.strip()]
    return [("ja" if _JAPANESE.search(text) else "en", text) for text in texts]


async def endorse(session: AsyncSession, settings: Settings, endorser_org_id: uuid.UUID, *,
                  achievement_id: uuid.UUID | None, issuer_org_id: uuid.UUID | None,
                  comments: dict[str, str], lang: str = "ja") -> Endorsement:
    """Endorse one achievement or one issuer profile of another organization; ``comments`` maps ja / en
    to the comment in that language; ``lang`` is the language of the credential's names."""
    errors = []
    if (achievement_id is None) == (issuer_org_id is None):
        errors.append({"field": "achievement_id", "message": "Endorse either an achievement or an issuer."})
    try:
        comment = checked_comment(comments)
    except InvalidInput as exc:
        errors += exc.errors
    if errors:  # every field at fault at once, for the form
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
    issuers = IssuerService(session, settings)
    if achievement_id is not None:
        achievement = await session.get(Achievement, achievement_id)
        if achievement is None:
            raise NotFound("No such achievement.", field="achievement_id")
        subject_org, subject_id = achievement.org_id, achievement_url(settings, achievement.id)
    else:
        target = await session.get(Organization, issuer_org_id)
        if target is None or target.kind != "provider":
            raise NotFound("No such issuer.", field="issuer_org_id")
        subject_org, subject_id = target.id, (await issuers.for_org(target.id)).did
    org = await session.get(Organization, endorser_org_id)
    check_endorser(org, subject_org, "achievement_id" if achievement_id else "issuer_org_id")
    issuer = await issuers.for_endorser(endorser_org_id)
    key, method = await issuers.signing_key(issuer)
    org_name = org.name_ja if lang == "ja" else org.name_en
    row = Endorsement(endorser_org_id=endorser_org_id, achievement_id=achievement_id,
                      subject_org_id=subject_org, document={})
    status_list = await _open_list(session, settings, issuer)
    row.status_list_id, row.status_index = status_list.id, await _free_index(session, status_list)
    status_list.used += 1
    unsigned = endorsement_credential(
        credential_id=f"urn:uuid:{row.id}", issuer=issuer_profile(did=issuer.did, name=org_name, url=org.url),
        subject_id=subject_id, comment=comment,
        name=f"{org_name} による推薦" if lang == "ja" else f"Endorsement by {org_name}", valid_from=utcnow(),
        status=status_entry(list_url(settings, status_list.id), row.status_index, "revocation"))
    row.document = sign_credential(unsigned, key, verification_method=method)
    session.add(row)
    await session.flush()
    return row


async def withdraw(session: AsyncSession, settings: Settings, endorser_org_id: uuid.UUID,
                   endorsement_id: uuid.UUID) -> Endorsement:
    """The endorser withdraws its endorsement (final): its revocation bit is set in the re-signed list."""
    row = await session.get(Endorsement, endorsement_id)
    if row is None or row.endorser_org_id != endorser_org_id:
        raise NotFound("No such endorsement of this organization.")
    if row.withdrawn_at is not None:
        raise Conflict("This endorsement is already withdrawn.", extra={"code": "withdrawn"})
    row.withdrawn_at = utcnow()
    await session.flush()
    if row.status_list_id is not None:
        await _publish(session, settings, row.status_list_id)
    return row


async def _open_list(session: AsyncSession, settings: Settings, issuer: Issuer) -> StatusList:
    """The endorser's endorsement list with room (locked), or a new one, published empty."""
    found = (await session.execute(
        select(StatusList).where(StatusList.issuer_id == issuer.id, StatusList.purpose == LIST_PURPOSE,
                                 StatusList.used < FILL_LIMIT)
        .order_by(StatusList.created_at.desc()).limit(1).with_for_update())).scalar_one_or_none()
    if found is not None:
        return found
    status_list = StatusList(issuer_id=issuer.id, purpose=LIST_PURPOSE, size=LIST_SIZE)
    session.add(status_list)
    await session.flush()
    await _publish(session, settings, status_list.id)
    return status_list


async def _free_index(session: AsyncSession, status_list: StatusList) -> int:
    """A random index not taken in the (locked) list: random picks keep endorsements unlinkable by index."""
    for _ in range(PICK_TRIES):
        index = secrets.randbelow(status_list.size)
        taken = await session.execute(select(Endorsement.id).where(
            Endorsement.status_list_id == status_list.id, Endorsement.status_index == index))
        if taken.first() is None:
            return index
    taken_all = set((await session.execute(select(Endorsement.status_index).where(
        Endorsement.status_list_id == status_list.id))).scalars())
    return next(i for i in range(status_list.size) if i not in taken_all)


async def _publish(session: AsyncSession, settings: Settings, list_id: uuid.UUID) -> None:
    """Rebuild and re-sign the list from its endorsements: a withdrawn one has its bit set."""
    status_list = (await session.execute(
        select(StatusList).where(StatusList.id == list_id).with_for_update())).scalar_one()
    issuer = await session.get(Issuer, status_list.issuer_id)
    withdrawn = await session.execute(select(Endorsement.status_index).where(
        Endorsement.status_list_id == list_id, Endorsement.withdrawn_at.is_not(None)))
    await sign_list(session, settings, status_list, issuer, withdrawn.scalars(), "revocation")


def has_status_entry(document: dict[str, Any]) -> bool:
    """Whether a withdrawal of this endorsement reaches outside verifiers: only one signed with a
    ``credentialStatus`` (every endorsement since migration ``c3a5c7e9f1b4``). An older copy cannot be
    given one without changing what was signed, so its withdrawal is known here only, and pages say so."""
    return bool(document.get("credentialStatus"))


def public_url(settings: Settings, endorsement_id: uuid.UUID) -> str:
    """The public page of one endorsement: the credential verified now, and its JSON."""
    return f"{base_url(settings)}/endorsements/{endorsement_id}"


async def _listed(session: AsyncSession, settings: Settings, rows: list[Endorsement]) -> list[dict[str, Any]]:
    trust = TrustService(session, settings)
    return [{"id": row.id, "endorser_org_id": row.endorser_org_id, "achievement_id": row.achievement_id,
             "subject_org_id": row.subject_org_id, "credential": row.document,
             "withdrawn_at": row.withdrawn_at, "url": public_url(settings, row.id),
             "status_entry": has_status_entry(row.document),
             "trust": (await trust.evaluate(row.document)).to_dict()} for row in rows]


async def for_achievement(session: AsyncSession, settings: Settings, achievement_id: uuid.UUID, *,
                          withdrawn: bool = True) -> list[dict[str, Any]]:
    """The achievement's endorsements, oldest first, each with its endorser's trust verdict (and, unless
    ``withdrawn`` is False, the withdrawn ones marked by ``withdrawn_at``)."""
    query = select(Endorsement).where(Endorsement.achievement_id == achievement_id)
    if not withdrawn:
        query = query.where(Endorsement.withdrawn_at.is_(None))
    rows = (await session.execute(query.order_by(Endorsement.created_at))).scalars().all()
    return await _listed(session, settings, list(rows))


async def shown_publicly(session: AsyncSession, settings: Settings,
                         achievement: Achievement) -> list[dict[str, Any]]:
    """What public pages show about an achievement: the endorsements in force of it and of its issuer's
    profile (a withdrawn endorsement is no longer shown), oldest first."""
    rows = (await session.execute(select(Endorsement).where(
        Endorsement.withdrawn_at.is_(None),
        or_(Endorsement.achievement_id == achievement.id,
            and_(Endorsement.achievement_id.is_(None), Endorsement.subject_org_id == achievement.org_id)))
        .order_by(Endorsement.created_at))).scalars().all()
    return await _listed(session, settings, list(rows))


async def of_issuer(session: AsyncSession, settings: Settings, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """The endorsements in force of an organization's issuer profile, oldest first (its public page)."""
    rows = (await session.execute(select(Endorsement).where(
        Endorsement.withdrawn_at.is_(None), Endorsement.achievement_id.is_(None),
        Endorsement.subject_org_id == org_id).order_by(Endorsement.created_at))).scalars().all()
    return await _listed(session, settings, list(rows))


async def by_endorser(session: AsyncSession, settings: Settings, org_id: uuid.UUID) -> list[dict[str, Any]]:
    """The endorsements an organization gave, newest first, withdrawn ones included."""
    rows = (await session.execute(select(Endorsement).where(Endorsement.endorser_org_id == org_id)
                                  .order_by(Endorsement.created_at.desc()))).scalars().all()
    return await _listed(session, settings, list(rows))


async def get_public(session: AsyncSession, endorsement_id: uuid.UUID) -> Endorsement:
    """One endorsement, withdrawn or not (its page says which; verification reports it revoked)."""
    row = await session.get(Endorsement, endorsement_id)
    if row is None:
        raise NotFound("No such endorsement.")
    return row


async def to_embed(session: AsyncSession, achievement: Achievement) -> tuple[list[dict], list[dict]]:
    """The signed endorsements in force a credential issued now embeds: of its achievement
    (``Achievement.endorsement``) and of its issuer (``Profile.endorsement``)."""
    rows = (await session.execute(select(Endorsement).where(
        Endorsement.withdrawn_at.is_(None), Endorsement.subject_org_id == achievement.org_id,
        or_(Endorsement.achievement_id == achievement.id, Endorsement.achievement_id.is_(None)))
        .order_by(Endorsement.created_at))).scalars().all()
    return ([r.document for r in rows if r.achievement_id is not None],
            [r.document for r in rows if r.achievement_id is None])


def with_endorsements(part: dict[str, Any], documents: list[dict]) -> dict[str, Any]:
    """An Achievement or Profile with its ``endorsement`` list (unchanged when there is none)."""
    return {**part, "endorsement": list(documents)} if documents else part


async def endorsable(session: AsyncSession,
                     org_id: uuid.UUID) -> tuple[list[tuple[Achievement, Organization]], list[Organization]]:
    """What an organization may pick to endorse: other providers' achievements (with their provider) and
    the other providers themselves (issuer profiles), by name."""
    achievements = (await session.execute(
        select(Achievement, Organization).join(Organization, Organization.id == Achievement.org_id)
        .where(Achievement.org_id != org_id).order_by(Organization.name_en, Achievement.name_en))).all()
    providers = (await session.execute(select(Organization).where(
        Organization.kind == "provider", Organization.id != org_id)
        .order_by(Organization.name_en))).scalars().all()
    return [(a, o) for a, o in achievements], list(providers)
