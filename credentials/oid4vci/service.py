"""The OpenID4VCI pre-authorized code flow: offers, the token endpoint, nonces and the credential endpoint.

An offer is made for one credential issued here (a learner sending a held credential to their wallet
app, or a provider delivering to a recipient). It hands out a random handle (the ``credential_offer_uri``
path); the pre-authorized code is an HMAC of that handle, so neither is stored in clear. An optional
6-digit ``tx_code`` is returned to whoever created the offer, never put in the offer itself.

The code is single use (spent with one conditional UPDATE), expires with the offer (10 minutes for a
learner's own offer, 72 hours by default for a provider's), and at most ``TX_CODE_ATTEMPTS`` token
requests per code are allowed over the offer's whole life (``accounts.throttle``, in its own
transaction, so the count survives the refused request's rollback). The access token allows one credential; the
``c_nonce`` is stateless and recorded when a proof uses it, so a replay meets the unique hash.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from accounts.models import Person
from accounts.throttle import Limit, release_connection, take
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound, RateLimited
from core.settings import Settings
from credentials.achievements import base_url
from credentials.issuance import IssuanceService, IssueRequest
from credentials.models import BatchRow, HeldCredential, IssuanceBatch, IssuedCredential
from credentials.oid4vci import metadata
from credentials.oid4vci.copies import signed_copy
from credentials.oid4vci.errors import OAuthError
from credentials.oid4vci.models import CredentialOffer, ProofNonce, WalletCopy
from credentials.oid4vci.tokens import (
    digest,
    find_token,
    issue_token,
    keyed_digest,
    new_secret,
    nonce_expiry,
    signed_nonce,
    spend_token,
)
from credentials.vc.proof_jwt import ProofJwtError, check_proof

OFFER_LIFETIME = timedelta(minutes=10)  # a learner sending to their own phone
RECIPIENT_LIFETIME = timedelta(hours=72)  # a provider's offer waits in the recipient's mail
MAX_RECIPIENT_LIFETIME = timedelta(days=30)
TOKEN_LIFETIME = timedelta(minutes=10)
NONCE_SECONDS = 300
TX_CODE_LENGTH = 6
TX_CODE_ATTEMPTS = 5
OFFER_SCHEME = "openid-credential-offer://"


def attempts_limit(offer: CredentialOffer) -> Limit:
    """At most TX_CODE_ATTEMPTS token requests per code over the offer's whole life (not per window)."""
    lifetime = (offer.expires_at - offer.created_at).total_seconds()
    return Limit("oid4vci:code", TX_CODE_ATTEMPTS, max(60, int(lifetime) + 60))


@dataclass(frozen=True)
class NewOffer:
    """What the offer's creator is given, once: the link for the wallet, the tx_code to pass on apart."""

    offer: CredentialOffer
    offer_uri: str
    credential_offer_uri: str
    tx_code: str | None

    @property
    def expires_at(self) -> datetime:
        return self.offer.expires_at


def offer_link(credential_offer_uri: str) -> str:
    """The ``openid-credential-offer://`` link (QR code content) of an offer by reference."""
    return f"{OFFER_SCHEME}?credential_offer_uri={quote(credential_offer_uri, safe='')}"


