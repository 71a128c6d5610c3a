"""The OpenID4VP verifier: an employer's request (signed request object by reference, DCQL, direct_post),
answers in each format that are bound to the request (SD-JWT with key binding, ldp_vp, VP-JWT), what is
kept (only what was disclosed, with the verdict), and the refusals that keep nothing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from credentials.vc.jwt import verify_jwt_signature
from credentials.verification import local_resolver
from tests.conftest import csrf_headers
from tests.credentials.conftest import SKILL
from tests.credentials.oid4vp.conftest import (
    QUERY_IDS,
    answer,
    bound_copy,
    holder,
    kb_jwt,
    new_request,
    read_request,
    request_object,
    sd_jwt_presentation,
    w3c_presentation,
)


def personal(disclosure: list) -> bool:
    return "identifier" in disclosure or "identityHash" in str(disclosure)


async def test_the_request_is_a_signed_request_object_by_reference(employer, wallet, db, settings) -> None:
    made = await new_request(employer, formats=["dc+sd-jwt", "ldp_vc"], dss_items=[SKILL])
    link = urlsplit(made["authorization_request"])
    assert link.scheme == "openid4vp"
    query = parse_qs(link.query)
    assert query == {"client_id": [made["client_id"]], "request_uri": [made["request_uri"]]}
    assert made["client_id"].startswith("decentralized_identifier:did:web:")
    header, payload = await request_object(wallet, made)
    assert header["typ"] == "oauth-authz-req+jwt" and header["alg"] == "EdDSA"
    assert header["kid"].startswith(made["client_id"].removeprefix("decentralized_identifier:") + "#")
    resolver = await local_resolver(db, settings, {})
    verify_jwt_signature((await wallet.get(urlsplit(made["request_uri"]).path)).text, resolver, "assertionMethod")
    assert payload["client_id"] == made["client_id"] and payload["response_mode"] == "direct_post"
    assert payload["response_type"] == "vp_token" and payload["response_uri"].endswith("/oid4vp/responses/"
                                                                                      + made["request_uri"].rsplit("/", 1)[1])
    assert len(payload["nonce"]) >= 32 and payload["state"]
    assert payload["purpose"] == {"ja": "データエンジニア職の選考のため", "en": "To consider you for the data engineer role"}
    assert payload["client_metadata"]["client_name#ja"] == "sakura 株式会社"
    ids = [q["id"] for q in payload["dcql_query"]["credentials"]]
    assert ids == ["badge_sd_jwt", "badge_ldp_vc"]
    assert payload["dcql_query"]["credentials"][0]["claims"][-1] == {
        "path": ["achievement", "alignment", None, "targetCode"], "values": [SKILL]}
    assert made["status"] == "pending" and made["result"] is None


async def test_an_sd_jwt_with_key_binding_answers_and_only_the_disclosed_claims_are_kept(
        client, employer, wallet, settings) -> None:
    key = holder()
    sd_jwt = await bound_copy(client, wallet, key, "dc+sd-jwt")
    made = await new_request(employer, formats=["dc+sd-jwt"], dss_items=[SKILL])
    _, payload = await request_object(wallet, made)
    presented = sd_jwt_presentation(sd_jwt, key, nonce=payload["nonce"], aud=payload["client_id"],
                                    keep=lambda d: not personal(d))
    response = await answer(wallet, made, {"badge_sd_jwt": [presented]}, payload=payload)
    assert response.status_code == 200, response.text
    assert response.json() == {}

    seen = await read_request(employer, made)
    assert seen["status"] == "answered" and seen["verified"] is True
    (credential,) = seen["result"]["credentials"]
    assert credential["format"] == "dc+sd-jwt" and credential["trust"]["status"] == "trusted"
    assert SKILL in credential["dss_items"] and credential["dss_items_wanted_missing"] == []
    assert credential["claims"]["achievement"]["name"] == "データエンジニアリング基礎"
    stored = str(seen["result"])
    assert "identifier" not in credential["claims"] and "identityHash" not in stored and "cnf" not in stored
    assert presented.split("~")[0] not in stored  # the presentation itself is not kept

    again = await answer(wallet, made, {"badge_sd_jwt": [presented]}, payload=payload)
    assert again.status_code == 400 and again.json()["error"] == "invalid_request"
    assert (await wallet.get(urlsplit(made["request_uri"]).path)).status_code == 404  # answered: gone


@pytest.mark.parametrize("fmt", ["ldp_vc", "jwt_vc_json"])
async def test_w3c_presentations_bound_by_challenge_and_domain_answer(client, employer, wallet, fmt) -> None:
    key = holder()
    credential = await bound_copy(client, wallet, key, fmt, badge="ldp" if fmt == "ldp_vc" else "jwt")
    made = await new_request(employer, formats=[fmt])
    _, payload = await request_object(wallet, made)
    presented = w3c_presentation(credential, key, nonce=payload["nonce"], aud=payload["client_id"])
    response = await answer(wallet, made, {QUERY_IDS[fmt]: [presented]}, payload=payload)
    assert response.status_code == 200, response.text
    seen = await read_request(employer, made)
    assert seen["verified"] is True, seen["result"]
    (result,) = seen["result"]["credentials"]
    assert result["trust"]["status"] == "trusted" and SKILL in result["dss_items"]
    assert "proof" not in result["claims"]


async def refused(employer, wallet, made, vp_token, **kwargs) -> dict:
    response = await answer(wallet, made, vp_token, **kwargs)
    assert response.status_code == 400, response.text
    assert response.headers["cache-control"] == "no-store"
    seen = await read_request(employer, made)
    assert seen["status"] == "pending" and seen["result"] is None and seen["verified"] is None  # nothing kept
    return response.json()


async def test_sd_jwt_answers_not_bound_to_this_request_are_refused(client, employer, wallet) -> None:
    key = holder()
    sd_jwt = await bound_copy(client, wallet, key, "dc+sd-jwt")
    made, other = await new_request(employer, formats=["dc+sd-jwt"]), await new_request(employer, formats=["dc+sd-jwt"])
    _, payload = await request_object(wallet, made)
    _, other_payload = await request_object(wallet, other)
    nonce, aud = payload["nonce"], payload["client_id"]

    # made for the other request: replayed here (its nonce is the other request's)
    replayed = sd_jwt_presentation(sd_jwt, key, nonce=other_payload["nonce"], aud=aud)
    error = await refused(employer, wallet, made, {"badge_sd_jwt": [replayed]}, payload=payload)
    assert error["error"] == "invalid_request" and "nonce" in error["error_description"]
    # wrong audience
    assert "aud" in (await refused(employer, wallet, made, {"badge_sd_jwt": [
        sd_jwt_presentation(sd_jwt, key, nonce=nonce, aud="https://elsewhere.example")]}, payload=payload))[
        "error_description"]
    # signed by another key than the one in cnf
    assert "signature" in (await refused(employer, wallet, made, {"badge_sd_jwt": [
        sd_jwt_presentation(sd_jwt, holder(), nonce=nonce, aud=aud)]}, payload=payload))["error_description"]
    # no key binding JWT at all
    await refused(employer, wallet, made, {"badge_sd_jwt": [sd_jwt]}, payload=payload)
    # a disclosure dropped after the KB-JWT was made: sd_hash no longer matches
    bound = sd_jwt_presentation(sd_jwt, key, nonce=nonce, aud=aud)
    signed, *disclosures, kb = bound.split("~")
    assert "sd_hash" in (await refused(employer, wallet, made, {"badge_sd_jwt": [
        "~".join([signed, *disclosures[1:], kb])]}, payload=payload))["error_description"]
    # a forged disclosure (not referenced by the issuer's signature), with a KB-JWT over it
    forged_disclosure = "WyJzYWx0c2FsdHNhbHQiLCAiaWRlbnRpZmllciIsIFt7Im5hbWUiOiAiTWFsbG9yeSJ9XV0"
    forged = "~".join([signed, *disclosures, forged_disclosure, ""])
    error = await refused(employer, wallet, made, {"badge_sd_jwt": [
        forged + kb_jwt(forged, key, nonce=nonce, aud=aud)]}, payload=payload)
    assert "not referenced" in error["error_description"]
    # the wrong state, an unknown query id, a vp_token that is not JSON
    good = sd_jwt_presentation(sd_jwt, key, nonce=nonce, aud=aud)
    await refused(employer, wallet, made, {"badge_sd_jwt": [good]}, payload=payload, state="other")
    await refused(employer, wallet, made, {"badge_ldp_vc": [good]}, payload=payload)

    # and the right answer still goes through afterwards; the other request stays untouched
    assert (await answer(wallet, made, {"badge_sd_jwt": [good]}, payload=payload)).status_code == 200
    assert (await read_request(employer, other))["status"] == "pending"


async def test_an_ldp_vp_with_the_wrong_challenge_or_domain_is_refused(client, employer, wallet) -> None:
    key = holder()
    credential = await bound_copy(client, wallet, key, "ldp_vc")
    made = await new_request(employer, formats=["ldp_vc"])
    _, payload = await request_object(wallet, made)
    for nonce, aud in ((payload["nonce"] + "x", payload["client_id"]), (payload["nonce"], "did:web:elsewhere")):
        presented = w3c_presentation(credential, key, nonce=nonce, aud=aud)
        error = await refused(employer, wallet, made, {"badge_ldp_vc": [presented]}, payload=payload)
        assert error["error"] == "invalid_request"
    # presented by someone else than the credential's subject
    stranger = holder()
    presented = w3c_presentation(credential, stranger, nonce=payload["nonce"], aud=payload["client_id"])
    error = await refused(employer, wallet, made, {"badge_ldp_vc": [presented]}, payload=payload)
    assert "not bound" in error["error_description"]


async def test_only_the_organisation_sees_its_requests_and_bad_requests_are_refused(
        client, employer, wallet) -> None:
    made = await new_request(employer)
    assert [r["id"] for r in (await employer["client"].get(employer["base"])).json()] == [made["id"]]
    response = await employer["client"].post(employer["base"], json={"purpose_ja": "x", "purpose_en": "y",
                                                                     "formats": ["mso_mdoc"]},
                                             headers=await csrf_headers(employer["client"]))
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    assert (await wallet.get(f"{employer['base']}/{made['id']}")).status_code == 401
    from tests.conftest import sign_up
    await sign_up(client, "someone@example.jp")
    assert (await client.get(f"{employer['base']}/{made['id']}")).status_code == 403
    unknown = await wallet.post("/oid4vp/responses/nothing-here", data={"vp_token": "{}", "state": "x"})
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_request"
