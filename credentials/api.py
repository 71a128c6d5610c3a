"""JSON API of the credentials domain: the provider API (issuer, achievements, issuance, batches,
revocation), the learner's wallet, public verification, DID documents and status lists."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, MultipartBody, QueryParameter
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import InvalidInput
from core.settings import Settings
from core.openapi import problem_responses
from credentials import endorsements, revocation, views
from credentials.achievements import AchievementService, achievement_json
from credentials.batches import BatchOptions, BatchService, rows_from_csv, rows_from_json
from credentials.deps import (
    provide_achievements,
    provide_batches,
    provide_issuance,
    provide_issuers,
    provide_runner,
    provide_status_lists,
    provide_wallet,
)
from credentials.holders import HolderDidService, new_challenge
from credentials.idempotency import HEADER, check_key, fingerprint
from credentials.issuance import IssuanceService, IssueRequest
from credentials.issuers import PLATFORM_SLUG, IssuerService
from credentials.jobs import BatchRunner
from credentials.oid4vci.service import Oid4vciService
from credentials.schemas import (
    AchievementCreate,
    AchievementRead,
    BatchIn,
    BatchRead,
    CredentialPage,
    CredentialRead,
    DeliveredOffer,
    EndorseIn,
    HeldDetail,
    HeldRead,
    IssueIn,
    IssuerRead,
    IssuerUpdate,
    MicroCredentialIn,
    StateChange,
)
from credentials.status import StatusListService
from credentials.verification import check
from credentials.wallet import WalletService

ORG = "/api/v1/orgs/{org_id:uuid}"
IdempotencyKey = Annotated[str | None, HeaderParameter(
    name=HEADER, required=False, description="Unique per issuing request; a retry returns the first result")]
PROVIDER = access.org_member("provider", api_key=True)
PROVIDER_ADMIN = access.org_member("provider", admin_only=True)
PROVIDER_REVOKE = access.org_member("provider", api_key=True, scope="revoke")
DID_JSON = "application/did+json"
LD_JSON = "application/ld+json"
HTML_TYPES = ("text/html", "application/xhtml+xml")
JSON_TYPES = ("application/ld+json", "application/json", "application/vc+ld+json", "application/vc")
# Endorsements: members of any organization (providers and employers, cookie session + CSRF token; the
# domain then wants it verified) and provider API keys (only providers have keys; a key request is never
# read for cookies).
ENDORSER = access.org_member("any", api_key=True)
ENDORSER_REVOKE = access.org_member("any", api_key=True, scope="revoke")


class IssuerController(Controller):
    path = f"{ORG}/issuer"
    tags = ["credentials: provider"]
    dependencies = {"issuers": Provide(provide_issuers)}

    @get("/", **PROVIDER)
    async def get_issuer(self, org_id: FromPath[uuid.UUID], issuers: NamedDependency[IssuerService]) -> IssuerRead:
        """The organization's issuer: DID, method and public keys (created on first use)."""
        return await views.issuer_read(issuers, await issuers.for_org(org_id))

    @put("/", **PROVIDER_ADMIN)
    async def update_issuer(self, org_id: FromPath[uuid.UUID], data: JSONBody[IssuerUpdate],
                            issuers: NamedDependency[IssuerService]) -> IssuerRead:
        """Switch between did:key and did:web (organization admins)."""
        issuer = await issuers.set_method(await issuers.for_org(org_id), data.did_method)
        return await views.issuer_read(issuers, issuer)

    @post("/rotate-key", status_code=HTTP_200_OK, **PROVIDER_ADMIN)
    async def rotate_key(self, org_id: FromPath[uuid.UUID], issuers: NamedDependency[IssuerService]) -> IssuerRead:
        """Start signing with a new key; earlier credentials keep verifying (organization admins)."""
        issuer = await issuers.for_org(org_id)
        await issuers.rotate_key(issuer)
        return await views.issuer_read(issuers, issuer)


