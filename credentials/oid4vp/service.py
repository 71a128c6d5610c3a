"""The OpenID4VP 1.0 verifier: an employer's presentation request (a DCQL query, a signed request object
served by ``request_uri``, ``response_mode=direct_post``) and the check of the wallet's answer.

The verifier is the platform, identified as ``decentralized_identifier:<platform did:web>``: the request
object is a JWT (``typ: oauth-authz-req+jwt``) signed with the platform's issuer key, which a wallet
resolves from ``/.well-known/did.json``. (``redirect_uri:`` would need no key but cannot be passed by
reference: ``@openid4vc/openid4vp`` treats every request object as signed and refuses that prefix for it.)

An answer is refused (OAuth error, nothing stored) unless every presentation is bound to this request:
ldp_vp with ``challenge`` = nonce and ``domain`` = client_id, VP-JWT with ``nonce``/``aud``, SD-JWT with
a key binding JWT (``nonce``, ``aud``, ``sd_hash``) by the key in its ``cnf``, and every signature and
disclosure verifies. Status, dates and issuer trust of each credential are the verdict the employer sees.
Only what the holder disclosed is kept.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
import warnings
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import anyio
from joserfc import jwt
from joserfc.jwk import import_key
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.achievements import base_url
from credentials.issuers import PLATFORM_SLUG, IssuerService, did_web
from credentials.oid4vci.errors import OAuthError
from credentials.oid4vci.metadata import vct
from credentials.oid4vp.models import PresentationRequest, RequestStatus
from credentials.trust.service import TrustService
from credentials.vc.errors import VcError
from credentials.vc.jwt import jwt_document, parse_jwt
from credentials.vc.sd_jwt import verify_sd_jwt_vc
from credentials.vc.sd_jwt_kb import KeyBindingError, check_key_binding, split_presentation
from credentials.verification import check, local_resolver

FORMATS = ("dc+sd-jwt", "jwt_vc_json", "ldp_vc")
QUERY_IDS = {"dc+sd-jwt": "badge_sd_jwt", "jwt_vc_json": "badge_jwt_vc", "ldp_vc": "badge_ldp_vc"}
W3C_TYPES = ["https://www.w3.org/2018/credentials#VerifiableCredential",
             "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"]
OB_TYPES = ("OpenBadgeCredential", "AchievementCredential")
ALGS = ["EdDSA", "ES256"]
REQUEST_TYP = "oauth-authz-req+jwt"
# Checks whose failure means the presentation itself is not good (refused); the others are the verdict.
BINDING_CHECKS = ("format", "proof", "holder")
HIDDEN_CLAIMS = ("_sd", "_sd_alg", "cnf")
MAX_PURPOSE = 500
MAX_LISTED = 50


def client_id(settings: Settings) -> str:
    return f"decentralized_identifier:{did_web(settings, PLATFORM_SLUG)}"


def request_uri(settings: Settings, handle: str) -> str:
    return f"{base_url(settings)}/oid4vp/requests/{handle}"


def response_uri(settings: Settings, handle: str) -> str:
    return f"{base_url(settings)}/oid4vp/responses/{handle}"


def authorization_link(settings: Settings, handle: str) -> str:
    """The ``openid4vp://`` link (and QR content) of a request passed by reference."""
    return "openid4vp://?" + urlencode({"client_id": client_id(settings), "request_uri": request_uri(settings, handle)})


def dcql_query(settings: Settings, formats: list[str], dss_items: list[str]) -> dict[str, Any]:
    """DCQL (OpenID4VP 1.0 section 6): one Credential Query per format, any one of them answers."""
    queries = []
    for fmt in formats:
        if fmt == "dc+sd-jwt":
            claims: list[dict[str, Any]] = [{"path": ["achievement", "name"]}, {"path": ["issuer"]}]
            if dss_items:
                claims.append({"path": ["achievement", "alignment", None, "targetCode"], "values": dss_items})
            queries.append({"id": QUERY_IDS[fmt], "format": fmt, "meta": {"vct_values": [vct(settings)]},
                            "claims": claims})
        else:
            queries.append({"id": QUERY_IDS[fmt], "format": fmt, "meta": {"type_values": [W3C_TYPES]}})
    return {"credentials": queries, "credential_sets": [{"options": [[q["id"]] for q in queries]}]}


