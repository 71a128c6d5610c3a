"""Verification with the platform's own documents preloaded: our did:web issuers and our status list
credentials come from the database, so verifying what we issued never touches the network.

:func:`check` takes every format we issue: Data Integrity JSON-LD (credential or presentation), VC-JWT
(and VP-JWT), and SD-JWT VC (``dc+sd-jwt``) as issued or presented with a key binding JWT. An SD-JWT is
judged on what it discloses: a disclosure the signed payload does not reference (forged or altered)
fails its proof check.

Foreign did:web documents and status lists resolve only from an explicit ``documents`` map (or a
``fetcher``, when the caller opts into network resolution).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.issuers import IssuerService
from credentials.status import StatusListService
from credentials.trust.service import TrustService
from credentials.vc import Resolver, VerificationResult, verify
from credentials.vc.errors import VcError
from credentials.vc.messages import ja
from credentials.vc.jwt import jwt_document, looks_like_jwt, parse_jwt
from credentials.vc.sd_jwt import as_document, looks_like_sd_jwt, verify_sd_jwt_vc
from credentials.vc.sd_jwt_kb import KeyBindingError, check_key_binding, split_presentation
from credentials.vc.verifier import Check, parse_date

MAX_WALK = 20_000
MAX_EMBEDDED = 50


def referenced_urls(document: Any) -> set[str]:
    """Every http(s) URL string inside a document (JWT payloads included), for preloading."""
    if isinstance(document, (bytes, bytearray)):
        document = document.decode("utf-8", errors="replace")
    if isinstance(document, str):
        text = document.strip()
        if looks_like_jwt(text):
            document = _jwt_payload(text)
        else:
            try:
                document = json.loads(text)
            except ValueError:
                return set()
    urls: set[str] = set()
    stack, seen = [document], 0
    while stack and seen < MAX_WALK:
        value = stack.pop()
        seen += 1
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str):
            if value.startswith(("https://", "http://")):
                urls.add(value.split("#", 1)[0])
            elif looks_like_jwt(value):
                stack.append(_jwt_payload(value))
    return urls


def _jwt_payload(token: str) -> Any:
    try:
        return parse_jwt(token)[1]
    except VcError:
        return None


async def local_resolver(session: AsyncSession, settings: Settings, document: Any, *,
                         documents: dict[str, Any] | None = None, fetcher: Any = None) -> Resolver:
    """A resolver with our issuers' DID documents and the status lists the document points at."""
    registry = await IssuerService(session, settings).registry()
    registry.update(await StatusListService(session, settings).documents_for(referenced_urls(document)))
    return Resolver(registry=registry, documents=documents, fetcher=fetcher)


async def verify_document(session: AsyncSession, settings: Settings, document: Any, *,
                          at: datetime | str | None = None, documents: dict[str, Any] | None = None,
                          challenge: str | None = None, domain: str | None = None,
                          fetcher: Any = None) -> VerificationResult:
    """Verify a credential, presentation or VC-JWT (in a worker thread: canonicalization is CPU work)."""
    resolver = await local_resolver(session, settings, document, documents=documents, fetcher=fetcher)
    return await anyio.to_thread.run_sync(
        lambda: verify(document, at=at, resolver=resolver, challenge=challenge, domain=domain))


TRUST_ORDER = {"impersonation": 0, "untrusted": 1, "trusted": 2}


@dataclass
class Checked:
    """A verification verdict together with who stands behind what was verified.

    ``result.verified`` is the cryptographic and status verdict; ``trust`` (``credentials.trust``) says
    whether the issuer is known: for a presentation, the least trusted of its credentials, each of which
    is listed in ``credentials`` with its own trust.
    """

    result: VerificationResult
    trust: dict[str, Any] | None = None
    credentials: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)  # the credentials themselves, for display

    def to_dict(self) -> dict[str, Any]:
        out = self.result.to_dict()
        out.pop("document", None)
        out["trust"] = self.trust
        if self.result.kind in ("presentation", "jwt-presentation"):
            out["credentials"] = self.credentials
        return out


def credential_documents(raw: Any) -> list[dict[str, Any]]:
    """The credentials a verified input is about: itself, or a presentation's embedded credentials."""
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", errors="replace")
    if isinstance(raw, str):
        text = raw.strip()
        if looks_like_jwt(text):
            try:
                kind, document = jwt_document(parse_jwt(text)[1])
            except VcError:
                return []
            return [document] if kind == "credential" else credential_documents(document)
        try:
            raw = json.loads(text)
        except ValueError:
            return []
    if not isinstance(raw, dict):
        return []
    types = raw.get("type")
    types = types if isinstance(types, list) else [types]
    if "VerifiablePresentation" in types:
        embedded = raw.get("verifiableCredential") or []
        embedded = embedded if isinstance(embedded, list) else [embedded]
        return [doc for item in embedded for doc in credential_documents(item)][:MAX_EMBEDDED]
    return [raw] if "VerifiableCredential" in types else []


