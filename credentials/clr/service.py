"""Issue and verify 1EdTech CLR 2.0 ``ClrCredential`` transcripts.

A provider's transcript bundles the learner's active Data Integrity credentials from that provider, each
embedded as issued (so each keeps its own proof and verifies alone), and lists their achievements; the
provider's issuer key signs the whole (eddsa-rdfc-2022). Verification checks the outer proof and every
embedded credential, with the issuer trust of each.
"""

from __future__ import annotations

import json
import uuid
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.documents import OB3_CONTEXT, VCDM2_CONTEXT, email_identity, iso, issuer_profile
from credentials.issuers import IssuerService
from accounts.models import Person
from credentials.models import CredentialState, HeldCredential, IssuedCredential, OfferState
from credentials.vc.signing import sign_credential
from credentials.vc.verifier import Check
from credentials.verification import Checked, check

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_TYPES = ["VerifiableCredential", "ClrCredential"]
MAX_CREDENTIALS = 200
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


def clr_credential(*, credential_id: str, issuer: dict[str, Any], recipient_email: str, name: str,
                   embedded: list[dict[str, Any]], valid_from: Any) -> dict[str, Any]:
    """An unsigned ClrCredential embedding ``embedded`` (signed OpenBadgeCredentials) unchanged."""
    achievements = [c["credentialSubject"]["achievement"] for c in embedded]
    return {
        "@context": [VCDM2_CONTEXT, CLR_CONTEXT, OB3_CONTEXT],
        "id": credential_id, "type": list(CLR_TYPES), "name": name, "issuer": issuer,
        "validFrom": iso(valid_from), "awardedDate": iso(valid_from),
        "credentialSubject": {"type": ["ClrSubject"], "identifier": [email_identity(recipient_email)],
                              "verifiableCredential": embedded, "achievement": achievements},
    }


async def issue_transcript(session: AsyncSession, settings: Settings, org_id: uuid.UUID, recipient_email: str,
                           lang: str = "ja") -> dict[str, Any]:
    """A signed ClrCredential of the learner's active Data Integrity credentials from this provider (VC-JWT
    ones are left out: CLR embeds them only as compact JWS in the API, not inside a signed transcript)."""
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
    unsigned = clr_credential(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        issuer=issuer_profile(did=issuer.did, name=org_name, url=org.url),
        recipient_email=email, name=f"{org_name} 学修歴証明書" if lang == "ja" else f"{org_name} transcript",
        embedded=[row.document for row in rows], valid_from=utcnow())
    return sign_credential(unsigned, key, verification_method=method)


async def export_wallet(session: AsyncSession, settings: Settings, person_id: uuid.UUID,
                        lang: str = "ja") -> dict[str, Any]:
    """The learner's wallet as a ClrCredential signed by the platform's own issuer key (did:web of the
    platform; it always exists, so the export is always signed): every accepted Data Integrity credential,
    embedded unchanged."""
    rows = (await session.execute(
        select(HeldCredential).where(HeldCredential.person_id == person_id, HeldCredential.format == "ldp",
                                     HeldCredential.offer_state == OfferState.accepted)
        .order_by(HeldCredential.created_at).limit(MAX_CREDENTIALS))).scalars().all()
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
    if not is_clr(document):
        raise InvalidInput("Send a ClrCredential (type must include ClrCredential).", field="type")
    outer = (await check(session, settings, document)).to_dict()
    schema = validate_clr(document)
    nested = []
    for i, credential in enumerate(embedded_credentials(document)):
        verdict = (await check(session, settings, credential)).to_dict()
        nested.append({"index": i, "id": credential.get("id") if isinstance(credential, dict) else None,
                       **verdict})
    verified = bool(outer["verified"]) and not schema and bool(nested) and all(n["verified"] for n in nested)
    return {"verified": verified, "credential": outer, "schema_errors": schema, "embedded": nested}
