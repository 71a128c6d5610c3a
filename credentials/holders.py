"""Holder DIDs: a person registers a DID by proving they control it, so that credentials bound to that
DID (``credentialSubject.id``) count as theirs.

The proof is a DID-authentication presentation: a Verifiable Presentation whose ``holder`` is the DID,
signed by one of its keys (``proofPurpose: authentication``, Data Integrity or VP-JWT), answering a
challenge we issued for this person. The challenge is stateless: ``<person>.<expiry>.<HMAC>`` under the
secret key, valid for ten minutes, so that nothing is stored before the proof arrives. A DID belongs to
at most one person.

Every learner also has a did:key the platform holds for them (``HolderKey``; private key sealed at rest
like issuer keys, ``credentials.keystore``), created on first need and registered as one of their DIDs,
so that credentials the platform holds or presents for them can be bound to a DID of theirs.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound
from core.settings import Settings
from credentials.keystore import open_key, seal_key
from credentials.models import HeldCredential, HolderDid
from credentials.oid4vci.models import CredentialOffer, HolderKey, WalletCopy
from credentials.vc import KeyPair, generate_ed25519
from credentials.vc.errors import VcError
from credentials.vc.jwt import jwt_document, looks_like_jwt, parse_jwt
from credentials.verification import verify_document
from credentials.wallet import rejudge_subjects

CHALLENGE_SECONDS = 600
DID_METHODS = ("did:key:", "did:jwk:")  # resolvable offline; did:web holders need network resolution


def _mac(settings: Settings, message: str) -> str:
    return hmac.new(settings.secret_key.encode(), f"holder-did:{message}".encode(), hashlib.sha256).hexdigest()[:32]


def domain_of(settings: Settings) -> str:
    return urlsplit(settings.base_url).netloc


def new_challenge(settings: Settings, person_id: uuid.UUID, now: float | None = None) -> dict[str, Any]:
    """A challenge for this person to sign in a DID-authentication presentation."""
    expires = int((now or time.time()) + CHALLENGE_SECONDS)
    message = f"{person_id.hex}.{expires}"
    return {"challenge": f"{message}.{_mac(settings, message)}", "domain": domain_of(settings),
            "expires_at": datetime.fromtimestamp(expires, UTC).isoformat()}


def check_challenge(settings: Settings, person_id: uuid.UUID, challenge: Any, now: float | None = None) -> None:
    parts = challenge.split(".") if isinstance(challenge, str) else []
    if len(parts) != 3 or parts[0] != person_id.hex or not parts[1].isdigit():
        raise InvalidInput("The presentation does not answer a challenge issued to you.", field="presentation")
    if not hmac.compare_digest(parts[2], _mac(settings, f"{parts[0]}.{parts[1]}")):
        raise InvalidInput("The presentation does not answer a challenge issued to you.", field="presentation")
    if int(parts[1]) < (now or time.time()):
        raise InvalidInput("The challenge has expired: ask for a new one.", field="presentation")


def _holder(document: dict[str, Any]) -> str:
    holder = document.get("holder")
    holder = holder.get("id") if isinstance(holder, dict) else holder
    if not isinstance(holder, str) or not holder.startswith(DID_METHODS):
        raise InvalidInput("The presentation's holder must be a did:key or did:jwk DID.", field="presentation")
    return holder


def read_presentation(raw: Any) -> tuple[str, Any, Any]:
    """(holder DID, the challenge it answers, what to verify) of a JSON presentation or a VP-JWT."""
    if isinstance(raw, str) and looks_like_jwt(raw.strip()):
        try:
            payload = parse_jwt(raw.strip())[1]
            kind, document = jwt_document(payload)
        except VcError as exc:
            raise InvalidInput(f"The VP-JWT cannot be read: {exc}", field="presentation") from None
        if kind != "presentation":
            raise InvalidInput("Send a presentation, not a credential.", field="presentation")
        return _holder(document), payload.get("nonce"), raw.strip()
    if not isinstance(raw, dict):
        raise InvalidInput("Send a presentation (a JSON object or a VP-JWT).", field="presentation")
    proof = raw.get("proof")
    proof = proof[0] if isinstance(proof, list) and proof else proof
    return _holder(raw), proof.get("challenge") if isinstance(proof, dict) else None, raw


class HolderDidService:
    """A person's registered DIDs on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def list_for_person(self, person_id: uuid.UUID) -> list[HolderDid]:
        rows = await self.session.execute(
            select(HolderDid).where(HolderDid.person_id == person_id).order_by(HolderDid.created_at))
        return list(rows.scalars())

    async def register(self, person_id: uuid.UUID, raw: Any) -> HolderDid:
        """Register the presentation's holder DID once the presentation proves control of it."""
        holder, challenge, to_verify = read_presentation(raw)
        check_challenge(self.settings, person_id, challenge)
        result = await verify_document(self.session, self.settings, to_verify, challenge=challenge,
                                       domain=domain_of(self.settings))
        failed = [c for c in result.checks if not c.ok and c.severity == "error"]
        holder_checked = any(c.check == "holder" and c.ok for c in result.checks)
        if failed or not holder_checked:
            reason = failed[0].message if failed else "the holder did not sign the presentation"
            raise InvalidInput(f"The presentation does not prove control of {holder}: {reason}",
                               field="presentation")
        existing = (await self.session.execute(select(HolderDid).where(HolderDid.did == holder))).scalar_one_or_none()
        if existing is not None and existing.person_id != person_id:
            raise Conflict("This DID is registered to another account.", field="presentation")
        if existing is None:
            existing = HolderDid(person_id=person_id, did=holder)
            try:
                async with self.session.begin_nested():  # another account registering it at the same moment
                    self.session.add(existing)
                    await self.session.flush()
            except IntegrityError:
                raise Conflict("This DID is registered to another account.", field="presentation") from None
            await rejudge_subjects(self.session, self.settings, person_id)
        return existing

    async def remove(self, person_id: uuid.UUID, did_id: uuid.UUID) -> None:
        row = await self.session.get(HolderDid, did_id)
        if row is None or row.person_id != person_id:
            raise NotFound("No such DID on your account.")
        held_here = await self.session.execute(select(HolderKey.id).where(HolderKey.did == row.did))
        if held_here.first() is not None:
            raise Conflict("This is the DID skillpass holds for you; it cannot be removed.", field="did_id")
        await self.session.delete(row)
        await self.session.flush()
        await rejudge_subjects(self.session, self.settings, person_id)

    async def platform_key(self, person_id: uuid.UUID) -> HolderKey:
        """The learner's platform-held did:key, created (and registered as their DID) on first need."""
        found = await self.session.execute(select(HolderKey).where(HolderKey.person_id == person_id))
        key = found.scalar_one_or_none()
        if key is not None:
            return key
        pair = generate_ed25519()
        key = HolderKey(person_id=person_id, did=pair.public.did, public_multibase=pair.public.multibase,
                        secret_encrypted=seal_key(pair, self.settings.master_key))
        try:
            async with self.session.begin_nested():  # a second request creating it at the same moment
                self.session.add(key)
                self.session.add(HolderDid(person_id=person_id, did=key.did))
                await self.session.flush()
        except IntegrityError:
            return (await self.session.execute(select(HolderKey).where(HolderKey.person_id == person_id))).scalar_one()
        await rejudge_subjects(self.session, self.settings, person_id)
        return key

    async def platform_signing_key(self, person_id: uuid.UUID) -> KeyPair:
        """The decrypted platform-held key, with its did:key verification method as id."""
        key = await self.platform_key(person_id)
        pair = open_key(key.secret_encrypted, key.public_multibase, self.settings.master_key)
        pair.id, pair.controller = pair.public.did_key_vm, key.did
        return pair

    async def bindings(self, person_id: uuid.UUID) -> list[dict[str, Any]]:
        """Each of the learner's DIDs (the platform-held one first, then registered ones, then the holder
        DIDs of wallets that received a copy) with the held credentials bound to it."""
        platform = await self.platform_key(person_id)
        rows: dict[str, dict[str, Any]] = {}
        for did in await self.list_for_person(person_id):
            rows[did.did] = {"did": did.did, "kind": "platform" if did.did == platform.did else "registered",
                             "id": str(did.id), "credentials": []}
        held = await self.session.execute(select(HeldCredential).where(HeldCredential.person_id == person_id))
        for credential in held.scalars():
            for did in _subject_ids(credential.document):
                if did in rows:
                    rows[did]["credentials"].append(_bound(credential.id, credential.title, "held"))
        copies = await self.session.execute(
            select(WalletCopy, CredentialOffer.held_id, HeldCredential.title)
            .join(CredentialOffer, CredentialOffer.id == WalletCopy.offer_id)
            .join(HeldCredential, HeldCredential.id == CredentialOffer.held_id, isouter=True)
            .where(WalletCopy.person_id == person_id).order_by(WalletCopy.created_at))
        for copy, held_id, title in copies.all():
            row = rows.setdefault(copy.holder_did, {"did": copy.holder_did, "kind": "wallet", "id": None,
                                                    "credentials": []})
            row["credentials"].append({**_bound(held_id, title or "", copy.configuration_id),
                                       "copy_id": copy.copy_id, "issued_at": copy.created_at.isoformat()})
        return sorted(rows.values(), key=lambda r: ("platform", "registered", "wallet").index(r["kind"]))


def _bound(held_id: uuid.UUID | None, title: str, how: str) -> dict[str, Any]:
    return {"held_id": str(held_id) if held_id else None, "title": title, "bound_as": how}


def _subject_ids(document: dict[str, Any]) -> list[str]:
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    return [s["id"] for s in subjects if isinstance(s, dict) and isinstance(s.get("id"), str)]