class Oid4vciService:
    """The issuer side of OpenID4VCI on one session (the request transaction commits on success)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    def _code_of(self, handle: str) -> str:
        return keyed_digest(self.settings.secret_key, "pre-authorized_code", handle)

    def _offer_uri(self, handle: str) -> str:
        return f"{base_url(self.settings)}/oid4vci/offers/{handle}"

    def claim_url(self, new: NewOffer) -> str:
        """The recipient's claim page (QR code and link) for an offer just made."""
        handle = new.credential_offer_uri.rsplit("/", 1)[1]
        return f"{base_url(self.settings)}/claim/{handle}"

    async def offer_for_held(self, person_id: uuid.UUID, held_id: uuid.UUID, *, tx_code: bool = True) -> NewOffer:
        """An offer of a credential in the learner's wallet (only credentials issued here can be re-issued)."""
        held = await self.session.get(HeldCredential, held_id)
        if held is None or held.person_id != person_id:
            raise NotFound("No such credential in your wallet.")
        if held.credential_id is None:
            raise Conflict("Only credentials issued on skillpass can be sent to a wallet app; this one was imported.",
                           extra={"reason": "imported"})
        credential = await self.session.get(IssuedCredential, held.credential_id)
        return await self.offer_for_issued(credential, person_id=person_id, held_id=held.id, tx_code=tx_code)

    async def offer_for_issued(self, credential: IssuedCredential | None, *, person_id: uuid.UUID | None = None,
                               held_id: uuid.UUID | None = None, tx_code: bool = True,
                               lifetime: timedelta = OFFER_LIFETIME) -> NewOffer:
        """An offer of an issued credential: single use, valid for ``lifetime``."""
        if credential is None:
            raise NotFound("No such credential.")
        if credential.state == "revoked":
            raise Conflict("This credential is revoked; it cannot be sent to a wallet.", extra={"reason": "revoked"})
        handle = new_secret()
        code = "".join(secrets.choice("0123456789") for _ in range(TX_CODE_LENGTH)) if tx_code else None
        offer = CredentialOffer(
            credential_id=credential.id, held_id=held_id, person_id=person_id, handle_hash=digest(handle),
            code_hash=digest(self._code_of(handle)), configuration_ids=list(metadata.CONFIGURATIONS),
            tx_code_hash=keyed_digest(self.settings.secret_key, "tx_code", code) if code else None,
            expires_at=utcnow() + lifetime)
        self.session.add(offer)
        await self.session.flush()
        uri = self._offer_uri(handle)
        return NewOffer(offer, offer_link(uri), uri, code)

    async def offer_for_recipient(self, org_id: uuid.UUID, credential_id: uuid.UUID, *, tx_code: bool = True,
                                  lifetime: timedelta = RECIPIENT_LIFETIME) -> NewOffer:
        """A provider delivering an issued credential by offer: the recipient's claim page shows it; when
        the recipient has a confirmed account, the offer (and the wallet copy) is theirs too."""
        credential = await self.session.get(IssuedCredential, credential_id)
        if credential is None or credential.org_id != org_id:
            raise NotFound("No such credential in this organization.")
        return await self._recipient_offer(credential, tx_code, lifetime)

    async def issue_by_offer(self, issuance: IssuanceService, org_id: uuid.UUID, request: IssueRequest,
                             idempotency_key: str, *, tx_code: bool = True,
                             lifetime: timedelta = RECIPIENT_LIFETIME) -> tuple[IssuedCredential, NewOffer]:
        """Issue (once per idempotency key) and deliver by offer, in one transaction. A retry gets the same
        credential and a fresh offer: the first offer's code was only in the answer the caller lost."""
        credential = await issuance.issue_once(org_id, request, idempotency_key)
        return credential, await self._recipient_offer(credential, tx_code, lifetime)

    async def offers_for_batch(self, org_id: uuid.UUID, batch_id: uuid.UUID, *, tx_code: bool = True,
                               lifetime: timedelta = RECIPIENT_LIFETIME) -> list[tuple[int, IssuedCredential, NewOffer]]:
        """An offer for every credential a batch issued (not revoked), in line order."""
        batch = await self.session.get(IssuanceBatch, batch_id)
        if batch is None or batch.org_id != org_id:
            raise NotFound("No such batch in this organization.")
        rows = await self.session.execute(
            select(BatchRow.line, IssuedCredential).join(IssuedCredential, IssuedCredential.id == BatchRow.credential_id)
            .where(BatchRow.batch_id == batch_id, IssuedCredential.state != "revoked").order_by(BatchRow.line))
        return [(line, credential, await self._recipient_offer(credential, tx_code, lifetime))
                for line, credential in rows.all()]

    async def _recipient_offer(self, credential: IssuedCredential, tx_code: bool, lifetime: timedelta) -> NewOffer:
        if not timedelta(minutes=1) <= lifetime <= MAX_RECIPIENT_LIFETIME:
            raise InvalidInput("An offer lasts from 1 minute to 30 days.", field="expires_in_hours")
        person = (await self.session.execute(select(Person).where(
            Person.email == credential.recipient_email, Person.email_confirmed_at.is_not(None)))).scalar_one_or_none()
        held_id = None
        if person is not None:
            held_id = (await self.session.execute(select(HeldCredential.id).where(
                HeldCredential.person_id == person.id, HeldCredential.credential_id == credential.id))).scalar()
        return await self.offer_for_issued(credential, person_id=person.id if person else None, held_id=held_id,
                                           tx_code=tx_code, lifetime=lifetime)

    async def live_offer(self, handle: str) -> CredentialOffer:
        """The unused, unexpired offer behind a handle; NotFound otherwise."""
        offer = (await self.session.execute(
            select(CredentialOffer).where(CredentialOffer.handle_hash == digest(handle)))).scalar_one_or_none()
        if offer is None or offer.redeemed_at is not None or offer.expires_at <= utcnow():
            raise NotFound("No such credential offer, or it was used or has expired.")
        return offer

    async def claim(self, handle: str) -> tuple[CredentialOffer, IssuedCredential, str]:
        """What a recipient's claim page shows: the offer, the credential it offers, the wallet link."""
        offer = await self.live_offer(handle)
        credential = await self.session.get(IssuedCredential, offer.credential_id)
        return offer, credential, offer_link(self._offer_uri(handle))

    async def offer_document(self, handle: str) -> dict[str, Any]:
        """The credential offer behind a ``credential_offer_uri`` (OpenID4VCI 1.0 section 4.1.1)."""
        offer = await self.live_offer(handle)
        grant: dict[str, Any] = {"pre-authorized_code": self._code_of(handle)}
        if offer.tx_code_hash:
            grant["tx_code"] = {"input_mode": "numeric", "length": TX_CODE_LENGTH,
                                "description": "skillpass の画面に表示された6桁のコード / "
                                               "the 6-digit code shown on skillpass"}
        return {"credential_issuer": metadata.issuer_id(self.settings),
                "credential_configuration_ids": offer.configuration_ids,
                "grants": {metadata.PRE_AUTHORIZED_GRANT: grant}}

    async def token(self, engine: AsyncEngine, form: dict[str, Any]) -> dict[str, Any]:
        """Exchange a pre-authorized code (and tx_code) for an access token (OpenID4VCI 1.0 section 6)."""
        if form.get("grant_type") != metadata.PRE_AUTHORIZED_GRANT:
            raise OAuthError("unsupported_grant_type", "Only the pre-authorized code grant is supported.")
        code = form.get("pre-authorized_code")
        if not isinstance(code, str) or not code:
            raise OAuthError("invalid_request", "pre-authorized_code is missing.")
        offer = (await self.session.execute(
            select(CredentialOffer).where(CredentialOffer.code_hash == digest(code)))).scalar_one_or_none()
        if offer is None or offer.expires_at <= utcnow():
            raise OAuthError("invalid_grant", "The pre-authorized code is unknown or has expired.")
        limit, offer_id = attempts_limit(offer), offer.id
        await release_connection(self.session)  # counted in its own transaction: a refusal rolls back ours
        try:
            await take(engine, [(limit, digest(code))], "Too many attempts.")
        except RateLimited:
            raise OAuthError("invalid_grant", "Too many attempts with this pre-authorized code; ask for a new offer.") \
                from None
        offer = await self.session.get(CredentialOffer, offer_id)  # the rollback expired it
        if offer.redeemed_at is not None:
            raise OAuthError("invalid_grant", "The pre-authorized code was already used.")
        tx_code = form.get("tx_code")
        if offer.tx_code_hash is None and tx_code is not None:
            raise OAuthError("invalid_request", "This offer has no tx_code; do not send one.")
        if offer.tx_code_hash is not None:
            if not isinstance(tx_code, str) or not tx_code:
                raise OAuthError("invalid_request", "This offer needs the tx_code shown to the learner.")
            if not secrets.compare_digest(keyed_digest(self.settings.secret_key, "tx_code", tx_code),
                                          offer.tx_code_hash):
                raise OAuthError("invalid_grant", "The tx_code is wrong.")
        spent = await self.session.execute(update(CredentialOffer).where(
            CredentialOffer.id == offer.id, CredentialOffer.redeemed_at.is_(None)).values(redeemed_at=utcnow()))
        if spent.rowcount != 1:
            raise OAuthError("invalid_grant", "The pre-authorized code was already used.")
        value, _ = await issue_token(self.session, scope=metadata.SCOPE, lifetime=TOKEN_LIFETIME, offer_id=offer.id,
                                     person_id=offer.person_id)
        return {"access_token": value, "token_type": "Bearer", "expires_in": int(TOKEN_LIFETIME.total_seconds())}

    def nonce(self) -> dict[str, Any]:
        value, _ = signed_nonce(self.settings.secret_key, NONCE_SECONDS)
        return {"c_nonce": value, "c_nonce_expires_in": NONCE_SECONDS}

    async def credential(self, authorization: str | None, body: Any) -> dict[str, Any]:
        """Check the access token and the key proof, then issue the copy bound to the proven holder DID."""
        if not authorization or not authorization.lower().startswith("bearer ") or not authorization[7:].strip():
            raise OAuthError("invalid_token", "Send the access token as 'Authorization: Bearer ...'.", status=401)
        token = await find_token(self.session, authorization[7:].strip(), metadata.SCOPE)
        if token is None or token.offer_id is None:
            raise OAuthError("invalid_token", "The access token is unknown, expired or already used.", status=401)
        offer = await self.session.get(CredentialOffer, token.offer_id)
        configuration_id, proof_jwt = self._read_request(body, offer)
        try:
            proof = check_proof(proof_jwt, audience=metadata.issuer_id(self.settings))
        except ProofJwtError as exc:
            raise OAuthError("invalid_proof", str(exc)) from None
        await self._spend_nonce(proof.nonce)
        if not await spend_token(self.session, token):
            raise OAuthError("invalid_token", "The access token was already used.", status=401)
        credential = await self.session.get(IssuedCredential, offer.credential_id)
        if credential is None or credential.state == "revoked":
            raise OAuthError("credential_request_denied", "The credential has been revoked.")
        copy_id = uuid.uuid4()
        issued = await signed_copy(self.session, self.settings, credential, proof, copy_id, configuration_id)
        self.session.add(WalletCopy(offer_id=offer.id, credential_id=credential.id, person_id=offer.person_id,
                                    copy_id=f"urn:uuid:{copy_id}", holder_did=proof.holder_did,
                                    configuration_id=configuration_id))
        await self.session.flush()
        return {"credentials": [{"credential": issued}]}

    def _read_request(self, body: Any, offer: CredentialOffer) -> tuple[str, str]:
        if not isinstance(body, dict):
            raise OAuthError("invalid_credential_request", "Send the credential request as a JSON object.")
        configuration_id = body.get("credential_configuration_id")
        if not isinstance(configuration_id, str):
            raise OAuthError("invalid_credential_request", "credential_configuration_id is missing.")
        if configuration_id not in offer.configuration_ids:
            raise OAuthError("unknown_credential_configuration",
                             f"This offer does not include {configuration_id[:80]!r}.")
        proofs, proof = body.get("proofs"), body.get("proof")
        if proofs is not None and proof is not None:
            raise OAuthError("invalid_credential_request", "Send 'proofs', not both 'proofs' and 'proof'.")
        if isinstance(proofs, dict):
            jwts = proofs.get("jwt")
            if set(proofs) != {"jwt"} or not isinstance(jwts, list) or len(jwts) != 1:
                raise OAuthError("invalid_proof", "Send exactly one key proof as proofs.jwt[0].")
            return configuration_id, jwts[0]
        if isinstance(proof, dict) and proof.get("proof_type") == "jwt":  # drafts before 1.0
            return configuration_id, proof.get("jwt")
        raise OAuthError("invalid_proof", "The key proof (proofs.jwt) is missing.")

    async def _spend_nonce(self, nonce: str) -> None:
        expires = nonce_expiry(self.settings.secret_key, nonce)
        if expires is None:
            raise OAuthError("invalid_nonce", "The proof's nonce is not a current c_nonce; ask the nonce endpoint.")
        try:
            async with self.session.begin_nested():
                self.session.add(ProofNonce(nonce_hash=digest(nonce), used_at=utcnow(),
                                            expires_at=datetime.fromtimestamp(expires, utcnow().tzinfo)))
                await self.session.flush()
        except IntegrityError:
            raise OAuthError("invalid_nonce", "The proof's nonce was already used; ask the nonce endpoint.") from None
