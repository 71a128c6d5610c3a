"""Turning service results into API responses (and request bodies into service input)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar import Request, Response
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import UploadFile

from accounts.access import principal_of
from core.errors import InvalidInput, NotAuthenticated
from credentials.alignments import dss_alignments
from credentials.batches import BatchOptions, BatchService
from credentials.issuance import credential_token_or_document
from credentials.issuers import IssuerService, method_id
from credentials.jobs import BatchRunner
from credentials.models import HeldCredential, HolderDid, IssuanceBatch, IssuedCredential, Issuer
from credentials.schemas import BatchRead, BatchRowRead, CredentialRead, HeldDetail, HeldRead, IssuerRead
from credentials.vc.jwt import looks_like_jwt
from credentials.vc.sd_jwt import looks_like_sd_jwt
from credentials.verification import Checked
from credentials.wallet import counts_for_holder

VERIFY_WRAPPERS = ("credential", "presentation", "jwt", "verifiableCredential", "verifiablePresentation")


def person_id(request: Request) -> uuid.UUID:
    principal = principal_of(request)
    if principal.person_id is None:
        raise NotAuthenticated("Sign in to continue.")
    return principal.person_id


async def issuer_read(issuers: IssuerService, issuer: Issuer) -> IssuerRead:
    keys = await issuers.keys(issuer)
    active = await issuers.active_key(issuer)
    base = issuers.settings.base_url.rstrip("/")
    return IssuerRead(
        id=issuer.id, slug=issuer.slug, did=issuer.did, did_method=issuer.did_method,
        did_document_url=f"{base}/issuers/{issuer.slug}/did.json",
        active_verification_method=method_id(issuer.did, active),
        keys=[{"public_key_multibase": k.public_multibase, "active": k.active, "created_at": k.created_at,
               "retired_at": k.retired_at} for k in keys],
    )


def credential_read(credential: IssuedCredential) -> CredentialRead:
    return CredentialRead(
        id=credential.id, achievement_id=credential.achievement_id, recipient_email=credential.recipient_email,
        recipient_name=credential.recipient_name, format=credential.format, state=credential.state,
        state_reason=credential.state_reason, valid_from=credential.valid_from, valid_until=credential.valid_until,
        batch_id=credential.batch_id, batch_line=credential.batch_line, created_at=credential.created_at,
        credential=credential_token_or_document(credential),
    )


async def batch_read(batches: BatchService, batch: IssuanceBatch, *, rows: bool = True, row_state: str | None = None,
                     limit: int = 1000, offset: int = 0) -> BatchRead:
    counts = await batches.counts(batch.id)
    lines = await batches.rows(batch.id, row_state, limit, offset) if rows else []
    return BatchRead(
        id=batch.id, state=batch.state, format=batch.format, total=batch.total, created_at=batch.created_at,
        started_at=batch.started_at, finished_at=batch.finished_at, **counts,
        rows=[BatchRowRead(line=r.line, state=r.state, recipient_email=r.data.get("recipient_email"),
                           errors=r.errors, credential_id=r.credential_id) for r in lines],
    )


async def batch_accepted(batches: BatchService, batch: IssuanceBatch, runner: BatchRunner) -> Response[BatchRead]:
    """202 with the batch; the job is handed to the runner after the transaction has committed."""
    body = await batch_read(batches, batch, rows=False)
    background = BackgroundTask(runner.submit, batch.id) if batch.state != "done" else None
    return Response(body, status_code=202, background=background,
                    headers={"Location": f"/api/v1/orgs/{batch.org_id}/batches/{batch.id}"})


async def csv_form(data: dict[str, Any]) -> tuple[UploadFile, BatchOptions]:
    upload = data.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput("Attach the CSV file as form field 'file'.", field="file")
    achievement = data.get("achievement_id") or None
    try:
        achievement_id = uuid.UUID(str(achievement)) if achievement else None
    except ValueError:
        raise InvalidInput("achievement_id must be an achievement id.", field="achievement_id") from None
    suspendable = str(data.get("suspendable", "false")).lower() in ("1", "true", "yes", "on")
    options = BatchOptions(achievement_id, str(data.get("format") or "ldp"), suspendable,
                           str(data.get("lang") or "ja"))
    if options.lang not in ("ja", "en"):
        raise InvalidInput("lang must be ja or en.", field="lang")
    return upload, options


def held_read(held: HeldCredential) -> HeldRead:
    return HeldRead(id=held.id, source=held.source, format=held.format, title=held.title, issuer_name=held.issuer_name,
                    verified=held.verified, verified_at=held.verified_at, created_at=held.created_at,
                    credential_id=held.credential_id,
                    skills=[{"skill_id": s, "level": lv} for s, lv in dss_alignments(held.document)],
                    trust_status=held.trust_status, trust=held.trust, subject=held.subject,
                    offer_state=held.offer_state, counts=counts_for_holder(held))


def held_detail(held: HeldCredential) -> HeldDetail:
    return HeldDetail(**held_read(held).model_dump(), document=held.document, jwt=held.jwt,
                      verification=held.verification)


def download(held: HeldCredential, fmt: str) -> Response:
    name = f"credential-{held.id}"
    if fmt == "jwt":
        if not held.jwt:
            raise InvalidInput("This credential has no VC-JWT form; download it as JSON.", field="format")
        return Response(held.jwt, media_type="application/vc+jwt",
                        headers={"Content-Disposition": f'attachment; filename="{name}.jwt"'})
    if fmt != "json":
        raise InvalidInput("format must be json or jwt.", field="format")
    body = json.dumps(held.document, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/ld+json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.json"'})


def verification_input(body: bytes) -> Any:
    """The document to verify from a request body; wrappers and JSON-string JWTs are unwrapped."""
    if not body.strip():
        raise InvalidInput("Send a credential, a presentation or a VC-JWT in the request body.", field="body")
    text = body.decode("utf-8", errors="replace").strip()
    if looks_like_jwt(text) or looks_like_sd_jwt(text):
        return text
    try:
        parsed = json.loads(text)
    except ValueError:
        raise InvalidInput("The body is neither JSON, a VC-JWT nor an SD-JWT.", field="body") from None
    if isinstance(parsed, dict) and len(parsed) == 1 and next(iter(parsed)) in VERIFY_WRAPPERS:
        return next(iter(parsed.values()))
    return parsed


UNREADABLE = {"malformed_input", "not_a_credential", "too_large", "too_deep"}
# an SD-JWT disclosure its signed payload does not reference was forged or altered: refused, not judged
FORGED = {"disclosure_not_referenced"}


def verification_output(checked: Checked) -> dict[str, Any]:
    """The checks and the trust; input that is no credential, presentation or VC-JWT at all is a 422."""
    result = checked.result
    failed_format = [c for c in result.checks if c.check == "format" and c.code in UNREADABLE]
    forged = [c for c in result.checks if c.code in FORGED]
    if forged:
        raise InvalidInput(forged[0].message, field="body", extra={"checks": [c.to_dict() for c in result.checks]})
    if failed_format and len(result.checks) == 1:
        raise InvalidInput(failed_format[0].message, field="body",
                           extra={"checks": [c.to_dict() for c in result.checks]})
    return checked.to_dict()


def holder_did_read(row: HolderDid) -> dict[str, Any]:
    return {"id": str(row.id), "did": row.did, "created_at": row.created_at.isoformat()}
