"""The learner's wallet: credentials issued here to their email, and credentials they import.

Each held credential keeps its document (or VC-JWT), the last verification result, who stands behind
its issuer (``trust_status``, ``credentials.trust``), whether it names its holder (``subject``,
``credentials.subject``) and, for credentials an untrusted issuer sent, the holder's answer to the offer
(``offer_state``). ``counts_for_holder`` is the one rule for whether it may back the holder's skills; the
skill profile reads ``document`` through ``credentials.alignments.dss_alignments``.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import defer
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials import events
from credentials.issuers import IssuerService
from credentials.models import HeldCredential, HolderDid, IssuedCredential
from credentials.subject import SUBJECT_SELF, subject_match
from credentials.trust.service import TrustService
from credentials.vc.errors import VcError
from credentials.vc.jwt import jwt_document, looks_like_jwt, parse_jwt
from credentials.vc.verifier import MAX_BYTES
from credentials.verification import check
from credentials.webhooks import events as webhook_events

# What a list of held credentials never shows: loaded only when one credential is opened or re-judged.
# (``trust`` is listed: a few hundred bytes that name our issuers in the reader's language.)
HEAVY_COLUMNS = (HeldCredential.document, HeldCredential.jwt, HeldCredential.verification)
UNREADABLE = {"malformed_input", "not_a_credential", "too_large", "too_deep", "malformed_jwt", "invalid_date"}


def content_hash(raw: dict | str) -> str:
    text = raw if isinstance(raw, str) else json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _text(value: Any) -> str:
    if isinstance(value, dict):  # a language map or a Profile
        value = value.get("name") or value.get("ja") or value.get("en") or next(iter(value.values()), "")
    return str(value or "")[:500]


def describe(document: dict) -> tuple[str, str]:
    """(title, issuer name) of a credential, for lists."""
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    title = document.get("name") or (achievement.get("name") if isinstance(achievement, dict) else "")
    issuer = document.get("issuer")
    issuer_name = issuer.get("name") or issuer.get("id") if isinstance(issuer, dict) else issuer
    return _text(title), _text(issuer_name)


def parse_held(raw: Any) -> tuple[dict, str | None]:
    """(credential document, VC-JWT or None) from JSON text/bytes, a dict or a compact JWS; InvalidInput otherwise."""
    if isinstance(raw, (bytes, bytearray)):
        if len(raw) > MAX_BYTES:
            raise InvalidInput(f"The credential is larger than {MAX_BYTES} bytes.", field="credential")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("The file is not UTF-8 text (JSON or a VC-JWT).", field="credential") from None
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > MAX_BYTES:
            raise InvalidInput(f"The credential is larger than {MAX_BYTES} bytes.", field="credential")
        if not looks_like_jwt(text):
            try:
                raw = json.loads(text)
            except ValueError:
                raise InvalidInput("Give a credential as JSON or as a VC-JWT.", field="credential") from None
        if isinstance(raw, str) and looks_like_jwt(raw.strip()):
            return _from_jwt(raw.strip())
    if not isinstance(raw, dict):
        raise InvalidInput("Give one credential (a JSON object or a VC-JWT).", field="credential")
    _check_credential(raw)
    return raw, None


def _from_jwt(token: str) -> tuple[dict, str]:
    try:
        kind, document = jwt_document(parse_jwt(token)[1])
    except VcError as exc:
        raise InvalidInput(f"The VC-JWT cannot be read: {exc}", field="credential") from None
    if kind != "credential":
        raise InvalidInput("Import credentials one at a time, not a presentation.", field="credential")
    _check_credential(document)
    return document, token


def _check_credential(document: dict) -> None:
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiablePresentation" in types:
        raise InvalidInput("Import credentials one at a time, not a presentation.", field="credential")
    if "VerifiableCredential" not in types:
        raise InvalidInput("This is not a verifiable credential (type VerifiableCredential).", field="credential")


def counts_for_holder(held: HeldCredential) -> bool:
    """Whether a held credential may back its holder's skills: it verified, it names the holder, the holder
    accepted it, and its issuer does not impersonate a trusted one (an untrusted issuer counts less:
    ``skills.sources.held_credentials`` decides the tier)."""
    return (held.verified and held.subject == SUBJECT_SELF and held.offer_state == "accepted"
            and held.trust_status != "impersonation")


# WalletService.newest in one round trip (the count rides along as a window); built once.
_NEWEST = (select(HeldCredential, func.count().over())
           .where(HeldCredential.person_id == bindparam("person_id", type_=HeldCredential.__table__.c.person_id.type))
           .options(*(defer(c, raiseload=True) for c in HEAVY_COLUMNS))
           .order_by(HeldCredential.created_at.desc(), HeldCredential.id).limit(bindparam("limit")))


def change_stamp(person_id: Any) -> list:
    """Scalar subqueries that change whenever the person's wallet does (a credential added or removed:
    the count; re-verified, re-judged, answered: ``updated_at``), for callers that cache what they
    derive from it (``skills.service.ProfileService.overview``). ``person_id``: a value or a bind
    parameter."""
    mine = HeldCredential.person_id == person_id
    return [select(func.count()).select_from(HeldCredential).where(mine).scalar_subquery(),
            select(func.max(func.coalesce(HeldCredential.updated_at, HeldCredential.created_at)))
            .where(mine).scalar_subquery()]


async def holder_identities(session: AsyncSession, person_id: uuid.UUID) -> tuple[list[str], list[str]]:
    """(confirmed emails, registered DIDs) a credential's subject must name to be this person's."""
    person = await session.get(Person, person_id)
    confirmed = person is not None and person.email_confirmed_at is not None
    dids = await session.execute(select(HolderDid.did).where(HolderDid.person_id == person_id))
    return ([person.email] if confirmed else []), list(dids.scalars())


async def _judge_subject(session: AsyncSession, held: HeldCredential) -> None:
    emails, dids = await holder_identities(session, held.person_id)
    held.subject = subject_match(held.document, emails, dids)


def _apply_trust(held: HeldCredential, trust: dict[str, Any] | None) -> None:
    held.trust = trust
    held.trust_status = (trust or {}).get("status", "untrusted")
    held.issuer_did = str(((trust or {}).get("issuer") or {}).get("id") or "")[:500]


async def _verified(session: AsyncSession, settings: Settings, held: HeldCredential, *,
                    at: datetime | None = None, documents: dict | None = None) -> HeldCredential:
    checked = await check(session, settings, held.jwt or held.document, at=at, documents=documents)
    held.verified, held.verification, held.verified_at = checked.result.verified, checked.to_dict(), utcnow()
    held.updated_at = held.verified_at
    _apply_trust(held, checked.trust)
    await _judge_subject(session, held)
    return held


async def retrust(session: AsyncSession, settings: Settings, dids: set[str]) -> set[uuid.UUID]:
    """Judge the issuers of held credentials again after trust changed (an organization verified or
    suspended, a registry imported): those signed by ``dids``, and every one not trusted, since a newly
    trusted name can turn a look-alike into an impersonation. The holders' profiles follow at once.
    Returns the holders whose credentials changed."""
    rows = await session.execute(select(HeldCredential).where(
        or_(HeldCredential.issuer_did.in_(dids), HeldCredential.trust_status != "trusted")))
    trust_service = TrustService(session, settings)  # the registry entries are read once for the whole pass
    changed: set[uuid.UUID] = set()
    for held in rows.scalars():
        trust = (await trust_service.evaluate(held.document)).to_dict()
        if trust != held.trust:
            _apply_trust(held, trust)
            held.updated_at = utcnow()
            if held.verification is not None:
                held.verification = {**held.verification, "trust": trust}
            if held.offer_state == "pending" and held.trust_status == "trusted":
                held.offer_state = "accepted"  # what a trusted issuer sends lands directly, as at delivery
            changed.add(held.person_id)
    await session.flush()
    for person_id in changed:
        await events.wallet_changed(session, settings, person_id)
    return changed


async def deliver_issued(session: AsyncSession, settings: Settings | None,
                         credential: IssuedCredential) -> HeldCredential | None:
    """Put a just-issued credential into the wallet of the account with the recipient's email, if that
    account confirmed the address (otherwise it is claimed when they confirm)."""
    person = (await session.execute(
        select(Person).where(Person.email == credential.recipient_email,
                             Person.email_confirmed_at.is_not(None)))).scalar_one_or_none()
    if person is None:
        return None
    return await _hold_issued(session, settings, person.id, credential)


async def _hold_issued(session: AsyncSession, settings: Settings | None, person_id: uuid.UUID,
                       credential: IssuedCredential) -> HeldCredential:
    raw = credential.jwt if credential.format == "jwt" and credential.jwt else credential.document
    title, issuer_name = describe(credential.document)
    held = HeldCredential(person_id=person_id, source="issued", credential_id=credential.id,
                          format=credential.format, document=credential.document, jwt=credential.jwt,
                          content_hash=content_hash(raw), title=title, issuer_name=issuer_name)
    session.add(held)
    await session.flush()
    if settings is not None:
        await _verified(session, settings, held)
        if held.trust_status != "trusted":
            held.offer_state = "pending"  # an issuer nobody vouches for offers; the learner decides
        await session.flush()
    await webhook_events.credential_claimed(session, credential)
    await events.wallet_changed(session, settings, person_id)
    return held


async def retrust_org(session: AsyncSession, settings: Settings, org_id: uuid.UUID) -> set[uuid.UUID]:
    """An organization was verified, suspended or reinstated: judge its credentials (and look-alikes) again."""
    return await retrust(session, settings, await IssuerService(session, settings).dids_of_org(org_id))


async def rejudge_subjects(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> None:
    """After the holder confirmed an email (or registered a DID): which held credentials name them now."""
    rows = await session.execute(select(HeldCredential).where(HeldCredential.person_id == person_id))
    emails, dids = await holder_identities(session, person_id)
    changed = False
    for held in rows.scalars():
        subject = subject_match(held.document, emails, dids)
        if subject != held.subject:
            held.subject, held.updated_at, changed = subject, utcnow(), True
    if changed:
        await session.flush()
        await events.wallet_changed(session, settings, person_id)


async def reverify_copies(session: AsyncSession, settings: Settings, credential: IssuedCredential) -> None:
    """After a revocation or suspension: verify the wallet copies again so their owners' profiles follow."""
    rows = await session.execute(select(HeldCredential).where(HeldCredential.credential_id == credential.id))
    for held in rows.scalars():
        await _verified(session, settings, held)
        await session.flush()
        await events.wallet_changed(session, settings, held.person_id)