class AchievementController(Controller):
    path = f"{ORG}/achievements"
    tags = ["credentials: provider"]
    dependencies = {"achievements": Provide(provide_achievements)}

    @post("/", status_code=HTTP_201_CREATED, **PROVIDER)
    async def create_achievement(self, org_id: FromPath[uuid.UUID], data: JSONBody[AchievementCreate],
                                 achievements: NamedDependency[AchievementService]) -> AchievementRead:
        """Define a badge aligned to DSS ver.2.0 skill items with the attested levels."""
        return AchievementRead.model_validate(await achievements.create(org_id, data.model_dump()))

    @get("/", **PROVIDER)
    async def list_achievements(self, org_id: FromPath[uuid.UUID],
                                achievements: NamedDependency[AchievementService]) -> list[AchievementRead]:
        """The organization's achievements."""
        return [AchievementRead.model_validate(a) for a in await achievements.list(org_id)]

    @get("/{achievement_id:uuid}", **PROVIDER)
    async def get_achievement(self, org_id: FromPath[uuid.UUID], achievement_id: FromPath[uuid.UUID],
                              achievements: NamedDependency[AchievementService]) -> AchievementRead:
        """One achievement."""
        return AchievementRead.model_validate(await achievements.get(org_id, achievement_id))

    @put("/{achievement_id:uuid}/micro", **PROVIDER)
    async def put_micro(self, org_id: FromPath[uuid.UUID], achievement_id: FromPath[uuid.UUID],
                        data: JSONBody[MicroCredentialIn],
                        achievements: NamedDependency[AchievementService]) -> AchievementRead:
        """Replace the micro-credential detail (credits, workload, level, field, language, result descriptions)."""
        return AchievementRead.model_validate(
            await achievements.update_micro(org_id, achievement_id, data.model_dump()))


class CredentialController(Controller):
    path = f"{ORG}/credentials"
    tags = ["credentials: provider"]
    dependencies = {"issuance": Provide(provide_issuance)}

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409), **PROVIDER)
    async def issue(self, org_id: FromPath[uuid.UUID], data: JSONBody[IssueIn], issuance: NamedDependency[IssuanceService],
                    idempotency_key: IdempotencyKey = None) -> CredentialRead:
        """Issue one OpenBadgeCredential (needs an Idempotency-Key header; a retry returns the first result).
        With ``delivery: "offer"`` the answer also carries an OpenID4VCI offer for the recipient (``offer``)."""
        request = IssueRequest(**data.model_dump(exclude={"evidence", "delivery", "results"}),
                               evidence=[e.model_dump(exclude_none=True) for e in data.evidence],
                               results=[r.model_dump(exclude_none=True) for r in data.results])
        if data.delivery == "offer":
            offers = Oid4vciService(issuance.session, issuance.settings)
            credential, new = await offers.issue_by_offer(issuance, org_id, request, check_key(idempotency_key))
            return views.credential_read(credential).model_copy(update={"offer": DeliveredOffer(
                offer_uri=new.offer_uri, credential_offer_uri=new.credential_offer_uri, claim_url=offers.claim_url(new),
                tx_code=new.tx_code, expires_at=new.expires_at)})
        return views.credential_read(await issuance.issue_once(org_id, request, check_key(idempotency_key)))

    @get("/", **PROVIDER)
    async def list_credentials(self, org_id: FromPath[uuid.UUID], issuance: NamedDependency[IssuanceService],
                               achievement_id: FromQuery[uuid.UUID | None] = None,
                               credential_state: Annotated[str | None, QueryParameter(name="state")] = None,
                               recipient_email: FromQuery[str | None] = None,
                               recipient: Annotated[str | None, QueryParameter(
                                   max_length=200, description="A part of the recipient's email or name, any case")] = None,
                               batch_id: FromQuery[uuid.UUID | None] = None, limit: FromQuery[int] = 50,
                               offset: FromQuery[int] = 0) -> CredentialPage:
        """Issued credentials, newest first (filters: achievement, state, recipient email (exact) or a part of
        the recipient's email or name, batch)."""
        items, total = await issuance.list(org_id, achievement_id=achievement_id, state=credential_state,
                                           recipient_email=recipient_email, recipient=recipient,
                                           batch_id=batch_id, limit=limit,
                                           offset=offset)
        return CredentialPage(items=[views.credential_read(c) for c in items], total=total, limit=limit,
                              offset=offset)

    @get("/{credential_id:uuid}", **PROVIDER)
    async def get_credential(self, org_id: FromPath[uuid.UUID], credential_id: FromPath[uuid.UUID],
                             issuance: NamedDependency[IssuanceService]) -> CredentialRead:
        """One issued credential with its current state."""
        return views.credential_read(await issuance.get(org_id, credential_id))

    @post("/{credential_id:uuid}/{action:str}", status_code=HTTP_200_OK, responses=problem_responses(409),
          **PROVIDER_REVOKE)
    async def change_state(self, org_id: FromPath[uuid.UUID], credential_id: FromPath[uuid.UUID],
                           action: FromPath[str], issuance: NamedDependency[IssuanceService],
                           data: JSONBody[StateChange | None] = None) -> CredentialRead:
        """``revoke`` (final), ``suspend`` or ``unsuspend``, with an optional reason; the status list is re-signed."""
        reason = data.reason if data else None
        return views.credential_read(await revocation.change_state(issuance, org_id, credential_id, action, reason))


