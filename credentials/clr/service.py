"""Issue and verify 1EdTech CLR 2.0 ``ClrCredential`` transcripts.

A provider's transcript bundles the learner's active Data Integrity credentials from that provider, each
embedded as issued (so each keeps its own proof and verifies alone), lists their achievements and the
associations between them that the provider's pathways give; the provider's issuer key signs the whole
(eddsa-rdfc-2022, or a VC-JWT compact JWS). Each issued transcript is kept (``credentials.clr.store``)
with a status list entry, and lands in the learner's wallet when their account confirmed the address.
Verification checks the outer proof and every embedded credential, with the issuer trust of each.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials import events
from credentials.achievements import achievement_url
from credentials.clr import store
from credentials.clr.models import ClrTranscript
from credentials.documents import OB3_CONTEXT, VCDM2_CONTEXT, email_identity, iso, issuer_profile
from credentials.issuers import IssuerService
from credentials.models import CredentialState, HeldCredential, IssuedCredential, OfferState
from credentials.obv3.responses import response_body
from credentials.pathways.models import Pathway, PathwayStep
from credentials.vc.signing import sign_credential
from credentials.wallet import WalletService, _verified, content_hash, describe, parse_held
from credentials.vc.verifier import Check
from credentials.verification import Checked, check

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_TYPES = ["VerifiableCredential", "ClrCredential"]
MAX_CREDENTIALS = 200
FORMATS = ("ldp", "jwt")
SCHEMA_FILE = Path(__file__).parent / "clr_v2p0_clrcredential_schema.json"


@lru_cache(maxsize=1)
def _schema_validator() -> Any:
    from jsonschema import Draft201909Validator  # noqa: PLC0415 -- only the schema check needs it

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return Draft201909Validator(schema, format_checker=Draft201909Validator.FORMAT_CHECKER)


def validate_clr(document: dict[str, Any]) -> list[str]:
    """CLR 2.0 JSON Schema violations of a ClrCredential (empty: valid)."""
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:200]}"
            for e in _schema_validator().iter_errors(document)][:5]


def _achievements(embedded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The embedded credentials' achievements, each once (a learner may hold one twice)."""
    seen, found = set(), []
    for credential in embedded:
        subject = credential.get("credentialSubject")
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        if isinstance(achievement, dict) and achievement.get("id") not in seen:
            seen.add(achievement.get("id"))
            found.append(achievement)
    return found


def clr_credential(*, credential_id: str, issuer: dict[str, Any], recipient_email: str, name: str,
                   embedded: list[dict[str, Any]], valid_from: Any,
                   associations: list[dict[str, str]] | None = None,
                   status: dict[str, Any] | None = None) -> dict[str, Any]:
    """An unsigned ClrCredential embedding ``embedded`` (signed OpenBadgeCredentials) unchanged."""
    subject: dict[str, Any] = {"type": ["ClrSubject"], "identifier": [email_identity(recipient_email)],
                               "verifiableCredential": embedded, "achievement": _achievements(embedded)}
    if associations:
        subject["association"] = associations
    document = {
        "@context": [VCDM2_CONTEXT, CLR_CONTEXT, OB3_CONTEXT],
        "id": credential_id, "type": list(CLR_TYPES), "name": name, "issuer": issuer,
        "validFrom": iso(valid_from), "awardedDate": iso(valid_from), "credentialSubject": subject,
    }
    if status:
        document["credentialStatus"] = status
    return document


def association(kind: str, source: str, target: str) -> dict[str, str]:
    return {"type": "Association", "associationType": kind, "sourceId": source, "targetId": target}


async def pathway_associations(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                               achievement_ids: set[str]) -> list[dict[str, str]]:
    """Associations the provider's pathways give between achievements the transcript carries: each step
    ``isPartOf`` the pathway's badge achievement, and in an ordered pathway each needed step (one without
    an alternatives group) ``precedes`` the next needed one. A relation to an achievement the transcript
    does not carry is left out (its ``targetId`` would point at nothing in the CLR)."""
    pathways = (await session.execute(select(Pathway).where(Pathway.org_id == org_id)
                                      .order_by(Pathway.created_at))).scalars().all()
    found: list[dict[str, str]] = []
    for pathway in pathways:
        steps = (await session.execute(select(PathwayStep).where(PathwayStep.pathway_id == pathway.id)
                                       .order_by(PathwayStep.position))).scalars().all()
        badge = achievement_url(settings, pathway.badge_achievement_id)
        urls = [(achievement_url(settings, step.achievement_id), step.group_name) for step in steps]
        for url, _ in urls:
            if url in achievement_ids and badge in achievement_ids:
                found.append(association("isPartOf", url, badge))
        if pathway.ordered:
            needed = [url for url, group in urls if not group]
            for before, after in zip(needed, needed[1:]):
                if before in achievement_ids and after in achievement_ids:
                    found.append(association("precedes", before, after))
    unique = {(a["associationType"], a["sourceId"], a["targetId"]): a for a in found}
    return list(unique.values())


