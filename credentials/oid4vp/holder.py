"""The skillpass wallet answering an OpenID4VP request: the learner sees who asks (the organisation and
whether it is verified), for what and why, picks a badge and the skills to disclose, and the platform
presents it with the learner's platform-held did:key.

The badge is presented as a fresh copy bound to that DID and signed by its original issuer's key (as an
OpenID4VCI copy is): as an SD-JWT VC with only the chosen skill disclosures and a key binding JWT when the
request accepts ``dc+sd-jwt``, otherwise as a whole ldp_vc / VC-JWT inside a presentation signed for the
request's nonce and client_id. The answer goes through the verifier's own checks
(``PresentationRequestService.answer``), exactly as a wallet app's ``direct_post`` does.

Only requests of this platform's verifier are answered (their request object is read from the database);
a foreign verifier's ``request_uri`` would need a network fetch, which the platform does not make.
"""

from __future__ import annotations

import json
import time
import uuid
import warnings
from typing import Any
from urllib.parse import parse_qs, urlsplit

from joserfc import jwt
from joserfc.jwk import import_key
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.achievements import base_url
from credentials.holders import HolderDidService
from credentials.models import HeldCredential, IssuedCredential
from credentials.oid4vci import metadata
from credentials.oid4vci.copies import signed_copy
from credentials.oid4vci.errors import OAuthError
from credentials.oid4vp.models import PresentationRequest
from credentials.oid4vp.service import QUERY_IDS, PresentationRequestService, client_id
from credentials.vc.multibase import b64url_decode
from credentials.vc.proof_jwt import KeyProof
from credentials.vc.sd_jwt_kb import sd_hash
from credentials.vc.signing import sign_presentation

CONFIGURATION = {"dc+sd-jwt": metadata.SD_JWT_VC, "ldp_vc": metadata.LDP_VC,
                 "jwt_vc_json": metadata.JWT_VC_JSON}
PREFERENCE = ("dc+sd-jwt", "ldp_vc", "jwt_vc_json")  # selective disclosure first


def handle_of(settings: Settings, link: str) -> str:
    """The request handle of an ``openid4vp://?client_id=…&request_uri=…`` link, of its ``request_uri``
    or of our https page link carrying either; InvalidInput for anything else."""
    text = (link or "").strip()
    query = parse_qs(urlsplit(text).query)
    for name in ("request_uri", "request"):
        if name in query:
            text = query[name][0]
            break
    prefix = f"{base_url(settings)}/oid4vp/requests/"
    if text.startswith("openid4vp:"):
        text = parse_qs(urlsplit(text).query).get("request_uri", [""])[0]
    if not text.startswith(prefix) or not text[len(prefix):] or "/" in text[len(prefix):]:
        raise InvalidInput("This is not a presentation request of this platform (openid4vp:// or its https link).",
                           field="request")
    return text[len(prefix):]


def skills_of(document: dict[str, Any]) -> list[dict[str, str]]:
    subject = document.get("credentialSubject") or {}
    achievement = (subject if isinstance(subject, dict) else {}).get("achievement") or {}
    return [{"code": a["targetCode"], "name": a.get("targetName") or a["targetCode"]}
            for a in achievement.get("alignment") or [] if isinstance(a, dict) and a.get("targetCode")]