class BatchController(Controller):
    path = f"{ORG}/batches"
    tags = ["credentials: provider"]
    dependencies = {"batches": Provide(provide_batches), "runner": Provide(provide_runner)}

    @post("/", status_code=HTTP_202_ACCEPTED, responses=problem_responses(409), **PROVIDER)
    async def submit_json(self, org_id: FromPath[uuid.UUID], data: JSONBody[BatchIn], batches: NamedDependency[BatchService],
                          runner: NamedDependency[BatchRunner],
                          idempotency_key: IdempotencyKey = None) -> Response[BatchRead]:
        """Start a batch from a JSON array of recipients (at most 10,000); poll ``GET .../batches/{id}``."""
        key = check_key(idempotency_key)
        options = BatchOptions(data.achievement_id, data.format, data.suspendable, data.lang)
        batch, _ = await batches.submit(org_id, rows_from_json(data.recipients), options, idempotency_key=key,
                                        request_hash=fingerprint(data.model_dump(mode="json")))
        return await views.batch_accepted(batches, batch, runner)

    @post("/csv", status_code=HTTP_202_ACCEPTED, responses=problem_responses(409), **PROVIDER)
    async def submit_csv(self, org_id: FromPath[uuid.UUID], batches: NamedDependency[BatchService],
                         runner: NamedDependency[BatchRunner],
                         data: MultipartBody[dict[str, Any]],
                         idempotency_key: IdempotencyKey = None) -> Response[BatchRead]:
        """Start a batch from a CSV upload (form fields: file, achievement_id, format, suspendable, lang)."""
        key = check_key(idempotency_key)
        upload, options = await views.csv_form(data)
        content = await upload.read()
        batch, _ = await batches.submit(org_id, rows_from_csv(content), options, idempotency_key=key,
                                        request_hash=fingerprint(content + repr(options).encode()))
        return await views.batch_accepted(batches, batch, runner)

    @get("/", **PROVIDER)
    async def list_batches(self, org_id: FromPath[uuid.UUID], batches: NamedDependency[BatchService],
                           limit: FromQuery[int] = 50, offset: FromQuery[int] = 0) -> list[BatchRead]:
        """The organization's batches with their progress, newest first."""
        return [await views.batch_read(batches, b, rows=False) for b in await batches.list(org_id, limit, offset)]

    @get("/{batch_id:uuid}", **PROVIDER)
    async def get_batch(self, org_id: FromPath[uuid.UUID], batch_id: FromPath[uuid.UUID],
                        batches: NamedDependency[BatchService], row_state: FromQuery[str | None] = None,
                        limit: FromQuery[int] = 1000, offset: FromQuery[int] = 0) -> BatchRead:
        """Progress and per-line results (filter with ``row_state``: pending, issued, failed)."""
        batch = await batches.get(org_id, batch_id)
        return await views.batch_read(batches, batch, row_state=row_state, limit=limit, offset=offset)


    @get("/{batch_id:uuid}/results.csv", media_type="text/csv", **PROVIDER)
    async def batch_results(self, org_id: FromPath[uuid.UUID], batch_id: FromPath[uuid.UUID],
                            batches: NamedDependency[BatchService]) -> Response[bytes]:
        """The result table as CSV (row, recipient, status, error, credential_id; UTF-8 with a BOM for Excel)."""
        return Response(await batches.export_csv(org_id, batch_id), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="skillpass-batch-{batch_id}.csv"'})

    @post("/{batch_id:uuid}/rerun", status_code=HTTP_202_ACCEPTED, responses=problem_responses(409), **PROVIDER)
    async def rerun_failed(self, org_id: FromPath[uuid.UUID], batch_id: FromPath[uuid.UUID],
                           batches: NamedDependency[BatchService], runner: NamedDependency[BatchRunner],
                           idempotency_key: IdempotencyKey = None) -> Response[BatchRead]:
        """A new batch of only the failed lines of a finished batch (checked again as any batch); 409 while
        it runs or when no line failed."""
        key = check_key(idempotency_key)
        batch, _ = await batches.rerun_failed(org_id, batch_id, idempotency_key=key)
        return await views.batch_accepted(batches, batch, runner)


class WalletController(Controller):
    path = "/api/v1/me/credentials"
    tags = ["credentials: wallet"]
    dependencies = {"wallet": Provide(provide_wallet)}

    @get("/", **access.signed_in())
    async def list_held(self, request: Request, wallet: NamedDependency[WalletService]) -> list[HeldRead]:
        """The credentials in my wallet."""
        return [views.held_read(h) for h in await wallet.list_for_person(views.person_id(request))]

    @get("/{held_id:uuid}", **access.signed_in())
    async def get_held(self, request: Request, held_id: FromPath[uuid.UUID],
                       wallet: NamedDependency[WalletService]) -> HeldDetail:
        """One held credential with its document and last verification result."""
        return views.held_detail(await wallet.get(views.person_id(request), held_id))

    @post("/", status_code=HTTP_201_CREATED, **access.signed_in())
    async def import_json(self, request: Request, data: JSONBody[dict[str, Any] | list[Any] | str],
                          wallet: NamedDependency[WalletService]) -> HeldDetail:
        """Import a credential: the JSON-LD credential itself, or ``{"credential": <object or VC-JWT>}``."""
        raw = data.get("credential") if isinstance(data, dict) and set(data) == {"credential"} else data
        return views.held_detail(await wallet.import_document(views.person_id(request), raw))

    @post("/upload", status_code=HTTP_201_CREATED, **access.signed_in())
    async def import_file(self, request: Request, wallet: NamedDependency[WalletService],
                          data: MultipartBody[dict[str, Any]]) -> HeldDetail:
        """Import a credential file (JSON or VC-JWT text) as multipart field ``data``."""
        upload = data.get("data")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("Attach the credential file as form field 'data'.", field="data")
        return views.held_detail(await wallet.import_document(views.person_id(request), await upload.read()))

    @post("/{held_id:uuid}/verify", status_code=HTTP_200_OK, **access.signed_in())
    async def reverify(self, request: Request, held_id: FromPath[uuid.UUID],
                       wallet: NamedDependency[WalletService]) -> HeldDetail:
        """Verify again now and keep the result."""
        return views.held_detail(await wallet.reverify(views.person_id(request), held_id))

    @post("/{held_id:uuid}/accept", status_code=HTTP_200_OK, **access.signed_in())
    async def accept_offer(self, request: Request, held_id: FromPath[uuid.UUID],
                           wallet: NamedDependency[WalletService]) -> HeldDetail:
        """Accept a credential offered by an issuer that is not trusted (it then counts, as evidenced)."""
        return views.held_detail(await wallet.answer_offer(views.person_id(request), held_id, accept=True))

    @post("/{held_id:uuid}/decline", status_code=HTTP_200_OK, responses=problem_responses(409),
          **access.signed_in())
    async def decline_offer(self, request: Request, held_id: FromPath[uuid.UUID],
                            wallet: NamedDependency[WalletService]) -> HeldDetail:
        """Decline an offered credential: it stays hidden and counts for nothing."""
        return views.held_detail(await wallet.answer_offer(views.person_id(request), held_id, accept=False))

    @get("/{held_id:uuid}/download", **access.signed_in())
    async def download(self, request: Request, held_id: FromPath[uuid.UUID], wallet: NamedDependency[WalletService],
                       format: FromQuery[str] = "json") -> Response:
        """The credential as a JSON-LD file (``format=json``) or as its VC-JWT (``format=jwt``)."""
        return views.download(await wallet.get(views.person_id(request), held_id), format)

    @delete("/{held_id:uuid}", status_code=HTTP_200_OK, **access.signed_in())
    async def delete_held(self, request: Request, held_id: FromPath[uuid.UUID],
                          wallet: NamedDependency[WalletService]) -> dict[str, bool]:
        """Remove a credential from my wallet (an issued credential stays valid at its issuer)."""
        await wallet.delete(views.person_id(request), held_id)
        return {"deleted": True}


class HolderDidController(Controller):
    path = "/api/v1/me/dids"
    tags = ["credentials: wallet"]

    @post("/challenge", status_code=HTTP_200_OK, **access.signed_in())
    async def did_challenge(self, request: Request, settings: NamedDependency[Settings]) -> dict[str, Any]:
        """A challenge (and domain) to sign in a DID-authentication presentation, valid for 10 minutes."""
        return new_challenge(settings, views.person_id(request))

    @get("/", **access.signed_in())
    async def list_dids(self, request: Request, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
        """The DIDs I proved to control: credentials bound to them count as mine."""
        rows = await HolderDidService(db_session, settings).list_for_person(views.person_id(request))
        return [views.holder_did_read(row) for row in rows]

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409, 429),
          **access.signed_in(throttle="code_entry"))
    async def register_did(self, request: Request, data: JSONBody[dict[str, Any]],
                           db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> dict[str, Any]:
        """Register a DID: ``{"presentation": <VP or VP-JWT>}`` whose holder is the DID, signed by it,
        answering the challenge of ``POST /api/v1/me/dids/challenge``."""
        if set(data) != {"presentation"}:
            raise InvalidInput('Send {"presentation": ...}.', field="presentation")
        row = await HolderDidService(db_session, settings).register(views.person_id(request), data["presentation"])
        return views.holder_did_read(row)

    @delete("/{did_id:uuid}", status_code=HTTP_200_OK, **access.signed_in())
    async def remove_did(self, request: Request, did_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                         settings: NamedDependency[Settings]) -> dict[str, bool]:
        """Remove a DID: credentials bound to it no longer count as mine."""
        await HolderDidService(db_session, settings).remove(views.person_id(request), did_id)
        return {"deleted": True}


# Stateless and public: it reads no session, so cookies give a forged request nothing (no CSRF token needed).
@post("/api/v1/verify", status_code=HTTP_200_OK, tags=["credentials: verification"],
      responses=problem_responses(429), **access.public(exclude_from_csrf=True, throttle="verify"))
async def verify_api(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                     at: FromQuery[str | None] = None, challenge: FromQuery[str | None] = None,
                     domain: FromQuery[str | None] = None) -> dict[str, Any]:
    """Verify a credential, presentation, VC-JWT or SD-JWT VC (``dc+sd-jwt``, as issued or with a key
    binding JWT, checked against ``challenge``/``domain`` when given): the JSON document itself, a JSON
    string holding a VC-JWT or SD-JWT, a text/plain one, or ``{"credential" | "presentation" | "jwt": ...}``.
    Returns every check; an SD-JWT disclosure its issuer did not sign (forged or altered) is a 422."""
    document = views.verification_input(await request.body())
    checked = await check(db_session, settings, document, at=at, challenge=challenge, domain=domain)
    return views.verification_output(checked)


@get("/credentials/status/{list_id:uuid}", media_type="application/vc+ld+json", tags=["credentials: public"],
     **access.public(), dependencies={"status_lists": Provide(provide_status_lists)})
async def status_list(list_id: FromPath[uuid.UUID], status_lists: NamedDependency[StatusListService]) -> Response:
    """A signed BitstringStatusListCredential (re-signed whenever one of its bits changes)."""
    return Response(await status_lists.document(list_id), media_type="application/vc+ld+json",
                    headers={"Cache-Control": "public, max-age=60"})


@get("/.well-known/did.json", media_type=DID_JSON, tags=["credentials: public"], **access.public(),
     dependencies={"issuers": Provide(provide_issuers)})
async def platform_did(issuers: NamedDependency[IssuerService]) -> Response:
    """The platform's did:web DID document."""
    return Response(await issuers.document_of(PLATFORM_SLUG), media_type=DID_JSON)


@get("/issuers/{slug:str}/did.json", media_type=DID_JSON, tags=["credentials: public"], **access.public(),
     dependencies={"issuers": Provide(provide_issuers)})
async def issuer_did(slug: FromPath[str], issuers: NamedDependency[IssuerService]) -> Response:
    """An issuer's did:web DID document: every key it has used, so older credentials keep verifying."""
    return Response(await issuers.document_of(slug), media_type=DID_JSON)


def wants_html(accept: str | None) -> bool:
    """Whether an ``Accept`` header asks for a page rather than the JSON-LD: ``text/html`` (or XHTML) named
    with a higher quality than every JSON type named. ``*/*``, no header, or a tie keep the JSON-LD: the
    URL is a machine identifier first (OB 3.0 ``Achievement.id``)."""
    html = json = 0.0
    for part in (accept or "").split(","):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        if media in HTML_TYPES:
            html = max(html, quality)
        elif media in JSON_TYPES:
            json = max(json, quality)
    return html > json


@get("/achievements/{achievement_id:uuid}", media_type=LD_JSON, tags=["credentials: public"], **access.public(),
     dependencies={"achievements": Provide(provide_achievements)},
     responses={303: ResponseSpec(None, description="A browser (Accept prefers text/html over every JSON type) "
                                                    "is sent to the achievement's page, `/achievements/{id}/about`.")})
async def public_achievement(request: Request, achievement_id: FromPath[uuid.UUID],
                             achievements: NamedDependency[AchievementService], settings: NamedDependency[Settings],
                             lang: FromQuery[str] = "ja") -> Response:
    """The OB 3.0 Achievement an issued credential names (``lang``: ja or en), as JSON-LD; a browser
    (``Accept`` preferring ``text/html``) is sent (303) to the page for people. ``Vary: Accept`` either way."""
    if wants_html(request.headers.get("accept")):
        return Response(None, status_code=HTTP_303_SEE_OTHER, headers={
            "Location": f"/achievements/{achievement_id}/about", "Vary": "Accept"})
    if lang not in ("ja", "en"):
        raise InvalidInput("lang must be ja or en.", field="lang")
    achievement = await achievements.get_public(achievement_id)
    return Response(achievement_json(achievement, settings, lang), media_type=LD_JSON, headers={"Vary": "Accept"})


@post(f"{ORG}/endorsements", status_code=HTTP_201_CREATED, tags=["credentials: endorsements"], **ENDORSER)
async def create_endorsement(org_id: FromPath[uuid.UUID], data: JSONBody[EndorseIn],
                             db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> dict:
    """Issue a signed OB 3.0 EndorsementCredential about another organization's achievement or issuer.
    Members of a verified organization (a provider or an employer: session cookie and the CSRF header) or a
    provider's API key; 422 ``not_verified`` for an organization the platform has not verified, ``own`` for
    its own work."""
    row = await endorsements.endorse(db_session, settings, org_id, achievement_id=data.achievement_id,
                                     issuer_org_id=data.issuer_org_id, comments=data.comments(),
                                     lang=data.lang)
    return {"id": str(row.id), "credential": row.document}


@get(f"{ORG}/endorsements", tags=["credentials: endorsements"], **ENDORSER)
async def given_endorsements(org_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                             settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
    """The endorsements this organization gave, newest first (withdrawn ones with ``withdrawn_at``)."""
    return await endorsements.by_endorser(db_session, settings, org_id)


@post(f"{ORG}/endorsements/{{endorsement_id:uuid}}/withdraw", status_code=HTTP_200_OK,
      responses=problem_responses(409), tags=["credentials: endorsements"], **ENDORSER_REVOKE)
async def withdraw_endorsement(org_id: FromPath[uuid.UUID], endorsement_id: FromPath[uuid.UUID],
                               db_session: NamedDependency[AsyncSession],
                               settings: NamedDependency[Settings]) -> dict:
    """Withdraw an endorsement this organization gave (final): its status list bit is set, so every
    verifier reports it revoked; public pages stop showing it. 409 when already withdrawn.
    ``seen_by_outside_verifiers`` is false for an endorsement signed without a status entry (before
    status lists for endorsements): only skillpass knows it is withdrawn."""
    row = await endorsements.withdraw(db_session, settings, org_id, endorsement_id)
    return {"id": str(row.id), "withdrawn_at": row.withdrawn_at.isoformat(),
            "seen_by_outside_verifiers": endorsements.has_status_entry(row.document)}


@get("/api/v1/achievements/{achievement_id:uuid}/endorsements", tags=["credentials: endorsements"],
     **access.public())
async def achievement_endorsements(achievement_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                                   settings: NamedDependency[Settings]) -> list[dict[str, Any]]:
    """The endorsements of an achievement, each with its endorser's trust status."""
    return await endorsements.for_achievement(db_session, settings, achievement_id)


handlers = [create_endorsement, given_endorsements, withdraw_endorsement, achievement_endorsements,
            IssuerController, AchievementController, CredentialController, BatchController, WalletController,
            HolderDidController,
            verify_api, status_list, platform_did, issuer_did, public_achievement]