async def _deliver(session: AsyncSession, settings: Settings, row: ClrTranscript) -> HeldCredential | None:
    """The transcript into the wallet of the account that confirmed the recipient's address, verified."""
    person = (await session.execute(select(Person).where(
        Person.email == row.recipient_email, Person.email_confirmed_at.is_not(None)))).scalar_one_or_none()
    if person is None:
        return None
    title, issuer_name = describe(row.document)
    held = HeldCredential(person_id=person.id, source="issued", format=row.format, document=row.document,
                          jwt=row.jwt, content_hash=content_hash(row.jwt or row.document), title=title,
                          issuer_name=issuer_name)
    session.add(held)
    await session.flush()
    await _verified(session, settings, held)
    if held.trust_status != "trusted":
        held.offer_state = OfferState.pending  # as for badges: an issuer nobody vouches for only offers
    await session.flush()
    await events.wallet_changed(session, settings, person.id)
    return held


async def issue_transcript(session: AsyncSession, settings: Settings, org_id: uuid.UUID, recipient_email: str,
                           lang: str = "ja", fmt: str = "ldp") -> ClrTranscript:
    """A signed ClrCredential of the learner's active Data Integrity credentials from this provider (VC-JWT
    ones are left out: the CLR 2.0 schema wants each ClrSubject.verifiableCredential item to carry issuer,
    validFrom and credentialSubject, which a VCDM 2.0 EnvelopedVerifiableCredential has not), kept
    with a status entry and delivered to the learner's wallet. ``fmt`` ``jwt``: the transcript is a
    VC-JWT (VCDM 2.0, ``typ: vc+jwt``) over the same document."""
    if fmt not in FORMATS:
        raise InvalidInput("format must be ldp or jwt.", field="format")
    email = (recipient_email or "").strip().lower()
    if "@" not in email or len(email) > 320:
        raise InvalidInput("Enter a valid email address.", field="recipient_email")
    rows = (await session.execute(
        select(IssuedCredential).where(IssuedCredential.org_id == org_id, IssuedCredential.recipient_email == email,
                                       IssuedCredential.format == "ldp",
                                       IssuedCredential.state == CredentialState.active)
        .order_by(IssuedCredential.created_at).limit(MAX_CREDENTIALS))).scalars().all()
    if not rows:
        raise NotFound("This organization has issued no active credential to this address.", field="recipient_email")
    org = await session.get(Organization, org_id)
    issuers = IssuerService(session, settings)
    issuer = await issuers.for_org(org_id)
    key, method = await issuers.signing_key(issuer)
    org_name = org.name_ja if lang == "ja" else org.name_en
    embedded = [row.document for row in rows]
    carried = {a.get("id") for a in _achievements(embedded)}
    slot = await store.allocate(session, settings, issuer)
    transcript_id = uuid.uuid4()
    unsigned = clr_credential(
        credential_id=f"urn:uuid:{transcript_id}",
        issuer=issuer_profile(did=issuer.did, name=org_name, url=org.url),
        recipient_email=email, name=f"{org_name} 学修歴証明書" if lang == "ja" else f"{org_name} transcript",
        embedded=embedded, valid_from=utcnow(),
        associations=await pathway_associations(session, settings, org_id, carried), status=slot.entry)
    if fmt == "jwt":
        document, token = unsigned, sign_credential(unsigned, key, verification_method=method, suite="vc-jwt")
    else:
        document, token = sign_credential(unsigned, key, verification_method=method), None
    row = ClrTranscript(id=transcript_id, org_id=org_id, issuer_id=issuer.id, recipient_email=email,
                        credential_uri=unsigned["id"], format=fmt, document=document, jwt=token,
                        name=unsigned["name"][:500], achievement_count=len(carried),
                        status_list_id=slot.list_id, status_index=slot.index)
    session.add(row)
    await session.flush()
    await _deliver(session, settings, row)
    return row


async def export_wallet(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                        lang: str = "ja") -> dict[str, Any]:
    """The learner's wallet as a ClrCredential signed by the platform's own issuer key (did:web of the
    platform; it always exists, so the export is always signed): every accepted Data Integrity credential,
    embedded unchanged."""
    rows = (await session.execute(
        select(HeldCredential).where(HeldCredential.person_id == person_id, HeldCredential.format == "ldp",
                                     HeldCredential.offer_state == OfferState.accepted)
        .order_by(HeldCredential.created_at).limit(MAX_CREDENTIALS))).scalars().all()
    rows = [row for row in rows if not is_clr(row.document)]  # a transcript is not nested in another
    if not rows:
        raise NotFound("Your wallet holds no JSON-LD credential to export.")
    person = await session.get(Person, person_id)
    issuers = IssuerService(session, settings)
    issuer = await issuers.platform()
    key, method = await issuers.signing_key(issuer)
    unsigned = clr_credential(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        issuer=issuer_profile(did=issuer.did, name="skillpass", url=settings.base_url.rstrip("/")),
        recipient_email=person.email, name="skillpass 学修歴（ウォレット）" if lang == "ja" else "skillpass wallet record",
        embedded=[row.document for row in rows], valid_from=utcnow())
    return sign_credential(unsigned, key, verification_method=method)