class WalletPresenter:
    """The learner's side of an OpenID4VP request, on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.requests = PresentationRequestService(session, settings)

    async def describe(self, person_id: uuid.UUID, link: str) -> dict[str, Any]:
        """Who asks (organisation, verification), why, what, and the learner's badges that can answer."""
        handle = handle_of(self.settings, link)
        request, org = await self.requests.open_request(handle)
        wanted = request.wanted.get("dss_items") or []
        badges = [{**badge, "skills": [{**s, "wanted": s["code"] in wanted} for s in badge["skills"]]}
                  for badge in await self.presentable(person_id)]
        return {"handle": handle, "request": request, "org": org, "org_verified": org.verification_state == "verified",
                "format": self.format_for(request), "badges": badges, "wanted": wanted}

    async def presentable(self, person_id: uuid.UUID) -> list[dict[str, Any]]:
        """The learner's badges the platform can present (issued on skillpass, not revoked), newest
        first, each with its skills (DSS alignments)."""
        held = await self.session.execute(  # one query: the job page and the contact inbox list them all
            select(HeldCredential).join(IssuedCredential, IssuedCredential.id == HeldCredential.credential_id)
            .where(HeldCredential.person_id == person_id, IssuedCredential.state != "revoked")
            .order_by(HeldCredential.created_at.desc()))
        badges = []
        for row in held.scalars():
            badges.append({"held_id": row.id, "title": row.title, "issuer_name": row.issuer_name,
                           "trust_status": str(row.trust_status), "trust": row.trust,
                           "skills": skills_of(row.document)})
        return badges

    async def _presentable(self, person_id: uuid.UUID, held_id: uuid.UUID) -> IssuedCredential:
        held = await self.session.get(HeldCredential, held_id)
        if held is None or held.person_id != person_id:
            raise NotFound("No such credential in your wallet.")
        issued = await self.session.get(IssuedCredential, held.credential_id) if held.credential_id else None
        if issued is None or issued.state == "revoked":
            raise Conflict("Only credentials issued on skillpass and not revoked can be presented.", field="held_id")
        return issued

    async def disclosed_sd_jwt(self, person_id: uuid.UUID, held_id: uuid.UUID, skill_codes: list[str]) -> str:
        """An SD-JWT VC of the badge, bound to the learner's platform-held did:key and signed by its
        original issuer, carrying only the disclosures of the chosen skills (no identifiers, results or
        evidence) and no key binding JWT: what a share link keeps. The undisclosed values are not in it
        at all, only their salted digests."""
        issued = await self._presentable(person_id, held_id)
        key = await HolderDidService(self.session, self.settings).platform_signing_key(person_id)
        proof = KeyProof(holder_did=key.controller, public_key=key.public, nonce="", claims={})
        document = await signed_copy(self.session, self.settings, issued, proof, uuid.uuid4(), metadata.SD_JWT_VC)
        return _disclosing(document, set(skill_codes))

    @staticmethod
    def format_for(request: PresentationRequest) -> str:
        formats = request.wanted.get("formats") or []
        return next(f for f in PREFERENCE if f in formats)

    async def present(self, person_id: uuid.UUID, handle: str, held_id: uuid.UUID,
                      skill_codes: list[str]) -> PresentationRequest:
        """Present the chosen badge (and, in SD-JWT, only the chosen skills) with the learner's DID."""
        request, _ = await self.requests.open_request(handle)
        issued = await self._presentable(person_id, held_id)
        key = await HolderDidService(self.session, self.settings).platform_signing_key(person_id)
        fmt = self.format_for(request)
        proof = KeyProof(holder_did=key.controller, public_key=key.public, nonce=request.nonce, claims={})
        document = await signed_copy(self.session, self.settings, issued, proof, uuid.uuid4(), CONFIGURATION[fmt])
        audience = client_id(self.settings)
        if fmt == "dc+sd-jwt":
            presentation: Any = _sd_jwt_presentation(document, key, set(skill_codes), request.nonce, audience)
        else:
            presentation = sign_presentation(
                {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                 "holder": key.controller, "verifiableCredential": [document]},
                key, challenge=request.nonce, domain=audience, verification_method=key.id,
                suite="vc-jwt" if fmt == "jwt_vc_json" else "eddsa-rdfc-2022")
        form = {"vp_token": json.dumps({QUERY_IDS[fmt]: [presentation]}), "state": request.state}
        try:
            return await self.requests.answer(handle, form)
        except OAuthError as exc:  # the verifier refused what we built: say so, as a conflict
            raise Conflict(f"The presentation was refused: {exc.description}", field="request") from None


def _sd_jwt_presentation(sd_jwt: str, key: Any, chosen: set[str], nonce: str, audience: str) -> str:
    """Keep only the skill alignments chosen (nothing personal, no results or evidence), then key-bind."""
    presented = _disclosing(sd_jwt, chosen)
    claims = {"iat": int(time.time()), "aud": audience, "nonce": nonce, "sd_hash": sd_hash(presented)}
    with warnings.catch_warnings():  # joserfc warns that "EdDSA" is deprecated (RFC 9864); verifiers expect it
        warnings.simplefilter("ignore")
        return presented + jwt.encode({"alg": "EdDSA", "typ": "kb+jwt"}, claims, import_key(key.private_jwk()),
                                      algorithms=["EdDSA"])


def _disclosing(sd_jwt: str, chosen: set[str]) -> str:
    """The SD-JWT with only the disclosures of the chosen skill alignments (ends with "~")."""
    signed, *disclosures, _ = sd_jwt.split("~")
    return "~".join([signed, *[d for d in disclosures if _chosen_alignment(d, chosen)], ""])


def _chosen_alignment(disclosure: str, chosen: set[str]) -> bool:
    try:
        value = json.loads(b64url_decode(disclosure))[-1]
    except (ValueError, UnicodeDecodeError, IndexError):
        return False
    return isinstance(value, dict) and "Alignment" in (value.get("type") or []) and value.get("targetCode") in chosen