async def check(session: AsyncSession, settings: Settings, raw: Any, *, at: datetime | str | None = None,
                documents: dict[str, Any] | None = None, challenge: str | None = None,
                domain: str | None = None) -> Checked:
    """Verify a credential, presentation, VC-JWT or SD-JWT VC and say who stands behind it: the one verify
    use case of the API, the public and employer verify pages, share pages and the wallet."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, (bytes, bytearray)) else raw
    if looks_like_sd_jwt(text):
        return await check_sd_jwt(session, settings, text.strip(), at=at, challenge=challenge, domain=domain)
    result = await verify_document(session, settings, raw, at=at, documents=documents, challenge=challenge,
                                   domain=domain)
    service = TrustService(session, settings)
    listed, documents = [], credential_documents(raw)
    for document in documents:
        issuer = document.get("issuer")
        listed.append({"issuer": issuer.get("id") if isinstance(issuer, dict) else issuer,
                       "id": document.get("id"),
                       "trust": (await service.evaluate(document)).to_dict()})
    trust = min((c["trust"] for c in listed), key=lambda t: TRUST_ORDER.get(t["status"], 0), default=None)
    checked = Checked(result, trust, listed, documents)
    # A CLR's embedded credentials are checked too, whether it came as JSON-LD or as a VC-JWT.
    jwt_one = len(documents) == 1 and result.kind == "jwt-credential"
    clr = raw if isinstance(raw, dict) else (documents[0] if jwt_one else None)
    if isinstance(clr, dict) and "ClrCredential" in (clr.get("type") or []):
        from credentials.clr.service import with_embedded_checks  # noqa: PLC0415 -- clr builds on this module

        checked = await with_embedded_checks(session, settings, clr, checked)
    return checked


def _moment(at: datetime | str | None) -> float | None:
    if isinstance(at, str):
        parsed = parse_date(at)
        if parsed is None:
            return None
        at = parsed
    return at.timestamp() if isinstance(at, datetime) else None


def _holder_check(token: str, holder_jwk: Any, challenge: str | None, domain: str | None) -> Check:
    """The key binding JWT of a presented SD-JWT: signed by ``cnf.jwk``, over exactly what is presented,
    recent, and for ``challenge``/``domain`` when the caller names them (else for whatever it names)."""
    try:
        presented = split_presentation(token)
        claims = parse_jwt(presented.kb_jwt)[1]
        check_key_binding(presented, holder_jwk, nonce=challenge if challenge is not None else claims.get("nonce"),
                          audience=domain if domain is not None else claims.get("aud"))
    except KeyBindingError as exc:
        return Check("holder", False, exc.code, str(exc), message_ja=ja(exc.code, False, "holder"))
    except VcError as exc:
        return Check("holder", False, "invalid_key_binding", f"the key binding JWT cannot be read: {exc}",
                     message_ja=ja("invalid_key_binding", False, "holder"))
    return Check("holder", True, "ok", f"key binding by the holder key in cnf (nonce {claims.get('nonce')!r}, "
                 f"aud {claims.get('aud')!r})", message_ja=ja("ok", True, "holder"))


async def check_sd_jwt(session: AsyncSession, settings: Settings, token: str, *, at: datetime | str | None = None,
                       challenge: str | None = None, domain: str | None = None) -> Checked:
    """An SD-JWT VC as issued (``…~``) or presented with a KB-JWT (``…~<KB-JWT>``): issuer signature, every
    disclosure referenced, dates, status, key binding when present, and the issuer's trust."""
    issued = token if token.endswith("~") else token[:token.rindex("~") + 1]
    try:
        signed_payload = parse_jwt(issued.split("~", 1)[0])[1]
    except VcError:
        signed_payload = {}
    resolver = await local_resolver(session, settings, signed_payload)
    result, payload = await anyio.to_thread.run_sync(lambda: verify_sd_jwt_vc(issued, resolver, at=_moment(at)))
    if issued != token and payload:
        result.checks.append(_holder_check(token, (payload.get("cnf") or {}).get("jwk"), challenge, domain))
        result.verified = result.verified and result.checks[-1].ok
    if not payload:  # nothing verified: no claims to show or judge
        return Checked(result)
    document = as_document(payload)
    trust = (await TrustService(session, settings).evaluate(document)).to_dict()
    return Checked(result, trust, [{"issuer": payload.get("iss"), "id": payload.get("jti"), "trust": trust}],
                   [document])
