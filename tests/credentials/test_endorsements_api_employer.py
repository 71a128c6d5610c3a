"""The endorsement API for employers: a verified employer's member endorses, lists and withdraws through
``/api/v1/orgs/{org_id}/endorsements`` with the session cookie and the CSRF header (employers hold no API
keys), under the same rule as the console form (``check_endorser``): an unverified employer is refused
with ``not_verified`` by both, a non-member and another organization's API key get 403, and the
endorsement verifies and is then seen revoked."""

from __future__ import annotations

from sqlalchemy import select

from accounts.service import AccountService
from credentials.models import Endorsement
from tests.conftest import csrf_headers, sign_up
from tests.credentials.conftest import new_achievement, new_provider
from tests.credentials.test_endorsements_employer import new_employer
from tests.frontend.helpers import HTML, csrf_token


async def test_an_employer_member_endorses_lists_and_withdraws_through_the_api(client) -> None:
    university = await new_provider(client, "ea-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "ea-sakura")
    url = f"{employer['base']}/endorsements"
    body = {"achievement_id": achievement["id"], "comment": "採用で重視しています。", "lang": "ja"}

    no_token = await client.post(url, json=body)  # the session cookie alone: the CSRF rule of the JSON API
    assert no_token.status_code == 403, no_token.text
    made = await client.post(url, json=body, headers=await csrf_headers(client))
    assert made.status_code == 201, made.text
    credential = made.json()["credential"]
    assert credential["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert credential["issuer"]["id"] == "did:web:testserver.local:issuers:ea-sakura"
    assert credential["credentialStatus"]["statusPurpose"] == "revocation"
    checked = (await client.post("/api/v1/verify", json=credential)).json()
    assert checked["verified"], checked
    assert checked["trust"]["status"] == "trusted"

    listed = (await client.get(url)).json()
    assert [e["id"] for e in listed] == [made.json()["id"]] and listed[0]["status_entry"] is True
    assert listed[0]["withdrawn_at"] is None

    withdraw = f"{url}/{made.json()['id']}/withdraw"
    assert (await client.post(withdraw)).status_code == 403  # no CSRF header
    done = await client.post(withdraw, headers=await csrf_headers(client))
    assert done.status_code == 200, done.text
    assert done.json()["seen_by_outside_verifiers"] is True and done.json()["withdrawn_at"]
    again = await client.post(withdraw, headers=await csrf_headers(client))
    assert again.status_code == 409 and again.json()["code"] == "withdrawn"
    checked = (await client.post("/api/v1/verify", json=credential)).json()
    assert not checked["verified"]
    assert [c["code"] for c in checked["checks"] if c["check"] == "status"] == ["revoked"]
    assert (await client.get(url)).json()[0]["withdrawn_at"]


async def test_an_unverified_employer_is_refused_alike_by_the_api_and_the_form(client, db) -> None:
    university = await new_provider(client, "eu-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "eu-sakura", verified=False)
    refused = await client.post(f"{employer['base']}/endorsements", headers=await csrf_headers(client),
                                json={"achievement_id": achievement["id"], "comment": "Good.", "lang": "en"})
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "not_verified"
    client.cookies.set("lang", "en")
    form = await client.post(f"/employer/{employer['id']}/endorsements", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client), "subject": f"a:{achievement['id']}",
                                   "comment_ja": "", "comment_en": "Good."})
    assert form.status_code == 422 and "Only verified organizations can endorse." in form.text
    assert (await db.execute(select(Endorsement))).first() is None


async def test_the_api_and_the_form_give_the_same_field_errors(client) -> None:
    """The same domain function answers both: a missing subject and comment, and an own achievement."""
    body_org = await new_provider(client, "ef-body")
    own = await new_achievement(client, body_org)
    url = f"{body_org['base']}/endorsements"
    empty = await client.post(url, headers=await csrf_headers(client), json={"comment": "", "lang": "en"})
    assert empty.status_code == 422
    assert {e["field"] for e in empty.json()["errors"]} == {"achievement_id", "comment"}
    mine = await client.post(url, headers=await csrf_headers(client),
                             json={"achievement_id": own["id"], "comment": "Great.", "lang": "en"})
    assert mine.status_code == 422 and mine.json()["code"] == "own"
    client.cookies.set("lang", "en")
    form = await client.post(f"/provider/{body_org['id']}/endorsements", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client), "subject": "", "comment_ja": "",
                                   "comment_en": ""})
    assert form.status_code == 422 and 'id="e-subject"' in form.text and 'id="e-comment"' in form.text
    form = await client.post(f"/provider/{body_org['id']}/endorsements", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client), "subject": f"a:{own['id']}",
                                   "comment_ja": "", "comment_en": "Great."})
    assert form.status_code == 422 and "You cannot endorse your own organization" in form.text


async def test_a_non_member_and_another_organizations_key_are_refused(client, db) -> None:
    university = await new_provider(client, "en-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "en-sakura")
    url = f"{employer['base']}/endorsements"
    body = {"achievement_id": achievement["id"], "comment": "Good.", "lang": "en"}
    # The employer's admin is still signed in: a provider's key decides alone (the cookies are not read).
    by_key = await client.post(url, json=body, headers=university["headers"])
    assert by_key.status_code == 403, by_key.text
    assert (await client.get(url, headers=university["headers"])).status_code == 403
    await sign_up(client, "stranger@example.jp")  # a signed-in person of no organization
    assert (await client.post(url, json=body, headers=await csrf_headers(client))).status_code == 403
    assert (await client.get(url)).status_code == 403
    client.cookies.clear()
    assert (await client.get(url)).status_code == 401
    assert (await db.execute(select(Endorsement))).first() is None
    assert await AccountService(db).org_by_slug("en-sakura")


async def test_the_api_takes_the_comment_in_both_languages_as_the_form_does(client) -> None:
    """comment_ja and comment_en give the one endorsementComment the console writes (ja first); a text
    over the limit is refused on its own field by both."""
    university = await new_provider(client, "eb-uni")
    achievement = await new_achievement(client, university)
    employer = await new_employer(client, "eb-sakura")
    url = f"{employer['base']}/endorsements"
    made = await client.post(url, headers=await csrf_headers(client), json={
        "achievement_id": achievement["id"], "comment_ja": "採用で重視しています。", "comment_en": "We hire on it."})
    assert made.status_code == 201, made.text
    comment = made.json()["credential"]["credentialSubject"]["endorsementComment"]
    assert comment == "採用で重視しています。\n\nWe hire on it."
    too_long = await client.post(url, headers=await csrf_headers(client), json={
        "achievement_id": achievement["id"], "comment_ja": "", "comment_en": "x" * 2001})
    assert too_long.status_code in (400, 422), too_long.text
    assert "comment_en" in too_long.text