def check_incoming(raw: Any) -> dict[str, Any]:
    """The document of a CLR sent to the API (JSON-LD or compact JWS): a ClrCredential valid against the
    CLR 2.0 schema; InvalidInput otherwise (its proofs are verified by the caller)."""
    document, _ = parse_held(raw)
    if not is_clr(document):
        raise InvalidInput("Send a ClrCredential (type must include ClrCredential).", field="type")
    errors = validate_clr(document)
    if errors:
        raise InvalidInput("The ClrCredential does not follow the CLR 2.0 schema: " + "; ".join(errors),
                           field="credential")
    return document


def _held_clr(held: HeldCredential, since: datetime | None) -> bool:
    # As for OB getCredentials: only what verifies, never a declined offer, and `since` on the time the
    # wallet received it (the OB API's semantics).
    return (held.verified and held.offer_state != OfferState.declined and is_clr(held.document)
            and (since is None or held.created_at >= since))


async def clr_page(session: AsyncSession, settings: Settings, person_id: uuid.UUID, *, limit: int,
                   offset: int, since: datetime | None = None) -> tuple[dict[str, Any], int]:
    """One page of the learner's ClrCredentials (newest first) received at or after ``since`` as a
    GetClrCredentialsResponse: compact JWS for VC-JWT ones, JSON-LD otherwise; and how many there are."""
    held = [h for h in await WalletService(session, settings).list_for_person(person_id) if _held_clr(h, since)]
    return response_body(held[offset:offset + limit]), len(held)


def embedded_credentials(document: Any) -> list[Any]:
    subject = document.get("credentialSubject") if isinstance(document, dict) else None
    subject = subject[0] if isinstance(subject, list) and subject else subject
    embedded = subject.get("verifiableCredential") if isinstance(subject, dict) else None
    return embedded if isinstance(embedded, list) else []


def is_clr(document: Any) -> bool:
    types = document.get("type") if isinstance(document, dict) else None
    return isinstance(types, list) and "ClrCredential" in types


async def with_embedded_checks(session: AsyncSession, settings: Settings, document: dict[str, Any],
                               checked: Checked) -> Checked:
    """``checked`` (a ClrCredential's verdict) with one ``embedded`` check per embedded credential, each
    verified on its own with its issuer's trust; the transcript fails when one of them fails."""
    embedded = embedded_credentials(document)
    if not embedded:
        checked.result.checks.append(Check("embedded", False, "embedded_missing", "the CLR embeds no credential",
                                           "CLR に証明書が含まれていません"))
    for i, credential in enumerate(embedded):
        inner = await check(session, settings, credential)
        path = f"credentialSubject.verifiableCredential[{i}]"
        if inner.result.verified:
            checked.result.checks.append(Check("embedded", True, "embedded_ok", f"embedded credential {i + 1} verifies",
                                               f"含まれる証明書 {i + 1} は有効です", path))
        else:
            reasons = "; ".join(inner.result.errors)[:300]
            checked.result.checks.append(Check("embedded", False, "embedded_failed",
                                               f"embedded credential {i + 1} fails: {reasons}",
                                               f"含まれる証明書 {i + 1} は検証できません", path))
        checked.credentials.append({"issuer": (credential.get("issuer") or {}).get("id")
                                    if isinstance(credential.get("issuer"), dict) else credential.get("issuer"),
                                    "id": credential.get("id"), "trust": inner.trust})
    checked.result.verified = checked.result.verified and all(
        c.ok for c in checked.result.checks if c.check == "embedded")
    return checked


async def verify_transcript(session: AsyncSession, settings: Settings, document: Any) -> dict[str, Any]:
    """The outer verdict (proof, dates, issuer trust, CLR schema) and one per embedded credential; the
    transcript is verified only when the outer proof and every embedded credential are."""
    raw = document
    if isinstance(document, str):  # a VC-JWT transcript: its payload is the document
        document, _ = parse_held(document)
    if not is_clr(document):
        raise InvalidInput("Send a ClrCredential (type must include ClrCredential).", field="type")
    outer = (await check(session, settings, raw)).to_dict()
    schema = validate_clr(document)
    nested = []
    for i, credential in enumerate(embedded_credentials(document)):
        verdict = (await check(session, settings, credential)).to_dict()
        nested.append({"index": i, "id": credential.get("id") if isinstance(credential, dict) else None,
                       **verdict})
    verified = bool(outer["verified"]) and not schema and bool(nested) and all(n["verified"] for n in nested)
    return {"verified": verified, "credential": outer, "schema_errors": schema, "embedded": nested}
