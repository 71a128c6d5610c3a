"""The skillpass wallet answers an employer's request: the learner opens the openid4vp:// link, sees who
asks (verified or not), why and what, ticks the skills to disclose, and the platform presents the badge
with the learner's platform-held did:key; the employer sees it verified with only the ticked skills."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import csrf_headers
from tests.credentials.conftest import SKILL
from tests.credentials.oid4vci.conftest import learner_with_badge
from tests.credentials.oid4vp.conftest import PURPOSE, new_request, read_request

OTHER_SKILL = "v2-machine-learning"


@pytest.mark.parametrize(("lang", "why", "unverified"), [
    ("ja", PURPOSE["purpose_ja"], "skillpass はこの組織を確認していません"),
    ("en", PURPOSE["purpose_en"], "skillpass has not verified this organisation"),
])
async def test_the_learner_discloses_only_the_ticked_skills(client, employer, lang, why, unverified) -> None:
    learner = await learner_with_badge(client, lang=lang)
    made = await new_request(employer, formats=["dc+sd-jwt", "ldp_vc"], dss_items=[SKILL])
    shown = await client.get(f"/wallet/presentations?request_link={quote(made['authorization_request'])}")
    assert shown.status_code == 200, shown.text
    assert "sakura" in shown.text and why in shown.text and unverified in shown.text
    assert f'value="{SKILL}" checked' in shown.text and f'value="{OTHER_SKILL}">' in shown.text

    sent = await client.post("/wallet/presentations", headers=await csrf_headers(client), data={
        "request_link": made["authorization_request"], "held_id": learner["held"]["id"], "skills": [SKILL]})
    assert sent.status_code == 200, sent.text
    assert 'id="sent"' in sent.text

    seen = await read_request(employer, made)
    assert seen["status"] == "answered" and seen["verified"] is True
    (credential,) = seen["result"]["credentials"]
    assert credential["format"] == "dc+sd-jwt" and credential["trust"]["status"] == "trusted"
    assert credential["dss_items"] == [SKILL]  # the other skill was not ticked: not disclosed
    assert "identifier" not in credential["claims"] and not credential["claims"].get("result")
    me = (await client.get("/api/v1/me/dids/bindings")).json()
    platform_did = next(d["did"] for d in me if d["kind"] == "platform")
    assert credential["claims"]["iss"] == learner["issued"]["credential"]["issuer"]["id"]
    assert platform_did.startswith("did:key:")

    again = await client.get(f"/wallet/presentations?request_link={quote(made['authorization_request'])}")
    assert again.status_code == 404  # answered: the request is closed


async def test_a_whole_badge_goes_when_the_request_takes_no_sd_jwt(client, employer) -> None:
    learner = await learner_with_badge(client)
    made = await new_request(employer, formats=["ldp_vc"])
    sent = await client.post("/wallet/presentations", headers=await csrf_headers(client), data={
        "request_link": made["request_uri"], "held_id": learner["held"]["id"]})
    assert sent.status_code == 200 and 'id="sent"' in sent.text, sent.text
    (credential,) = (await read_request(employer, made))["result"]["credentials"]
    assert credential["format"] == "ldp_vc" and credential["trust"]["status"] == "trusted"
    assert credential["claims"]["credentialSubject"]["id"].startswith("did:key:")


async def test_links_that_are_not_our_open_requests_are_refused(client, employer) -> None:
    learner = await learner_with_badge(client, lang="en")
    for link in ("openid4vp://?client_id=x&request_uri=https%3A%2F%2Fevil.example%2Fr", "https://evil.example/x"):
        shown = await client.get(f"/wallet/presentations?request_link={quote(link)}")
        assert shown.status_code == 404 and "cannot be opened" in shown.text
    made = await new_request(employer, formats=["dc+sd-jwt"])
    refused = await client.post("/wallet/presentations", headers=await csrf_headers(client), data={
        "request_link": made["authorization_request"]})
    assert refused.status_code == 422 and "Choose the badge to present." in refused.text
    assert (await read_request(employer, made))["status"] == "pending"
    assert learner
