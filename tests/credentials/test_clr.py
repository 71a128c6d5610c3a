"""CLR 2.0 transcripts: a provider issues a signed ClrCredential embedding the learner's credentials; it
validates against the CLR 2.0 schema, verifies with every embedded credential (real eddsa-rdfc-2022), and
a tampered embedded credential is refused."""

from __future__ import annotations

import copy

from credentials.clr.service import validate_clr
from credentials.vc import verify
from credentials.vc.schema import validate_ob
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider
from tests.credentials.test_micro_credentials import MICRO, RESULTS


def proof_ok(credential: dict) -> bool:
    """The signature alone (the bare verifier has no status list to look at offline)."""
    return next(c.ok for c in verify(credential).checks if c.check == "proof")


async def transcript(client, provider, email: str = "learner@example.jp"):
    return await client.post(f"{provider['base']}/clr", headers=await api_headers(client, provider),
                             json={"recipient_email": email, "lang": "en"})


async def verify_clr(client, document) -> dict:
    response = await client.post("/api/v1/clr/verify", json=document)
    assert response.status_code == 200, response.text
    return response.json()


async def test_provider_issues_a_clr_that_verifies_with_each_embedded_credential(client) -> None:
    provider = await new_provider(client, "clr-uni")
    first = await new_achievement(client, provider, **MICRO)
    second = await new_achievement(client, provider, name_en="Statistics II")
    ids = [(await issue(client, provider, a["id"], results=r)).json()["id"]
           for a, r in ((first, RESULTS), (second, []))]
    await issue(client, provider, first["id"], email="someone-else@example.jp")
    response = await transcript(client, provider)
    assert response.status_code == 201, response.text
    clr = response.json()
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    assert clr["@context"][1] == "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
    assert clr["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert [c["id"] for c in embedded] == [f"urn:uuid:{i}" for i in ids]
    assert embedded[0]["credentialSubject"]["achievement"]["creditsAvailable"] == 2
    assert validate_clr(clr) == []
    assert all(validate_ob(c) == [] for c in embedded)
    assert proof_ok(clr) and all(proof_ok(c) for c in embedded)  # the bare verifier: signatures only
    result = await verify_clr(client, clr)
    assert result["verified"], result
    assert result["credential"]["trust"]["status"] == "trusted"
    assert [n["verified"] for n in result["embedded"]] == [True, True]
    general = (await client.post("/api/v1/verify", json=clr)).json()
    assert general["verified"] and [c["code"] for c in general["checks"] if c["check"] == "embedded"] == [
        "embedded_ok", "embedded_ok"]


async def test_a_tampered_embedded_credential_is_refused(client) -> None:
    provider = await new_provider(client, "clr-tamper")
    achievement = await new_achievement(client, provider, **MICRO)
    await issue(client, provider, achievement["id"], results=RESULTS)
    clr = (await transcript(client, provider)).json()
    tampered = copy.deepcopy(clr)
    tampered["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["result"][-1]["achievedLevel"] = \
        tampered["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["result"][-1]["achievedLevel"] \
        .replace("proficient", "basic")
    result = await verify_clr(client, tampered)
    assert not result["verified"]
    assert not result["credential"]["verified"]  # the outer proof covers the embedded credential
    assert not result["embedded"][0]["verified"]  # and the embedded one fails on its own
    assert not proof_ok(tampered["credentialSubject"]["verifiableCredential"][0])
    general = await client.post("/api/v1/verify", json=tampered)  # the one verify route checks them too
    assert general.status_code == 200 and not general.json()["verified"]
    failed = {c["code"] for c in general.json()["checks"] if not c["ok"]}
    assert "embedded_failed" in failed


async def test_no_credentials_is_a_problem_and_not_a_clr_is_refused(client) -> None:
    provider = await new_provider(client, "clr-empty")
    response = await transcript(client, provider, "nobody@example.jp")
    assert response.status_code == 404 and response.json()["field"] == "recipient_email"
    achievement = await new_achievement(client, provider)
    badge = (await issue(client, provider, achievement["id"])).json()["credential"]
    refused = await client.post("/api/v1/clr/verify", json=badge)
    assert refused.status_code == 422 and refused.json()["field"] == "type"


async def test_learner_exports_the_wallet_as_a_clr_signed_by_the_platform(app, client) -> None:
    from litestar.testing import AsyncTestClient  # noqa: PLC0415

    from tests.frontend.helpers import learner  # noqa: PLC0415

    provider = await new_provider(client, "clr-wallet")
    achievement = await new_achievement(client, provider, **MICRO)
    await issue(client, provider, achievement["id"], email="hanako@example.jp", results=RESULTS)
    async with AsyncTestClient(app=app) as wallet:
        await learner(wallet, "hanako@example.jp")
        response = await wallet.get("/api/v1/me/clr?lang=en")
        assert response.status_code == 200, response.text
        clr = response.json()
        assert clr["issuer"]["id"].startswith("did:web:")
        assert len(clr["credentialSubject"]["verifiableCredential"]) == 1
        assert validate_clr(clr) == []
        result = await verify_clr(wallet, clr)
        assert result["verified"], result
        # A transcript the provider then issues lands in the wallet but is not nested in the export.
        assert (await transcript(client, provider, "hanako@example.jp")).status_code == 201
        assert 'data-clr="' in (await wallet.get("/wallet/clr", headers={"accept": "text/html"})).text
        again = (await wallet.get("/api/v1/me/clr?lang=en")).json()
        assert [c["type"] for c in again["credentialSubject"]["verifiableCredential"]] == [
            ["VerifiableCredential", "OpenBadgeCredential"]]
        assert validate_clr(again) == []
        wallet.cookies.clear()
        assert (await wallet.get("/api/v1/me/clr")).status_code == 401
