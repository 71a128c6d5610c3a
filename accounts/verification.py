"""Organization verification: an organization asks (法人番号, web domain, optional GビズID), a platform
admin approves or rejects, and may later suspend and reinstate it.

States: unverified → pending → verified ⇄ suspended (a rejected request goes back to unverified). Every
change appends an audit row and runs ``accounts.hooks.run_org_verification_hooks`` in the same
transaction. The domain proof is fetched only when ``settings.org_domain_check_fetch`` is on; otherwise
the request is marked for manual review.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import corporate_number
from accounts.hooks import run_org_verification_hooks
from accounts.models import VERIFICATION_STATES, OrgVerificationEvent, OrgVerificationRequest, Organization, Person
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings

# action: (state it starts from, state it leads to)
TRANSITIONS = {
    "request": ("unverified", "pending"),
    "approve": ("pending", "verified"),
    "reject": ("pending", "unverified"),
    "suspend": ("verified", "suspended"),
    "reinstate": ("suspended", "verified"),
}
ADMIN_ACTIONS = ("approve", "reject", "suspend", "reinstate")
REASON_REQUIRED = frozenset({"reject", "suspend"})
DOMAIN_METHODS = ("token", "did_web")
MANUAL_REVIEW = "manual_review"
TOKEN_PATH = "/.well-known/skillpass-verification.txt"
DID_PATH = "/.well-known/did.json"
MAX_NOTE = 2000
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

NEXT_STEPS = {
    "unverified": "Ask to be verified: give your corporate number (法人番号) and web domain.",
    "pending": "Publish the domain token, then wait for a platform administrator to review the request.",
    "verified": "Nothing to do: credentials you issue are shown as from a verified organization.",
    "suspended": "Contact the platform administrators; credentials you issue are not trusted meanwhile.",
}


class DomainCheckFailed(Exception):
    """The domain proof could not be fetched or did not match (the message says why, briefly)."""


@dataclass(frozen=True)
class DomainFetcher:
    """Fetches a file from an organization's domain: short timeout, size cap, redirects only on that host.

    ``base`` replaces ``https://{domain}`` (tests point it at a server on 127.0.0.1).
    """

    base: str | None = None
    timeout: float = 5.0
    max_bytes: int = 64 * 1024
    max_redirects: int = 3

    async def get(self, domain: str, path: str) -> bytes:
        url = (self.base or f"https://{domain}").rstrip("/") + path
        host = urlsplit(url).netloc
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False) as client:
            for _ in range(self.max_redirects + 1):
                try:
                    body, location = await self._get_once(client, url)
                except httpx.HTTPError as exc:
                    raise DomainCheckFailed(f"could not fetch {path}: {type(exc).__name__}") from exc
                if location is None:
                    return body
                url = urljoin(url, location)
                if urlsplit(url).netloc != host:
                    raise DomainCheckFailed(f"{path} redirects to another host")
        raise DomainCheckFailed(f"{path} redirects too often")

    async def _get_once(self, client: httpx.AsyncClient, url: str) -> tuple[bytes, str | None]:
        async with client.stream("GET", url) as response:
            if response.is_redirect:
                return b"", response.headers.get("location", "")
            if response.status_code != 200:
                raise DomainCheckFailed(f"{urlsplit(url).path} answered {response.status_code}")
            body = b""
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > self.max_bytes:
                    raise DomainCheckFailed(f"{urlsplit(url).path} is larger than {self.max_bytes} bytes")
            return body, None


def normalize_domain(raw: str) -> str:
    """A host name as typed (``https://`` and a trailing slash tolerated), lower case; InvalidInput otherwise."""
    text = (raw or "").strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    text = text.rstrip("/").rstrip(".")
    try:
        host = text.encode("idna").decode("ascii") if text else ""
    except UnicodeError:
        host = ""
    labels = host.split(".")
    if (len(host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels)
            or labels[-1].isdigit()):
        raise InvalidInput("Enter the organization's web domain, e.g. example.co.jp.", field="domain")
    return host


def check_reason(action: str, note: str | None) -> str | None:
    """The note, stripped; InvalidInput when the action needs a reason and there is none."""
    text = (note or "").strip()
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"Use at most {MAX_NOTE} characters.", field="reason")
    if action in REASON_REQUIRED and not text:
        raise InvalidInput("Give a reason; the organization is told.", field="reason")
    return text or None


