"""Holder DIDs: a person registers a DID by a DID-authentication presentation answering our challenge;
credentials bound to that DID then count as theirs, and only then."""

from __future__ import annotations

import time
import uuid

import pytest

from core.errors import InvalidInput
from credentials.holders import check_challenge, new_challenge
from credentials.vc import generate_ed25519, sign_credential, sign_presentation
from tests.conftest import csrf_headers, sign_up
from tests.credentials.test_trust_integration import import_credential, issued_document, tda


def bound_to(genuine: dict, holder: str) -> dict:
    """A badge like ``genuine`` whose subject is the DID ``holder`` (no email), from an unknown issuer."""
    issuer_key = generate_ed25519()
    unsigned = {k: v for k, v in genuine.items() if k not in ("proof", "credentialStatus")}
    unsigned["issuer"] = {"id": issuer_key.public.did, "type": ["Profile"], "name": "Somewhere Else"}
    subject = {k: v for k, v in genuine["credentialSubject"].items() if k != "identifier"}
    unsigned["credentialSubject"] = {**subject, "id": holder}
    return sign_credential(unsigned, issuer_key)


def did_auth(key, challenge: dict, holder: str | None = None) -> dict:
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "holder": holder or key.public.did}
    return sign_presentation(presentation, key, challenge=challenge["challenge"], domain=challenge["domain"])


async def challenge_for(client) -> dict:
    response = await client.post("/api/v1/me/dids/challenge", headers=await csrf_headers(client))
    assert response.status_code == 200, response.text
    return response.json()


async def register(client, presentation) -> object:
    return await client.post("/api/v1/me/dids", json={"presentation": presentation},
                             headers=await csrf_headers(client))


async def test_a_registered_did_makes_credentials_bound_to_it_count(client) -> None:
    provider = await tda(client)
    genuine = await issued_document(client, provider, "someone@example.jp")
    key = generate_ed25519()
    bound = bound_to(genuine, key.public.did)

    client.cookies.clear()
    await sign_up(client, "holder@example.jp")
    held = await import_credential(client, bound)
    assert held["subject"] == "other" and held["counts"] is False

    response = await register(client, did_auth(key, await challenge_for(client)))
    assert response.status_code == 201, response.text
    assert response.json()["did"] == key.public.did
    (listed,) = (await client.get("/api/v1/me/dids")).json()
    assert listed["did"] == key.public.did
    (held,) = (await client.get("/api/v1/me/credentials")).json()
    assert held["subject"] == "self" and held["counts"] is True

    removed = await client.delete(f"/api/v1/me/dids/{listed['id']}", headers=await csrf_headers(client))
    assert removed.status_code == 200
    (held,) = (await client.get("/api/v1/me/credentials")).json()
    assert held["subject"] == "other"


async def test_a_presentation_that_proves_nothing_registers_nothing(client) -> None:
    await sign_up(client, "holder@example.jp")
    key, other = generate_ed25519(), generate_ed25519()
    challenge = await challenge_for(client)
    claimed = await register(client, did_auth(other, challenge, holder=key.public.did))  # someone else's DID
    assert claimed.status_code == 422 and claimed.json()["field"] == "presentation"
    forged = dict(challenge, challenge=challenge["challenge"][:-1] + ("0" if challenge["challenge"][-1] != "0" else "1"))
    assert (await register(client, did_auth(key, forged))).status_code == 422
    assert (await client.get("/api/v1/me/dids")).json() == []

    client.cookies.clear()
    await sign_up(client, "second@example.jp")
    stolen = await register(client, did_auth(key, challenge))  # a challenge issued to the first person
    assert stolen.status_code == 422


async def test_a_did_belongs_to_one_account(client) -> None:
    key = generate_ed25519()
    await sign_up(client, "first@example.jp")
    assert (await register(client, did_auth(key, await challenge_for(client)))).status_code == 201
    client.cookies.clear()
    await sign_up(client, "second@example.jp")
    assert (await register(client, did_auth(key, await challenge_for(client)))).status_code == 409


def test_challenges_expire_and_are_bound_to_the_person(settings) -> None:
    person = uuid.uuid4()
    issued = new_challenge(settings, person, now=time.time() - 3600)
    with pytest.raises(InvalidInput, match="expired"):
        check_challenge(settings, person, issued["challenge"])
    fresh = new_challenge(settings, person)["challenge"]
    check_challenge(settings, person, fresh)
    with pytest.raises(InvalidInput):
        check_challenge(settings, uuid.uuid4(), fresh)


async def test_a_did_taken_by_a_concurrent_transaction_is_a_conflict_not_a_crash(engine, settings) -> None:
    """Both registrations pass the "already registered?" check; the unique DID decides, and the loser is a 409."""
    import asyncio

    from sqlalchemy.ext.asyncio import async_sessionmaker

    from accounts.service import AccountService
    from core.errors import Conflict
    from credentials.holders import HolderDidService
    from credentials.models import HolderDid

    maker = async_sessionmaker(engine, expire_on_commit=False)
    async with maker() as setup:
        first = await AccountService(setup).sign_up("first@example.jp", "correct-horse-battery", "A")
        second = await AccountService(setup).sign_up("second@example.jp", "correct-horse-battery", "B")
        await setup.commit()
    key = generate_ed25519()
    presentation = did_auth(key, new_challenge(settings, second.id))

    async def first_takes_it() -> None:
        async with maker() as session:
            session.add(HolderDid(person_id=first.id, did=key.public.did))
            await session.flush()  # holds the DID, not yet committed
            await asyncio.sleep(0.5)
            await session.commit()

    async def second_asks() -> None:
        await asyncio.sleep(0.1)
        async with maker() as session:
            await HolderDidService(session, settings).register(second.id, presentation)

    taken, asked = await asyncio.gather(first_takes_it(), second_asks(), return_exceptions=True)
    assert taken is None
    assert isinstance(asked, Conflict), asked
