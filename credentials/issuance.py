"""Issuing OpenBadgeCredentials, and revoking, suspending and listing them.

A credential is built from the achievement, signed with the issuer's active key (Data Integrity
``eddsa-rdfc-2022``, or VC-JWT), given a revocation status entry (and a suspension one when asked
for), stored, and delivered to the wallet of the person whose account has the recipient's email.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from core.db import utcnow
from core.errors import Conflict, DomainError, InvalidInput, NotFound
from core.settings import Settings
from credentials.achievements import (AchievementService, achievement_json, check_learner_results, check_url,
                                      learner_results_json, results_json)
from credentials.documents import issuer_profile, open_badge_credential
from credentials.endorsements import to_embed as endorsements_to_embed, with_endorsements
from credentials.idempotency import Idempotency, fingerprint
from credentials.issuers import IssuerService
from credentials.models import FORMATS, Achievement, IssuedCredential
from credentials.signing_pool import pool_size, sign_many
from credentials.status import StatusListService
from credentials.vc import sign_credential
from credentials.wallet import deliver_issued, reverify_copies
from credentials.webhooks import events as webhook_events

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EVIDENCE = 20
EVIDENCE_FIELDS = ("url", "name", "description", "narrative", "genre", "audience")
ACTIONS = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "active"}
MAX_PAGE = 200


@dataclass
class IssueRequest:
    """What one issuance needs; ``check()`` gives the field errors (empty when acceptable)."""

    achievement_id: uuid.UUID | str | None
    recipient_email: str
    recipient_name: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)  # checked by achievements.check_learner_results
    format: str = "ldp"
    suspendable: bool = False
    lang: str = "ja"

    def check(self) -> list[dict[str, str]]:
        errors = []
        self.recipient_email = (self.recipient_email or "").strip().lower()
        if not EMAIL.match(self.recipient_email) or len(self.recipient_email) > 320:
            errors.append({"field": "recipient_email", "message": "Enter a valid email address."})
        if self.recipient_name is not None and len(self.recipient_name) > 200:
            errors.append({"field": "recipient_name", "message": "At most 200 characters."})
        try:
            self.achievement_id = uuid.UUID(str(self.achievement_id))
        except ValueError:
            errors.append({"field": "achievement_id", "message": "Give the id of one of your achievements."})
        if self.format not in FORMATS:
            errors.append({"field": "format", "message": "Format must be 'ldp' or 'jwt'."})
        if self.lang not in ("ja", "en"):
            errors.append({"field": "lang", "message": "Language must be 'ja' or 'en'."})
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            errors.append({"field": "valid_until", "message": "validUntil must be after validFrom."})
        errors.extend(_evidence_errors(self.evidence))
        return errors

    def fingerprint(self) -> str:
        return fingerprint(asdict(self))


def _evidence_errors(evidence: list[dict[str, Any]]) -> list[dict[str, str]]:
    if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE:
        return [{"field": "evidence", "message": f"Give a list of at most {MAX_EVIDENCE} evidence items."}]
    errors = []
    for i, item in enumerate(evidence):
        if not isinstance(item, dict) or not any(item.get(k) for k in EVIDENCE_FIELDS):
            errors.append({"field": f"evidence[{i}]", "message": "Give at least a url, name or narrative."})
            continue
        try:
            check_url(item.get("url"), "url")
        except InvalidInput:
            errors.append({"field": f"evidence[{i}].url", "message": "Use an http(s) URL."})
    return errors


class IssuanceService:
    """Issuance and credential state on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.issuers = IssuerService(session, settings)
        self.status = StatusListService(session, settings)

    async def issue_once(self, org_id: uuid.UUID, request: IssueRequest, idempotency_key: str) -> IssuedCredential:
        """Issue, unless a request with this key already did: then return that credential."""
        _raise_errors(request.check())
        idempotency = Idempotency(self.session)
        request_hash = request.fingerprint()
        earlier = await idempotency.replay(org_id, idempotency_key, request_hash, "credential")
        if earlier is not None:
            return await self.get(org_id, earlier)
        credential = await self.issue(org_id, request)
        await idempotency.remember(org_id, idempotency_key, request_hash, "credential", credential.id)
        return credential

    async def issue(self, org_id: uuid.UUID, request: IssueRequest, *, batch_id: uuid.UUID | None = None,
                    batch_line: int | None = None) -> IssuedCredential:
        """Issue one credential now."""
        _raise_errors(request.check())
        achievement = await AchievementService(self.session, self.settings).get(org_id, request.achievement_id)
        learner_results = check_learner_results(achievement, request.results)
        org = await self.session.get(Organization, org_id)
        issuer = await self.issuers.for_org(org_id)
        key, method = await self.issuers.signing_key(issuer)
        credential_id = uuid.uuid4()
        valid_from = request.valid_from or utcnow()
        row = IssuedCredential(
            id=credential_id, org_id=org_id, issuer_id=issuer.id, achievement_id=achievement.id,
            recipient_email=request.recipient_email, recipient_name=request.recipient_name, format=request.format,
            document={}, verification_method=method, valid_from=valid_from, valid_until=request.valid_until,
            batch_id=batch_id, batch_line=batch_line,
        )
        self.session.add(row)
        await self.session.flush()
        purposes = ["revocation", "suspension"] if request.suspendable else ["revocation"]
        entries = [await self.status.allocate(issuer, credential_id, p) for p in purposes]
        endorsed, issuer_endorsed = await endorsements_to_embed(self.session, achievement)
        unsigned = open_badge_credential(
            credential_id=f"urn:uuid:{credential_id}",
            issuer=with_endorsements(issuer_profile(
                did=issuer.did, name=org.name_ja if request.lang == "ja" else org.name_en, url=org.url),
                issuer_endorsed),
            achievement=with_endorsements(achievement_json(achievement, self.settings, request.lang),
                                          endorsed),
            results=results_json(achievement, self.settings, learner_results),
            recipient_email=request.recipient_email,
            recipient_name=request.recipient_name, valid_from=valid_from, valid_until=request.valid_until,
            evidence=request.evidence, status=entries[0] if len(entries) == 1 else entries,
        )
        if request.format == "jwt":
            row.jwt = sign_credential(unsigned, key, verification_method=method, suite="vc-jwt")
            row.document = unsigned
        else:
            row.document = sign_credential(unsigned, key, verification_method=method)
        await self.session.flush()
        await webhook_events.credentials_issued(self.session, org_id, [row])
        await deliver_issued(self.session, self.settings, row)
        return row

    async def issue_many(self, org_id: uuid.UUID, requests: list[IssueRequest], *, batch_id: uuid.UUID | None = None,
                         batch_lines: list[int] | None = None) -> list[uuid.UUID | DomainError]:
        """Issue many credentials in this transaction: one key load, status indexes allocated per list in
        one statement, the credentials and their entries inserted together, wallet delivery only for the
        recipients who have a confirmed account. Returns, per request, the credential's id or the line's error."""
        results: list[uuid.UUID | DomainError | None] = [None] * len(requests)
        for i, request in enumerate(requests):
            errors = request.check()
            if errors:
                results[i] = InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
        wanted = {r.achievement_id for i, r in enumerate(requests) if results[i] is None}
        achievements = {a.id: a for a in (await self.session.execute(select(Achievement).where(
            Achievement.org_id == org_id, Achievement.id.in_(wanted)))).scalars()} if wanted else {}
        for i, request in enumerate(requests):
            if results[i] is None and request.achievement_id not in achievements:
                results[i] = NotFound("No such achievement in this organization.", field="achievement_id")
        learner: dict[int, list[dict[str, Any]]] = {}
        for i, request in enumerate(requests):
            if results[i] is None and request.results:
                try:  # a bad result fails only its own line
                    learner[i] = check_learner_results(achievements[request.achievement_id], request.results)
                except InvalidInput as exc:
                    results[i] = exc
        todo = [i for i in range(len(requests)) if results[i] is None]
        if not todo:
            return results  # type: ignore[return-value]
        org = await self.session.get(Organization, org_id)
        issuer = await self.issuers.for_org(org_id)
        key, method = await self.issuers.signing_key(issuer)
        ids = {i: uuid.uuid4() for i in todo}
        revocation, entry_rows = await self.status.allocate_many(issuer, [ids[i] for i in todo], "revocation")
        entries = {i: [e] for i, e in zip(todo, revocation)}
        suspendable = [i for i in todo if requests[i].suspendable]
        if suspendable:
            suspension, more_rows = await self.status.allocate_many(issuer, [ids[i] for i in suspendable], "suspension")
            entry_rows += more_rows
            for i, e in zip(suspendable, suspension):
                entries[i].append(e)
        parts: dict[tuple[uuid.UUID, str], tuple[dict, list, dict]] = {}
        now, rows = utcnow(), []
        for i in todo:
            request, achievement = requests[i], achievements[requests[i].achievement_id]
            if (achievement.id, request.lang) not in parts:
                endorsed, issuer_endorsed = await endorsements_to_embed(self.session, achievement)
                parts[(achievement.id, request.lang)] = (
                    with_endorsements(issuer_profile(
                        did=issuer.did, name=org.name_ja if request.lang == "ja" else org.name_en,
                        url=org.url), issuer_endorsed),
                    results_json(achievement, self.settings),
                    with_endorsements(achievement_json(achievement, self.settings, request.lang), endorsed))
            profile, results_part, achievement_part = parts[(achievement.id, request.lang)]
            valid_from = request.valid_from or now
            unsigned = open_badge_credential(
                credential_id=f"urn:uuid:{ids[i]}", issuer=profile, achievement=achievement_part,
                results=results_part + learner_results_json(achievement, self.settings, learner[i]) if i in learner
                else results_part, recipient_email=request.recipient_email,
                recipient_name=request.recipient_name, valid_from=valid_from, valid_until=request.valid_until,
                evidence=request.evidence, status=entries[i][0] if len(entries[i]) == 1 else entries[i])
            rows.append({
                "id": ids[i], "org_id": org_id, "issuer_id": issuer.id, "achievement_id": achievement.id,
                "recipient_email": request.recipient_email, "recipient_name": request.recipient_name,
                "format": request.format, "document": unsigned, "jwt": None, "verification_method": method,
                "valid_from": valid_from, "valid_until": request.valid_until, "state": "active",
                "state_reason": None, "state_changed_at": None, "batch_id": batch_id,
                "batch_line": batch_lines[i] if batch_lines else None, "created_at": now})
        signed = await sign_many([r["document"] for r in rows],
                                 ["vc-jwt" if r["format"] == "jwt" else "eddsa-rdfc-2022" for r in rows], key, method,
                                 processes=pool_size(self.session.bind.dialect.name))
        for row, result in zip(rows, signed):
            if row["format"] == "jwt":
                row["jwt"] = result
            else:
                row["document"] = result
        await self.session.execute(insert(IssuedCredential.__table__), rows)  # Core: the ORM bulk path cost ~0.1 ms a row
        await self.status.insert_entries(entry_rows)
        await webhook_events.credentials_issued(self.session, org_id, rows)
        await self._deliver_many(rows)
        for i in todo:
            results[i] = ids[i]
        return results  # type: ignore[return-value]

    async def _deliver_many(self, rows: list[dict]) -> None:
        """``deliver_issued`` for the credentials whose recipient has a confirmed account (one query finds them)."""
        emails = {r["recipient_email"] for r in rows}
        holders = set((await self.session.execute(select(Person.email).where(
            Person.email.in_(emails), Person.email_confirmed_at.is_not(None)))).scalars())
        for row in rows:
            if row["recipient_email"] in holders:
                credential = await self.session.get(IssuedCredential, row["id"])
                await deliver_issued(self.session, self.settings, credential)

    async def get(self, org_id: uuid.UUID, credential_id: uuid.UUID) -> IssuedCredential:
        credential = await self.session.get(IssuedCredential, credential_id)
        if credential is None or credential.org_id != org_id:
            raise NotFound("No such credential in this organization.")
        return credential

    async def list(self, org_id: uuid.UUID, *, achievement_id: uuid.UUID | None = None, state: str | None = None,
                   recipient_email: str | None = None, recipient: str | None = None,
                   batch_id: uuid.UUID | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[IssuedCredential], int]:
        """A page of the organization's credentials (newest first) and the total that match;
        ``recipient_email`` is one exact address, ``recipient`` a part of the email or the name (any case)."""
        conditions = [IssuedCredential.org_id == org_id]
        if achievement_id:
            conditions.append(IssuedCredential.achievement_id == achievement_id)
        if state:
            conditions.append(IssuedCredential.state == state)
        if recipient_email:
            conditions.append(IssuedCredential.recipient_email == recipient_email.strip().lower())
        if recipient and recipient.strip():
            part = recipient.strip().lower()
            conditions.append(or_(IssuedCredential.recipient_email.contains(part, autoescape=True),
                                  func.lower(IssuedCredential.recipient_name).contains(part, autoescape=True)))
        if batch_id:
            conditions.append(IssuedCredential.batch_id == batch_id)
        total = (await self.session.execute(
            select(func.count()).select_from(IssuedCredential).where(*conditions))).scalar_one()
        rows = await self.session.execute(
            select(IssuedCredential).where(*conditions)
            .order_by(IssuedCredential.created_at.desc(), IssuedCredential.id)
            .limit(max(1, min(limit, MAX_PAGE))).offset(max(0, offset)))
        return list(rows.scalars()), total

    async def change_state(self, org_id: uuid.UUID, credential_id: uuid.UUID, action: str,
                           reason: str | None) -> IssuedCredential:
        """Revoke (final), suspend or unsuspend; the status list is re-signed in the same transaction."""
        credential = await self.get(org_id, credential_id)
        target = ACTIONS.get(action)
        if target is None:
            raise InvalidInput("Action must be revoke, suspend or unsuspend.", field="action")
        if credential.state == "revoked":
            raise Conflict("This credential is revoked; that cannot be undone.")
        if action != "revoke" and not has_suspension(credential):
            raise Conflict("This credential was issued without a suspension entry; it can only be revoked.")
        if action == "unsuspend" and credential.state != "suspended":
            raise Conflict("This credential is not suspended.")
        credential.state, credential.state_reason = target, (reason or None)
        credential.state_changed_at = utcnow()
        await self.session.flush()
        await self.status.refresh_for(credential)
        if target == "revoked":
            await webhook_events.credential_revoked(self.session, credential)
        await reverify_copies(self.session, self.settings, credential)
        return credential


def _raise_errors(errors: list[dict[str, str]]) -> None:
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)


def has_suspension(credential: IssuedCredential) -> bool:
    """True when the credential was issued with a suspension status entry (it can be suspended)."""
    status = credential.document.get("credentialStatus")
    entries = status if isinstance(status, list) else [status]
    return any(isinstance(e, dict) and e.get("statusPurpose") == "suspension" for e in entries)


def credential_token_or_document(credential: IssuedCredential) -> str | dict:
    """What the holder receives: the VC-JWT, or the signed JSON-LD credential."""
    return credential.jwt if credential.format == "jwt" and credential.jwt else credential.document