def proof_matches(method: str, body: bytes, domain: str, token: str) -> bool:
    """True when the fetched file proves control of ``domain``: the token, or a did:web document for it."""
    text = body.decode("utf-8", errors="replace")
    if method == "token":
        return token in (line.strip() for line in text.splitlines())
    try:
        document = json.loads(text)
    except ValueError:
        return False
    return isinstance(document, dict) and document.get("id") == f"did:web:{domain}"


class OrgVerificationService:
    """The verification rules, used by the API and the pages alike (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings | None = None) -> None:
        self.session = session
        self.settings = settings

    async def _org(self, org_id: uuid.UUID, *, lock: bool = False) -> Organization:
        org = await self.session.get(Organization, org_id, with_for_update=lock)
        if org is None:
            raise NotFound("No such organization.")
        return org

    async def get_request(self, org_id: uuid.UUID) -> OrgVerificationRequest | None:
        found = await self.session.execute(
            select(OrgVerificationRequest).where(OrgVerificationRequest.org_id == org_id))
        return found.scalar_one_or_none()

    async def _transition(self, org: Organization, action: str, actor_id: uuid.UUID | None,
                          note: str | None) -> Organization:
        start, end = TRANSITIONS[action]
        if org.verification_state != start:
            raise Conflict(f"Cannot {action}: the organization is {org.verification_state}.", field="state",
                           extra={"state": org.verification_state})
        note = check_reason(action, note)
        org.verification_state = end
        self.session.add(OrgVerificationEvent(org_id=org.id, actor_id=actor_id, action=action,
                                              from_state=start, to_state=end, note=note))
        await self.session.flush()
        await run_org_verification_hooks(self.session, org, start, end)
        return org

    async def request(self, org_id: uuid.UUID, person_id: uuid.UUID | None, corporate_number_text: str,
                      domain: str, gbiz_id: str | None = None, domain_method: str = "token") -> OrgVerificationRequest:
        """An organization admin asks to be verified (unverified → pending); issues the domain token."""
        org = await self._org(org_id, lock=True)
        if org.verification_state != "unverified":
            raise Conflict(f"Cannot request: the organization is {org.verification_state}.", field="state",
                           extra={"state": org.verification_state})
        errors = []
        number = corporate_number.parse(corporate_number_text)
        if number is None:
            errors.append({"field": "corporate_number",
                           "message": "Enter the 13-digit corporate number (法人番号); its check digit does not match."})
        try:
            host = normalize_domain(domain)
        except InvalidInput as exc:
            errors.extend(exc.errors)
        gbiz = (gbiz_id or "").strip() or None
        if gbiz is not None and len(gbiz) > 100:
            errors.append({"field": "gbiz_id", "message": "Use at most 100 characters."})
        if domain_method not in DOMAIN_METHODS:
            errors.append({"field": "domain_method", "message": "Choose token or did_web."})
        if errors:
            raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
        row = await self.get_request(org_id)
        if row is None:
            row = OrgVerificationRequest(org_id=org_id, corporate_number=number, domain=host,
                                         domain_token=secrets.token_urlsafe(24))
            self.session.add(row)
        elif row.domain != host:
            row.domain_token = secrets.token_urlsafe(24)  # a token proves one domain only
        row.corporate_number, row.domain, row.domain_method, row.gbiz_id = number, host, domain_method, gbiz
        row.submitted_by, row.submitted_at = person_id, utcnow()
        row.decided_by = row.decided_at = row.note = None
        row.domain_check = None if self.fetch_enabled else MANUAL_REVIEW
        row.domain_checked_at = None
        await self.session.flush()
        await self._transition(org, "request", person_id, None)
        return row

    @property
    def fetch_enabled(self) -> bool:
        return bool(self.settings and self.settings.org_domain_check_fetch)

    async def check_domain(self, org_id: uuid.UUID, fetcher: DomainFetcher | None = None) -> str:
        """Check the domain proof and record the result ("passed", "failed: …" or "manual_review")."""
        row = await self.get_request(org_id)
        if row is None:
            raise NotFound("This organization has not asked to be verified.")
        if not self.fetch_enabled:
            result = MANUAL_REVIEW
        else:
            path = TOKEN_PATH if row.domain_method == "token" else DID_PATH
            try:
                body = await (fetcher or DomainFetcher()).get(row.domain, path)
                result = "passed" if proof_matches(row.domain_method, body, row.domain, row.domain_token) \
                    else f"failed: {path} does not hold the expected proof"
            except DomainCheckFailed as exc:
                result = f"failed: {exc}"[:200]
        row.domain_check, row.domain_checked_at = result, utcnow()
        org = await self._org(org_id)
        self.session.add(OrgVerificationEvent(org_id=org_id, actor_id=None, action="domain_check",
                                              from_state=org.verification_state,
                                              to_state=org.verification_state, note=result))
        await self.session.flush()
        return result

    async def _decide(self, org_id: uuid.UUID, action: str, admin_id: uuid.UUID, note: str | None) -> Organization:
        org = await self._org(org_id, lock=True)
        await self._transition(org, action, admin_id, note)
        if action in ("approve", "reject"):
            row = await self.get_request(org_id)
            if row is not None:
                row.decided_by, row.decided_at, row.note = admin_id, utcnow(), check_reason(action, note)
                await self.session.flush()
        return org

    async def approve(self, org_id: uuid.UUID, admin_id: uuid.UUID, note: str | None = None) -> Organization:
        """A platform admin verifies the organization (pending → verified)."""
        return await self._decide(org_id, "approve", admin_id, note)

    async def reject(self, org_id: uuid.UUID, admin_id: uuid.UUID, reason: str) -> Organization:
        """A platform admin turns the request down (pending → unverified); the reason is required."""
        return await self._decide(org_id, "reject", admin_id, reason)

    async def suspend(self, org_id: uuid.UUID, admin_id: uuid.UUID, reason: str) -> Organization:
        """A platform admin suspends a verified organization; the reason is required."""
        return await self._decide(org_id, "suspend", admin_id, reason)

    async def reinstate(self, org_id: uuid.UUID, admin_id: uuid.UUID, note: str | None = None) -> Organization:
        """A platform admin lifts a suspension (suspended → verified)."""
        return await self._decide(org_id, "reinstate", admin_id, note)

    async def decide(self, org_id: uuid.UUID, action: str, admin_id: uuid.UUID, note: str | None) -> Organization:
        """One of ``ADMIN_ACTIONS`` by name (the API and the admin form post the action)."""
        if action not in ADMIN_ACTIONS:
            raise NotFound("No such action.")
        return await self._decide(org_id, action, admin_id, note)

    async def history(self, org_id: uuid.UUID) -> list[tuple[OrgVerificationEvent, str | None]]:
        """The audit log, newest first, with each actor's email (None for the system)."""
        rows = await self.session.execute(
            select(OrgVerificationEvent, Person.email).outerjoin(Person, Person.id == OrgVerificationEvent.actor_id)
            .where(OrgVerificationEvent.org_id == org_id)
            .order_by(OrgVerificationEvent.at.desc(), OrgVerificationEvent.id))
        return [(event, email) for event, email in rows.all()]

    async def status(self, org_id: uuid.UUID) -> tuple[Organization, OrgVerificationRequest | None,
                                                       list[tuple[OrgVerificationEvent, str | None]]]:
        """The organization, its request and its audit log."""
        org = await self._org(org_id)
        return org, await self.get_request(org_id), await self.history(org_id)

    async def list_orgs(self, state: str | None = None, kind: str | None = None
                        ) -> list[tuple[Organization, OrgVerificationRequest | None]]:
        """Organizations with their requests: pending first (oldest request first), then by state and name."""
        if state is not None and state not in VERIFICATION_STATES:
            raise InvalidInput("Unknown verification state.", field="state")
        query = select(Organization, OrgVerificationRequest).outerjoin(
            OrgVerificationRequest, OrgVerificationRequest.org_id == Organization.id)
        if state:
            query = query.where(Organization.verification_state == state)
        if kind:
            query = query.where(Organization.kind == kind)
        rows = [(org, row) for org, row in (await self.session.execute(query)).all()]
        rank = {"pending": 0, "suspended": 1, "unverified": 2, "verified": 3}

        def order(item: tuple[Organization, OrgVerificationRequest | None]) -> tuple:
            org, row = item
            submitted = row.submitted_at.timestamp() if row is not None and org.verification_state == "pending" else 0
            return rank.get(org.verification_state, 9), submitted, org.name_en.lower()

        return sorted(rows, key=order)


def next_step(state: str) -> str:
    """What the organization should do next, in English (pages use their own wording)."""
    return NEXT_STEPS.get(state, "")
