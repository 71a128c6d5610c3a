"""Issuers and their keys: one issuer per provider organization (plus the platform), a DID
(``did:key`` by default, ``did:web`` served by the platform), Ed25519 keys encrypted at rest, rotation.

Any other organization (an employer, an industry body) gets an issuer too, but only to sign its
endorsements (``for_endorser``, a ``did:web``): ``for_org``, which every issuing path (badges, batches,
transcripts, the issuer API) goes through, keeps refusing it. ``ISSUING_KINDS`` is that one rule.

Rotation keeps every earlier key resolvable: a ``did:key`` is self-resolving, and a ``did:web``
document lists all of the issuer's keys as assertion methods, so older credentials keep verifying.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote, urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.keystore import open_key, seal_key
from credentials.models import DID_METHODS, Issuer, IssuerKey
from credentials.vc import KeyPair, Resolver, generate_ed25519

PLATFORM_SLUG = "platform"
DID_CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
ISSUING_KINDS = ("provider",)  # the organizations that issue credentials; others only sign endorsements


def may_issue(org: Organization | None) -> bool:
    """Whether the organization issues credentials (badges, transcripts) with its issuer key."""
    return org is not None and org.kind in ISSUING_KINDS


def did_web_host(settings: Settings) -> str:
    """The did:web host part: ``settings.did_web_host`` or the host of ``base_url`` (port percent-encoded)."""
    host = settings.did_web_host or urlsplit(settings.base_url).netloc
    return quote(host, safe="")


def did_web(settings: Settings, slug: str) -> str:
    """``did:web:<host>`` for the platform, ``did:web:<host>:issuers:<slug>`` for an issuer."""
    base = f"did:web:{did_web_host(settings)}"
    return base if slug == PLATFORM_SLUG else f"{base}:issuers:{slug}"


def method_id(did: str, key: IssuerKey) -> str:
    """Verification method id of a key under a DID (for did:key this is the standard did:key form)."""
    return f"{did}#{key.public_multibase}"


def did_document(issuer: Issuer, keys: list[IssuerKey], settings: Settings) -> dict:
    """The did:web DID document of an issuer: every key it has held, all authorised for assertions."""
    did = did_web(settings, issuer.slug)
    methods = [{"id": method_id(did, k), "type": "Multikey", "controller": did,
                "publicKeyMultibase": k.public_multibase} for k in keys]
    ids = [m["id"] for m in methods]
    return {"@context": DID_CONTEXT, "id": did, "verificationMethod": methods,
            "assertionMethod": ids, "authentication": ids}


class IssuerService:
    """Issuers, keys and DID documents on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def for_org(self, org_id: uuid.UUID) -> Issuer:
        """The issuer of a provider organization, created with a fresh key on first use. Any other
        organization is refused, even when it has an issuer for its endorsements."""
        org = await self.session.get(Organization, org_id)
        if not may_issue(org):
            raise NotFound("No such training provider.")
        return await self._of_org(org)

    async def for_endorser(self, org_id: uuid.UUID) -> Issuer:
        """The issuer an organization of any kind signs its endorsements with: a provider's own issuer, or
        for another organization a ``did:web`` issuer created on first use, which ``for_org`` never returns.
        Who may endorse is ``credentials.endorsements.check_endorser``."""
        org = await self.session.get(Organization, org_id)
        if org is None:
            raise NotFound("No such organization.")
        return await self._of_org(org)

    async def _of_org(self, org: Organization) -> Issuer:
        found = await self.session.execute(select(Issuer).where(Issuer.org_id == org.id))
        issuer = found.scalar_one_or_none()
        if issuer is not None:
            return issuer
        return await self._create_once(org.slug, org.id, "key" if may_issue(org) else "web")

    async def platform(self) -> Issuer:
        """The platform's own issuer (did:web of the platform host)."""
        return await self.by_slug(PLATFORM_SLUG) or await self._create_once(PLATFORM_SLUG, None, "web")

    async def by_slug(self, slug: str) -> Issuer | None:
        found = await self.session.execute(select(Issuer).where(Issuer.slug == slug))
        return found.scalar_one_or_none()

    async def _create_once(self, slug: str, org_id: uuid.UUID | None, method: str) -> Issuer:
        try:
            async with self.session.begin_nested():
                return await self._create(slug, org_id, method)
        except IntegrityError:  # created at the same moment by another request or worker
            owner = Issuer.org_id == org_id if org_id is not None else Issuer.org_id.is_(None)
            issuer = (await self.session.execute(select(Issuer).where(owner))).scalar_one_or_none()
            if issuer is None:  # the slug belongs to another issuer (e.g. an organization called "platform")
                raise Conflict(f"The issuer name {slug!r} is taken.", field="slug") from None
            return issuer

    async def _create(self, slug: str, org_id: uuid.UUID | None, method: str) -> Issuer:
        issuer = Issuer(org_id=org_id, slug=slug, did_method=method, did="")
        self.session.add(issuer)
        await self.session.flush()
        key = await self._new_key(issuer)
        issuer.did = key_did(key) if method == "key" else did_web(self.settings, slug)
        await self.session.flush()
        return issuer

    async def _new_key(self, issuer: Issuer) -> IssuerKey:
        pair = generate_ed25519()
        key = IssuerKey(issuer_id=issuer.id, public_multibase=pair.public.multibase,
                        secret_encrypted=seal_key(pair, self.settings.master_key))
        self.session.add(key)
        await self.session.flush()
        return key

    async def keys(self, issuer: Issuer) -> list[IssuerKey]:
        rows = await self.session.execute(
            select(IssuerKey).where(IssuerKey.issuer_id == issuer.id).order_by(IssuerKey.created_at))
        return list(rows.scalars())

    async def active_key(self, issuer: Issuer) -> IssuerKey:
        rows = await self.session.execute(
            select(IssuerKey).where(IssuerKey.issuer_id == issuer.id, IssuerKey.active.is_(True))
            .order_by(IssuerKey.created_at.desc()).limit(1))
        key = rows.scalar_one_or_none()
        return key if key is not None else await self._new_key(issuer)

    async def signing_key(self, issuer: Issuer) -> tuple[KeyPair, str]:
        """The decrypted active key and the verification method id to put in proofs."""
        key = await self.active_key(issuer)
        pair = open_key(key.secret_encrypted, key.public_multibase, self.settings.master_key)
        return pair, method_id(issuer.did, key)

    async def rotate_key(self, issuer: Issuer) -> IssuerKey:
        """Retire the active key and start signing with a new one (a did:key issuer gets the new key's DID)."""
        now = utcnow()
        for key in await self.keys(issuer):
            if key.active:
                key.active, key.retired_at = False, now
        key = await self._new_key(issuer)
        if issuer.did_method == "key":
            issuer.did = key_did(key)
        await self.session.flush()
        return key

    async def set_method(self, issuer: Issuer, method: str) -> Issuer:
        """Switch between did:key and did:web; earlier credentials keep their own DIDs and still verify."""
        if method not in DID_METHODS:
            raise InvalidInput("Use did method 'key' or 'web'.", field="did_method")
        issuer.did_method = method
        key = await self.active_key(issuer)
        issuer.did = key_did(key) if method == "key" else did_web(self.settings, issuer.slug)
        await self.session.flush()
        return issuer

    async def document_of(self, slug: str) -> dict:
        """The did:web document served at ``/issuers/{slug}/did.json`` (or ``/.well-known/did.json``)."""
        issuer = await (self.platform() if slug == PLATFORM_SLUG else self.by_slug(slug))
        if issuer is None:
            raise NotFound("No such issuer.")
        return did_document(issuer, await self.keys(issuer), self.settings)

    async def registry(self) -> dict[str, dict]:
        """did:web documents of every issuer here, for a verifier's local registry (no network)."""
        issuers = list((await self.session.execute(select(Issuer))).scalars())
        keys = list((await self.session.execute(select(IssuerKey).order_by(IssuerKey.created_at))).scalars())
        documents = {}
        for issuer in issuers:
            mine = [k for k in keys if k.issuer_id == issuer.id]
            document = did_document(issuer, mine, self.settings)
            documents[document["id"]] = document
        return documents

    async def dids_of_org(self, org_id: uuid.UUID) -> set[str]:
        """Every DID an organization's issuer has signed as: its DID and the did:key of each key it has
        held (rotated-away keys, and did:key DIDs from before a switch to did:web, included)."""
        issuer = (await self.session.execute(select(Issuer).where(Issuer.org_id == org_id))).scalar_one_or_none()
        if issuer is None:
            return set()
        return {issuer.did, *(key_did(k) for k in await self.keys(issuer))}

    async def resolver(self) -> Resolver:
        """A resolver that knows our own did:web issuers."""
        return Resolver(registry=await self.registry())


def key_did(key: IssuerKey) -> str:
    return f"did:key:{key.public_multibase}"
