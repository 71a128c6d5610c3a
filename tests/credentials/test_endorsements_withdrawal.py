"""Endorsement withdrawal and embedding: a withdrawn endorsement is revoked in its endorser's Bitstring
Status List (seen by a verifier that only fetches the public list), disappears from what public pages show,
and credentials issued after an endorsement embed it (``Achievement.endorsement``, ``Profile.endorsement``),
schema-valid and verifiable; credentials issued earlier are unchanged."""

from __future__ import annotations

from credentials.vc import Resolver, verify
from credentials.vc.schema import validate_ob
from credentials.vc.status import decode_list
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider


async def endorse(client, endorser, **body):
    response = await client.post(f"{endorser['base']}/endorsements", headers=await api_headers(client, endorser),
                                 json={"comment": "業界団体として推薦します。", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def withdraw(client, endorser, endorsement_id):
    return await client.post(f"{endorser['base']}/endorsements/{endorsement_id}/withdraw",
                             headers=await api_headers(client, endorser))


def status_codes(result: dict) -> list[str]:
    return [c["code"] for c in result["checks"] if c["check"] == "status"]


async def test_a_withdrawn_endorsement_is_revoked_for_every_verifier(client) -> None:
    university = await new_provider(client, "wd-uni")
    body = await new_provider(client, "wd-body")
    achievement = await new_achievement(client, university)
    made = await endorse(client, body, achievement_id=achievement["id"])
    credential = made["credential"]
    entry = credential["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry" and entry["statusPurpose"] == "revocation"
    assert validate_ob(credential) == []
    assert (await client.post("/api/v1/verify", json=credential)).json()["verified"]

    other = await new_provider(client, "wd-other")
    assert (await withdraw(client, other, made["id"])).status_code == 404
    response = await withdraw(client, body, made["id"])
    assert response.status_code == 200, response.text
    assert (await withdraw(client, body, made["id"])).status_code == 409

    result = (await client.post("/api/v1/verify", json=credential)).json()
    assert not result["verified"] and status_codes(result) == ["revoked"]
    # A third party: only the public status list fetched over HTTP, the did:key resolved offline.
    client.cookies.clear()
    served = await client.get(entry["statusListCredential"])
    assert served.status_code == 200
    listed = served.json()
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    assert decode_list(listed["credentialSubject"]["encodedList"]).get(int(entry["statusListIndex"]))
    outside = verify(credential, resolver=Resolver(documents={entry["statusListCredential"]: listed}))
    assert not outside.verified and [c.code for c in outside.checks if c.check == "status"] == ["revoked"]

    api_list = (await client.get(f"/api/v1/achievements/{achievement['id']}/endorsements")).json()
    assert [e["withdrawn_at"] is not None for e in api_list] == [True]
    given = (await client.get(f"{body['base']}/endorsements", headers=body["headers"])).json()
    assert [(e["id"], e["withdrawn_at"] is not None) for e in given] == [(made["id"], True)]


async def test_endorsement_lists_are_apart_from_the_endorsers_credential_lists(client) -> None:
    """Issuing a badge never takes an index in an endorsement list (whose bits only withdrawals set)."""
    university = await new_provider(client, "wd-sep-uni")
    body = await new_provider(client, "wd-sep-body")
    endorsed = await endorse(client, body, achievement_id=(await new_achievement(client, university))["id"])
    await withdraw(client, body, endorsed["id"])
    own = await new_achievement(client, body)
    issued = (await issue(client, body, own["id"])).json()
    entry = issued["credential"]["credentialStatus"]
    entries = entry if isinstance(entry, list) else [entry]
    endorsement_list = endorsed["credential"]["credentialStatus"]["statusListCredential"]
    assert endorsement_list not in {e["statusListCredential"] for e in entries}
    assert (await client.post("/api/v1/verify", json=issued["credential"])).json()["verified"]


async def test_credentials_issued_after_an_endorsement_embed_it(client) -> None:
    university = await new_provider(client, "emb-uni")
    body = await new_provider(client, "emb-body")
    achievement = await new_achievement(client, university)
    before = (await issue(client, university, achievement["id"], email="before@example.jp")).json()["credential"]
    of_achievement = await endorse(client, body, achievement_id=achievement["id"])
    of_issuer = await endorse(client, body, issuer_org_id=university["id"], comment="信頼できる発行者です。")
    unrelated = await new_achievement(client, body)
    await endorse(client, university, achievement_id=unrelated["id"])  # about another org: not embedded

    after = (await issue(client, university, achievement["id"], email="after@example.jp")).json()["credential"]
    embedded = after["credentialSubject"]["achievement"]["endorsement"]
    assert [e["id"] for e in embedded] == [of_achievement["credential"]["id"]]
    assert embedded[0] == of_achievement["credential"]  # the signed document itself
    assert [e["id"] for e in after["issuer"]["endorsement"]] == [of_issuer["credential"]["id"]]
    assert validate_ob(after) == [] and validate_ob(embedded[0]) == []
    assert (await client.post("/api/v1/verify", json=after)).json()["verified"]
    assert (await client.post("/api/v1/verify", json=embedded[0])).json()["verified"]

    stored = (await client.get(f"{university['base']}/credentials/{before['id'].removeprefix('urn:uuid:')}",
                               headers=university["headers"])).json()
    assert "endorsement" not in stored["credential"]["credentialSubject"]["achievement"]
    assert stored["credential"] == before

    await withdraw(client, body, of_achievement["id"])
    later = (await issue(client, university, achievement["id"], email="later@example.jp")).json()["credential"]
    assert "endorsement" not in later["credentialSubject"]["achievement"]
    assert [e["id"] for e in later["issuer"]["endorsement"]] == [of_issuer["credential"]["id"]]


async def test_a_batch_embeds_the_endorsements_too(client, db, settings) -> None:
    import uuid

    from credentials.issuance import IssuanceService, IssueRequest
    from credentials.models import IssuedCredential

    university = await new_provider(client, "emb-batch-uni")
    body = await new_provider(client, "emb-batch-body")
    achievement = await new_achievement(client, university)
    made = await endorse(client, body, achievement_id=achievement["id"])
    requests = [IssueRequest(achievement_id=uuid.UUID(achievement["id"]), recipient_email=f"b{i}@example.jp")
                for i in range(2)]
    ids = await IssuanceService(db, settings).issue_many(uuid.UUID(university["id"]), requests)
    await db.commit()
    for credential_id in ids:
        row = await db.get(IssuedCredential, credential_id)
        assert [e["id"] for e in row.document["credentialSubject"]["achievement"]["endorsement"]] == \
            [made["credential"]["id"]]
        assert validate_ob(row.document) == []