def client_metadata(org: Organization) -> dict[str, Any]:
    return {"client_name": org.name_en, "client_name#ja": org.name_ja, "client_name#en": org.name_en,
            "vp_formats_supported": {
                "dc+sd-jwt": {"sd-jwt_alg_values": ALGS, "kb-jwt_alg_values": ALGS},
                "jwt_vc_json": {"alg_values": ALGS},
                "ldp_vc": {"proof_type_values": ["DataIntegrityProof"], "cryptosuite_values": ["eddsa-rdfc-2022"]}}}


def _now() -> float:
    return time.time()


class PresentationRequestService:
    """Presentation requests of employer organisations on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def create(self, org_id: uuid.UUID, person_id: uuid.UUID | None, *, purpose_ja: str, purpose_en: str,
                     formats: list[str], issuers: list[str], dss_items: list[str],
                     lifetime: timedelta) -> PresentationRequest:
        unknown = [f for f in formats if f not in FORMATS]
        if not formats or unknown:
            raise InvalidInput(f"Formats must be some of {', '.join(FORMATS)}.", field="formats")
        for name, text in (("purpose_ja", purpose_ja), ("purpose_en", purpose_en)):
            if not text.strip() or len(text) > MAX_PURPOSE:
                raise InvalidInput(f"Say why you ask, in Japanese and in English ({MAX_PURPOSE} characters at most).",
                                   field=name)
        for name, listed in (("issuers", issuers), ("dss_items", dss_items)):
            if len(listed) > MAX_LISTED or any(not isinstance(v, str) or not v or len(v) > 2000 for v in listed):
                raise InvalidInput(f"At most {MAX_LISTED} {name}, each a non-empty string.", field=name)
        formats = [f for f in FORMATS if f in formats]
        request = PresentationRequest(
            org_id=org_id, created_by=person_id, handle=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24),
            state=secrets.token_urlsafe(16), purpose={"ja": purpose_ja.strip(), "en": purpose_en.strip()},
            wanted={"formats": formats, "types": list(OB_TYPES[:1]), "issuers": issuers, "dss_items": dss_items},
            dcql_query=dcql_query(self.settings, formats, dss_items), expires_at=utcnow() + lifetime)
        self.session.add(request)
        await self.session.flush()
        return request

    async def for_org(self, org_id: uuid.UUID, request_id: uuid.UUID) -> PresentationRequest:
        request = await self.session.get(PresentationRequest, request_id)
        if request is None or request.org_id != org_id:
            raise NotFound("No such presentation request.")
        return request

    async def list_for_org(self, org_id: uuid.UUID) -> list[PresentationRequest]:
        rows = await self.session.execute(select(PresentationRequest).where(PresentationRequest.org_id == org_id)
                                          .order_by(PresentationRequest.created_at.desc()).limit(100))
        return list(rows.scalars())

    async def by_handle(self, handle: str) -> PresentationRequest | None:
        rows = await self.session.execute(select(PresentationRequest).where(PresentationRequest.handle == handle))
        return rows.scalar_one_or_none()

    async def open_request(self, handle: str) -> tuple[PresentationRequest, Organization]:
        """A request still waiting for its answer, and who asks; NotFound otherwise."""
        request = await self.by_handle(handle)
        if request is None or request.status != RequestStatus.PENDING or request.expires_at <= utcnow():
            raise NotFound("No such presentation request, or it is answered or expired.")
        return request, await self.session.get(Organization, request.org_id)

    async def request_object(self, handle: str) -> str:
        """The signed request object (JAR, RFC 9101) the ``request_uri`` serves."""
        request, org = await self.open_request(handle)
        issuers = IssuerService(self.session, self.settings)
        key = (await issuers.signing_key(await issuers.platform()))[0]
        # the kid follows the DID document /.well-known/did.json serves (did:web of the configured host)
        method = f"{did_web(self.settings, PLATFORM_SLUG)}#{key.public.multibase}"
        now = int(_now())
        payload = {"client_id": client_id(self.settings), "response_type": "vp_token", "response_mode": "direct_post",
                   "response_uri": response_uri(self.settings, handle), "nonce": request.nonce, "state": request.state,
                   "dcql_query": request.dcql_query, "client_metadata": client_metadata(org),
                   "aud": "https://self-issued.me/v2", "iat": now, "exp": int(request.expires_at.timestamp()),
                   "purpose": request.purpose}
        header = {"alg": "EdDSA", "typ": REQUEST_TYP, "kid": method}
        with warnings.catch_warnings():  # joserfc warns that "EdDSA" is deprecated (RFC 9864); wallets expect it
            warnings.simplefilter("ignore")
            return jwt.encode(header, payload, import_key(key.private_jwk()), algorithms=["EdDSA"])

    async def answer(self, handle: str, form: dict[str, Any]) -> PresentationRequest:
        """Check a direct_post answer and keep what was disclosed; OAuthError (and nothing kept) otherwise."""
        request = await self.by_handle(handle)
        if request is None:
            raise OAuthError("invalid_request", "no such presentation request")
        if request.status != RequestStatus.PENDING:
            raise OAuthError("invalid_request", "this presentation request has already been answered")
        if request.expires_at <= utcnow():
            raise OAuthError("invalid_request", "this presentation request has expired")
        if "error" in form:  # the wallet declined (section 8.5): the request stays open
            raise OAuthError("access_denied", f"the wallet answered {form.get('error')!r}")
        if form.get("state") != request.state:
            raise OAuthError("invalid_request", "state does not match the request")
        token = _vp_token(form.get("vp_token"))
        by_id = {q["id"]: q["format"] for q in request.dcql_query["credentials"]}
        if not token or any(query_id not in by_id for query_id in token):
            raise OAuthError("invalid_request", "vp_token must answer the request's credential query ids")
        results = []
        for query_id, presentations in token.items():
            for presentation in presentations:
                results.append(await self._verified(request, query_id, by_id[query_id], presentation))
        allowed = request.wanted.get("issuers") or []
        for result in results:
            if allowed and result["issuer"] not in allowed:
                result["verified"] = False
                result["checks"].append({"check": "issuer", "ok": False, "code": "issuer_not_asked",
                                         "message": "the issuer is not one of those the request allows"})
        request.result = {"credentials": results}
        request.verified = all(r["verified"] for r in results)
        spent = await self.session.execute(
            update(PresentationRequest).where(PresentationRequest.id == request.id,
                                              PresentationRequest.status == RequestStatus.PENDING)
            .values(status=RequestStatus.ANSWERED, answered_at=utcnow(), result=request.result,
                    verified=request.verified).execution_options(synchronize_session=False))
        if spent.rowcount != 1:  # another answer won the race
            raise OAuthError("invalid_request", "this presentation request has already been answered")
        await self.session.refresh(request)
        return request

    async def _verified(self, request: PresentationRequest, query_id: str, fmt: str, presentation: Any) -> dict:
        audience = client_id(self.settings)
        if fmt == "dc+sd-jwt":
            return await self._sd_jwt(request, query_id, presentation, audience)
        if fmt == "ldp_vc" and not isinstance(presentation, dict):
            raise OAuthError("invalid_request", f"{query_id}: an ldp_vp (JSON object) is expected")
        if fmt == "jwt_vc_json" and not isinstance(presentation, str):
            raise OAuthError("invalid_request", f"{query_id}: a VP-JWT is expected")
        checked = await check(self.session, self.settings, presentation, challenge=request.nonce, domain=audience)
        _refuse_unbound(query_id, checked.result.checks)
        holder = _w3c_holder(presentation)
        if not checked.documents:
            raise OAuthError("invalid_request", f"{query_id}: the presentation carries no credential")
        for document in checked.documents:
            subjects = document.get("credentialSubject")
            subjects = subjects if isinstance(subjects, list) else [subjects]
            if holder is None or not any(isinstance(s, dict) and s.get("id") == holder for s in subjects):
                raise OAuthError("invalid_request", f"{query_id}: the credential is not bound to the presenter")
            if not _is_badge(document.get("type")):
                raise OAuthError("invalid_request", f"{query_id}: an Open Badges 3.0 credential is asked for")
        document, listed = checked.documents[0], checked.credentials[0]
        claims = {k: v for k, v in document.items() if k != "proof"}
        return _result(query_id, fmt, listed["issuer"], checked.result.verified, checked.result.checks,
                       listed["trust"], claims, request)

    async def _sd_jwt(self, request: PresentationRequest, query_id: str, presentation: Any, audience: str) -> dict:
        try:
            presented = split_presentation(presentation)
            signed_payload = parse_jwt(presented.sd_jwt.split("~", 1)[0])[1]
        except VcError as exc:
            raise OAuthError("invalid_request", f"{query_id}: {exc}") from None
        resolver = await local_resolver(self.session, self.settings, signed_payload)
        result, payload = await anyio.to_thread.run_sync(lambda: verify_sd_jwt_vc(presented.sd_jwt, resolver))
        _refuse_unbound(query_id, result.checks)
        try:
            check_key_binding(presented, (payload.get("cnf") or {}).get("jwk"), nonce=request.nonce,
                              audience=audience)
        except KeyBindingError as exc:
            raise OAuthError("invalid_request", f"{query_id}: {exc}") from None
        if payload.get("vct") != vct(self.settings):
            raise OAuthError("invalid_request", f"{query_id}: the SD-JWT VC's vct is not the one asked for")
        issuer = payload.get("issuer") if isinstance(payload.get("issuer"), dict) else {}
        trust = await TrustService(self.session, self.settings).evaluate(
            {"issuer": {"id": payload.get("iss"), **({"name": issuer["name"]} if "name" in issuer else {})}})
        claims = {k: v for k, v in payload.items() if k not in HIDDEN_CLAIMS}
        return _result(query_id, "dc+sd-jwt", payload.get("iss"), result.verified, result.checks, trust.to_dict(),
                       claims, request)


def _vp_token(raw: Any) -> dict[str, list[Any]]:
    """The vp_token of a direct_post body: a JSON object of query id -> presentations (section 8.1)."""
    try:
        token = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        token = None
    if not isinstance(token, dict):
        raise OAuthError("invalid_request", "vp_token must be a JSON object of credential query ids")
    return {k: (v if isinstance(v, list) else [v]) for k, v in token.items()}


def _refuse_unbound(query_id: str, checks: list) -> None:
    failed = [c for c in checks if not c.ok and c.severity == "error" and c.check in BINDING_CHECKS]
    if failed:
        raise OAuthError("invalid_request", f"{query_id}: {failed[0].message}")


def _w3c_holder(presentation: Any) -> str | None:
    if isinstance(presentation, str):
        try:
            payload = parse_jwt(presentation)[1]
            document = jwt_document(payload)[1]
        except VcError:
            return None
        holder = document.get("holder") or payload.get("iss")
    else:
        holder = presentation.get("holder")
    return holder.get("id") if isinstance(holder, dict) else holder


def _is_badge(types: Any) -> bool:
    types = types if isinstance(types, list) else [types]
    return any(t in OB_TYPES for t in types)


def _dss_codes(claims: dict[str, Any]) -> list[str]:
    achievement = claims.get("achievement") or (claims.get("credentialSubject") or {}).get("achievement") or {}
    return [a["targetCode"] for a in achievement.get("alignment") or [] if isinstance(a, dict) and "targetCode" in a]


def _result(query_id: str, fmt: str, issuer: Any, verified: bool, checks: list, trust: Any, claims: dict,
            request: PresentationRequest) -> dict[str, Any]:
    disclosed = _dss_codes(claims)
    wanted = request.wanted.get("dss_items") or []
    return {"query_id": query_id, "format": fmt, "issuer": issuer, "verified": bool(verified), "trust": trust,
            "checks": [{"check": c.check, "ok": c.ok, "code": c.code, "message": c.message} for c in checks],
            "dss_items": disclosed, "dss_items_wanted_missing": [d for d in wanted if d not in disclosed],
            "claims": claims}