async def claim_for_person(session: AsyncSession, person: Person,
                           settings: Settings | None = None) -> list[HeldCredential]:
    """Move credentials issued to the person's email before they had an account into their wallet.

    Called when the person confirms their email (idempotent); claims nothing while it is unconfirmed,
    since anyone can sign up with someone else's address. With ``settings`` each claimed credential is
    verified at once; without, it is stored unverified until ``WalletService.reverify``.
    """
    if person.email_confirmed_at is None:
        return []
    held_ids = select(HeldCredential.credential_id).where(HeldCredential.person_id == person.id,
                                                          HeldCredential.credential_id.is_not(None))
    rows = await session.execute(
        select(IssuedCredential).where(IssuedCredential.recipient_email == person.email.strip().lower(),
                                       IssuedCredential.id.not_in(held_ids))
        .order_by(IssuedCredential.created_at))
    return [await _hold_issued(session, settings, person.id, c) for c in rows.scalars()]


class WalletService:
    """A person's held credentials on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def list_for_person(self, person_id: uuid.UUID) -> list[HeldCredential]:
        rows = await self.session.execute(
            select(HeldCredential).where(HeldCredential.person_id == person_id)
            .order_by(HeldCredential.created_at.desc(), HeldCredential.id))
        return list(rows.scalars())

    async def newest(self, person_id: uuid.UUID, limit: int) -> tuple[list[HeldCredential], int]:
        """The ``limit`` newest held credentials without their documents and verdict details (a list's
        columns only: title, issuer name, standing), and how many there are."""
        rows = (await self.session.execute(_NEWEST, {"person_id": person_id, "limit": limit})).all()
        return [held for held, _ in rows], (rows[0][1] if rows else 0)

    async def standings(self, person_id: uuid.UUID) -> list[HeldCredential]:
        """Every held credential with what decides whether it counts (``counts_for_holder``) and its
        content hash, without documents: ``document_of`` loads one when it is needed."""
        rows = await self.session.execute(
            select(HeldCredential).where(HeldCredential.person_id == person_id)
            .options(*(defer(c) for c in HEAVY_COLUMNS))
            .order_by(HeldCredential.created_at.desc(), HeldCredential.id))
        return list(rows.scalars())

    async def document_of(self, held: HeldCredential) -> dict:
        """The document of a held credential loaded by ``standings``."""
        await self.session.refresh(held, attribute_names=["document"])
        return held.document

    async def get(self, person_id: uuid.UUID, held_id: uuid.UUID) -> HeldCredential:
        held = await self.session.get(HeldCredential, held_id)
        if held is None or held.person_id != person_id:
            raise NotFound("No such credential in your wallet.")
        return held

    async def import_document(self, person_id: uuid.UUID, raw: Any, *,
                              documents: dict[str, Any] | None = None) -> HeldCredential:
        """Verify and keep a credential from elsewhere (JSON-LD or VC-JWT); importing it again refreshes it."""
        document, token = parse_held(raw)
        digest = content_hash(token or document)
        existing = (await self.session.execute(select(HeldCredential).where(
            HeldCredential.person_id == person_id, HeldCredential.content_hash == digest))).scalar_one_or_none()
        title, issuer_name = describe(document)
        held = existing or HeldCredential(person_id=person_id, source="imported", format="jwt" if token else "ldp",
                                          document=document, jwt=token, content_hash=digest, title=title,
                                          issuer_name=issuer_name)
        await _verified(self.session, self.settings, held, documents=documents)
        unreadable = [c for c in (held.verification or {}).get("checks", [])
                      if c["check"] == "format" and c["code"] in UNREADABLE]
        if unreadable:
            raise InvalidInput(f"The credential cannot be read: {unreadable[0]['message']}", field="credential")
        if existing is None:
            self.session.add(held)
        await self.session.flush()
        await events.wallet_changed(self.session, self.settings, person_id)
        return held

    async def reverify(self, person_id: uuid.UUID, held_id: uuid.UUID, *, at: datetime | None = None,
                       documents: dict[str, Any] | None = None) -> HeldCredential:
        """Verify again now (revocation, expiry and keys may have changed) and store the result."""
        held = await _verified(self.session, self.settings, await self.get(person_id, held_id), at=at,
                               documents=documents)
        await self.session.flush()
        await events.wallet_changed(self.session, self.settings, person_id)
        return held

    async def answer_offer(self, person_id: uuid.UUID, held_id: uuid.UUID, accept: bool) -> HeldCredential:
        """Accept or decline a credential offered by an issuer that is not trusted. A declined offer stays
        (hidden, counting for nothing) so that it is not delivered again."""
        held = await self.get(person_id, held_id)
        if held.offer_state not in ("pending", "declined") and not accept:
            raise Conflict("Only an offered credential can be declined; remove it instead.", field="held_id")
        held.offer_state = "accepted" if accept else "declined"
        held.updated_at = utcnow()
        await self.session.flush()
        await events.wallet_changed(self.session, self.settings, person_id)
        return held

    async def delete(self, person_id: uuid.UUID, held_id: uuid.UUID) -> None:
        await self.session.delete(await self.get(person_id, held_id))
        await self.session.flush()
        await events.wallet_changed(self.session, self.settings, person_id)
