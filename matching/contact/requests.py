"""Contact requests: a verified employer asks a pseudonymous candidate to share more; the learner answers
with a share link (chosen or made here through ``skills.sharing``) or a verifiable presentation from
their wallet (``matching.contact.presentations``, OpenID4VP), or declines, and may withdraw later.

The employer sees the learner's data only through :func:`shared_data`: the link the learner answered
with, opened through the sharing domain, while the answer stands and the link is live, or what the
verifier kept of the presentation (deleted on withdrawal). Requests are
limited per employer organization (``DAILY_LIMIT`` a day, one open request per candidate): 429.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import outbox
from accounts.confirmation import bilingual_message
from accounts.models import Organization, VerificationState
from accounts.service import AccountService
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from core.settings import Settings
from matching import service
from matching.contact import presentations
from matching.contact.models import ContactRequest, RequestState
from matching.postings import PostingService
from skills import sharing
from skills.consent import check_parts

DAILY_LIMIT = 20  # requests per employer organization in any 24 hours
WINDOW = timedelta(hours=24)
MAX_MESSAGE = 1000
WANTS = ("skills", "credentials", "presentation")

_MAIL = {
    "ja": ("【skillpass】{org_ja} から連絡のリクエストが届きました",
           "{org_ja} があなたのスキルプロフィールを見て、もう少し詳しく知りたいと連絡をリクエストしました。\n"
           "あなたの名前や連絡先は、あなたが共有するまで相手に伝わっていません。\n\n"
           "ウォレットで内容を確認し、共有するか辞退するかを選んでください:\n\n{link}\n"),
    "en": ("skillpass: {org_en} would like to hear from you",
           "{org_en} saw your skill profile and would like to know more.\n"
           "They do not know your name or address unless you share them.\n\n"
           "Read the request in your wallet and share or decline:\n\n{link}\n"),
}


def check_message(message: str) -> str:
    """Plain text of at most ``MAX_MESSAGE`` characters (line breaks and tabs are the only controls kept)."""
    text = message.strip()
    if not text:
        raise InvalidInput("write a message to the candidate", field="message")
    if len(text) > MAX_MESSAGE:
        raise InvalidInput(f"a message has at most {MAX_MESSAGE} characters", field="message")
    if any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) < 0xA0 for c in text):
        raise InvalidInput("a message is plain text (no control characters)", field="message")
    return text


async def check_sender(session: AsyncSession, org_id: uuid.UUID) -> None:
    org = await AccountService(session).get_org(org_id)
    if org.verification_state != VerificationState.verified:
        raise PermissionDenied("Only a verified employer can contact candidates; ask for verification first.")


async def check_rate(session: AsyncSession, org_id: uuid.UUID, person_id: uuid.UUID) -> None:
    """One open request per candidate and ``DAILY_LIMIT`` a day per organization. The organization's row is
    written first so that two requests of one organization count one after the other (a row lock on
    PostgreSQL, the database write lock on SQLite): without it both could see one below the cap."""
    await session.execute(update(Organization).where(Organization.id == org_id)
                          .values(slug=Organization.slug).execution_options(synchronize_session=False))
    open_one = await session.scalar(select(func.count()).where(
        ContactRequest.org_id == org_id, ContactRequest.person_id == person_id,
        ContactRequest.state == RequestState.open))
    if open_one:
        raise RateLimited("This candidate has not answered your last request yet.",
                          extra={"retry_after": int(WINDOW.total_seconds())})
    since = utcnow() - WINDOW
    sent = list((await session.execute(select(ContactRequest.created_at).where(
        ContactRequest.org_id == org_id, ContactRequest.created_at > since)
        .order_by(ContactRequest.created_at))).scalars())
    if len(sent) >= DAILY_LIMIT:
        wait = sent[len(sent) - DAILY_LIMIT] + WINDOW - utcnow()
        raise RateLimited(f"At most {DAILY_LIMIT} contact requests a day per organization.",
                          extra={"retry_after": max(1, int(wait.total_seconds()) + 1)})


async def send_request(session: AsyncSession, settings: Settings, org_id: uuid.UUID, sender_id: uuid.UUID | None,
                       person_id: uuid.UUID, *, posting_id: uuid.UUID | None, wants: list[str],
                       message: str) -> ContactRequest:
    """Ask a discoverable candidate to share; the learner is told in the wallet and by mail (after commit)."""
    await check_sender(session, org_id)
    text = check_message(message)
    chosen = check_parts(list(wants), WANTS, "wants")
    if not chosen:
        raise InvalidInput(f"say what you would like to see: {', '.join(WANTS)}", field="wants")
    if posting_id is not None:
        await PostingService(session).get(org_id, posting_id)
    if await service.explain_candidate(session, org_id, person_id, None) is None:
        raise NotFound("No such candidate.")
    await check_rate(session, org_id, person_id)
    request = ContactRequest(org_id=org_id, person_id=person_id, posting_id=posting_id, sent_by=sender_id,
                             wants=chosen, message=text)
    try:
        async with session.begin_nested():
            session.add(request)
    except IntegrityError:  # a request sent at the same moment is open now
        raise RateLimited("This candidate has not answered your last request yet.",
                          extra={"retry_after": int(WINDOW.total_seconds())}) from None
    await mail_learner(session, settings, request)
    return request


async def mail_learner(session: AsyncSession, settings: Settings, request: ContactRequest) -> None:
    accounts = AccountService(session)
    person, org = await accounts.get_person(request.person_id), await accounts.get_org(request.org_id)
    link = f"{settings.base_url.rstrip('/')}/wallet/contact"
    await outbox.enqueue(session, settings, bilingual_message(settings, person.email, person.lang, _MAIL, {
        "org_ja": org.name_ja, "org_en": org.name_en, "link": link}), link=link)


async def list_for_org(session: AsyncSession, org_id: uuid.UUID,
                       person_id: uuid.UUID | None = None) -> list[ContactRequest]:
    query = select(ContactRequest).where(ContactRequest.org_id == org_id)
    if person_id is not None:
        query = query.where(ContactRequest.person_id == person_id)
    rows = await session.execute(query.order_by(ContactRequest.created_at.desc(), ContactRequest.id))
    return list(rows.scalars())


async def get_for_org(session: AsyncSession, org_id: uuid.UUID, request_id: uuid.UUID) -> ContactRequest:
    request = await session.get(ContactRequest, request_id)
    if request is None or request.org_id != org_id:
        raise NotFound("No such contact request in this organization.")
    return request


async def list_for_person(session: AsyncSession, person_id: uuid.UUID) -> list[ContactRequest]:
    rows = await session.execute(select(ContactRequest).where(ContactRequest.person_id == person_id)
                                 .order_by(ContactRequest.created_at.desc(), ContactRequest.id))
    return list(rows.scalars())


async def own_request(session: AsyncSession, person_id: uuid.UUID, request_id: uuid.UUID) -> ContactRequest:
    request = await session.get(ContactRequest, request_id)
    if request is None or request.person_id != person_id:
        raise NotFound("No such contact request.")
    return request


def link_is_live(link: Any) -> bool:
    return link.revoked_at is None and link.expires_at > utcnow()


async def answer_with_share(session: AsyncSession, settings: Settings, person_id: uuid.UUID, request_id: uuid.UUID,
                            *, link_id: uuid.UUID | None = None, parts: list[str] | None = None,
                            credential_ids: list[uuid.UUID] | None = None,
                            expires_at: datetime | None = None) -> ContactRequest:
    """Answer an open request with one of the learner's live links, or a new link of ``parts`` and
    ``credential_ids`` (the sharing domain's rules: 422 on the same input as the share form)."""
    request = await own_request(session, person_id, request_id)
    if request.state != RequestState.open:
        raise Conflict(f"This request is {request.state} already.")
    async with session.begin_nested():  # a link made here goes with the answer if another answer wins
        if link_id is not None:
            link = await sharing.own_link(session, person_id, link_id)
            if not link_is_live(link):
                raise InvalidInput("this link was revoked or has expired; choose another", field="link_id")
        else:
            accounts = AccountService(session)
            org, person = await accounts.get_org(request.org_id), await accounts.get_person(person_id)
            label = org.name_ja if person.lang == "ja" else org.name_en  # the learner's label, in their language
            link, _ = await sharing.create_link(session, settings, person_id, label=label[:sharing.MAX_LABEL],
                                                parts=list(parts or []), credential_ids=list(credential_ids or []),
                                                expires_at=expires_at)
        return await _answer(session, request, state=RequestState.shared, share_link_id=link.id)


PURPOSE = {"ja": "{org} からの連絡のリクエストへの回答", "en": "An answer to {org}'s contact request"}


async def answer_with_presentation(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                                   request_id: uuid.UUID, *, held_id: uuid.UUID,
                                   skill_codes: list[str]) -> ContactRequest:
    """Answer an open request with a verified presentation of one badge of the wallet and the skills
    chosen (asked for: the posting's DSS items, when the request names a posting)."""
    request = await own_request(session, person_id, request_id)
    if request.state != RequestState.open:
        raise Conflict(f"This request is {request.state} already.")
    org = await AccountService(session).get_org(request.org_id)
    wanted: list[str] = []
    if request.posting_id is not None:
        posting = await PostingService(session).get(request.org_id, request.posting_id)
        wanted = [r["skill_id"] for r in posting.requirements]
    purpose = {"ja": PURPOSE["ja"].format(org=org.name_ja), "en": PURPOSE["en"].format(org=org.name_en)}
    async with session.begin_nested():  # a lost race leaves no presentation behind
        presented = await presentations.present_to(session, settings, person_id, request.org_id,
                                                   asked_by=request.sent_by, purpose=purpose, dss_items=wanted,
                                                   held_id=held_id, skill_codes=list(skill_codes))
        return await _answer(session, request, state=RequestState.shared, presentation_request_id=presented.id)


async def _answer(session: AsyncSession, request: ContactRequest, **values: Any) -> ContactRequest:
    """Close an open request with its answer, only if it is still open when written: of two answers at
    the same moment (two tabs, a double click) one wins and the other is a 409."""
    done = await session.execute(update(ContactRequest).where(
        ContactRequest.id == request.id, ContactRequest.state == RequestState.open)
        .values(answered_at=utcnow(), **values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        raise Conflict("This request has been answered already.")
    await session.refresh(request)
    return request


async def decline(session: AsyncSession, person_id: uuid.UUID, request_id: uuid.UUID) -> ContactRequest:
    request = await own_request(session, person_id, request_id)
    if request.state != RequestState.open:
        raise Conflict(f"This request is {request.state} already.")
    return await _answer(session, request, state=RequestState.declined)


async def withdraw(session: AsyncSession, person_id: uuid.UUID, request_id: uuid.UUID) -> ContactRequest:
    """Take a share back: the employer sees the pseudonymous view only from now on."""
    request = await own_request(session, person_id, request_id)
    if request.state != RequestState.shared:
        raise Conflict("Only a shared answer can be withdrawn.")
    presented, request.presentation_request_id = request.presentation_request_id, None
    request.state, request.share_link_id, request.answered_at = RequestState.withdrawn, None, utcnow()
    session.add(request)
    await session.flush()
    await presentations.forget(session, presented)
    return request


async def shared_data(session: AsyncSession, settings: Settings, request: ContactRequest) -> dict[str, Any] | None:
    """What the learner shares with this request's employer now, or None (not shared, withdrawn, or the
    link revoked or expired since)."""
    if request.state != RequestState.shared:
        return None
    if request.presentation_request_id is not None:
        return await presentations.presented_view(session, settings, request.presentation_request_id)
    if request.share_link_id is None:
        return None
    try:
        link = await sharing.own_link(session, request.person_id, request.share_link_id)
    except NotFound:
        return None
    if not link_is_live(link):
        return None
    return await sharing.shared_view(session, settings, link)


async def shared_with_org(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                          person_id: uuid.UUID) -> dict[str, Any] | None:
    """The newest live share of this candidate with this organization, or None."""
    for request in await list_for_org(session, org_id, person_id):
        data = await shared_data(session, settings, request)
        if data is not None:
            return data
    return None


def request_view(request: ContactRequest, shared: dict[str, Any] | None = None) -> dict[str, Any]:
    """A request as the API shows it (the person by id only; ``shared`` when the learner shares)."""
    return {"id": str(request.id), "org_id": str(request.org_id), "person_id": str(request.person_id),
            "posting_id": str(request.posting_id) if request.posting_id else None, "wants": list(request.wants),
            "message": request.message, "state": str(request.state), "created_at": request.created_at.isoformat(),
            "answered_at": request.answered_at.isoformat() if request.answered_at else None, "shared": shared}
