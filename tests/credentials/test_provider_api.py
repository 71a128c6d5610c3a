"""Provider API: scoping of API keys, idempotent issuance, validation and problem details."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import csrf_headers, sign_up
from tests.credentials.conftest import ACHIEVEMENT, api_headers, issue, new_achievement, new_provider

PROBLEM = "application/problem+json"


async def test_key_of_provider_a_gets_403_on_provider_b(client) -> None:
    a = await new_provider(client, "provider-a")
    client.cookies.clear()
    b = await new_provider(client, "provider-b")
    b_achievement = await new_achievement(client, b)
    b_credential = (await issue(client, b, b_achievement["id"])).json()
    key_a = {"x-api-key": a["key"], "Idempotency-Key": "k-1"}
    attempts = [
        ("GET", f"{b['base']}/achievements", None),
        ("GET", f"{b['base']}/achievements/{b_achievement['id']}", None),
        ("POST", f"{b['base']}/achievements", ACHIEVEMENT),
        ("GET", f"{b['base']}/credentials", None),
        ("GET", f"{b['base']}/credentials/{b_credential['id']}", None),
        ("POST", f"{b['base']}/credentials", {"achievement_id": b_achievement["id"], "recipient_email": "x@example.jp"}),
        ("POST", f"{b['base']}/credentials/{b_credential['id']}/revoke", None),
        ("POST", f"{b['base']}/batches", {"achievement_id": b_achievement["id"], "recipients": []}),
        ("GET", f"{b['base']}/batches", None),
        ("GET", f"{b['base']}/issuer", None),
    ]
    for method, url, body in attempts:
        client.cookies.clear()  # a script: no cookies, so no CSRF token either
        response = await client.request(method, url, headers=key_a, json=body)
        assert response.status_code == 403, (method, url, response.text)
        assert response.headers["content-type"].startswith(PROBLEM)
        assert response.json()["detail"] == "You cannot act for this organization."
    # and A's own organization cannot use B's achievement
    client.cookies.clear()
    own = await client.post(f"{a['base']}/credentials", headers=key_a,
                            json={"achievement_id": b_achievement["id"], "recipient_email": "x@example.jp"})
    assert own.status_code == 404


async def test_learners_and_anonymous_callers_are_refused(client) -> None:
    provider = await new_provider(client)
    client.cookies.clear()
    assert (await client.get(f"{provider['base']}/achievements")).status_code == 401
    await sign_up(client, "learner@example.jp")
    response = await client.get(f"{provider['base']}/achievements")
    assert response.status_code == 403


async def test_member_session_can_use_the_provider_api(client) -> None:
    provider = await new_provider(client)
    response = await client.post(f"{provider['base']}/achievements", headers=await csrf_headers(client),
                                 json=ACHIEVEMENT)
    assert response.status_code == 201


async def test_same_idempotency_key_issues_once(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    first = await issue(client, provider, achievement["id"], key="order-1234")
    second = await issue(client, provider, achievement["id"], key="order-1234")
    assert first.status_code == 201 and second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["credential"] == second.json()["credential"]
    listed = (await client.get(f"{provider['base']}/credentials", headers=await api_headers(client, provider))).json()
    assert listed["total"] == 1


async def test_same_key_with_another_body_is_refused(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    await issue(client, provider, achievement["id"], key="order-1")
    other = await issue(client, provider, achievement["id"], key="order-1", email="someone-else@example.jp")
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"


async def test_issuing_needs_an_idempotency_key(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    response = await client.post(f"{provider['base']}/credentials", headers=await api_headers(client, provider),
                                 json={"achievement_id": achievement["id"], "recipient_email": "a@example.jp"})
    assert response.status_code == 422 and response.json()["field"] == "Idempotency-Key"


async def test_keys_are_scoped_per_organization(client) -> None:
    a = await new_provider(client, "scope-a")
    a_achievement = await new_achievement(client, a)
    client.cookies.clear()
    b = await new_provider(client, "scope-b")
    b_achievement = await new_achievement(client, b)
    first = await issue(client, a, a_achievement["id"], key="shared-key")
    second = await issue(client, b, b_achievement["id"], key="shared-key")
    assert first.status_code == second.status_code == 201 and first.json()["id"] != second.json()["id"]


@pytest.mark.parametrize("change, field", [
    ({"alignments": [{"skill_id": "v2-no-such-skill", "level": "b"}]}, "alignments[0].skill_id"),
    ({"alignments": [{"skill_id": "v2-machine-learning", "level": "z"}]}, "alignments[0].level"),
    ({"alignments": [{"skill_id": "v1-backend", "level": "a"}]}, "alignments[0].skill_id"),
    ({"image": "javascript:alert(1)"}, "image"),
    ({"achievement_type": "Nonsense"}, "achievement_type"),
])
async def test_bad_achievements_are_422_naming_the_field(client, change, field) -> None:
    provider = await new_provider(client)
    response = await client.post(f"{provider['base']}/achievements", headers=await api_headers(client, provider),
                                 json={**ACHIEVEMENT, **change})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["field"] == field


async def test_achievement_list_get_and_public_form(client) -> None:
    provider = await new_provider(client)
    created = await new_achievement(client, provider)
    listed = (await client.get(f"{provider['base']}/achievements", headers=await api_headers(client, provider))).json()
    assert [a["id"] for a in listed] == [created["id"]]
    one = await client.get(f"{provider['base']}/achievements/{created['id']}", headers=await api_headers(client, provider))
    assert one.json()["alignments"] == ACHIEVEMENT["alignments"]
    client.cookies.clear()
    public = (await client.get(f"/achievements/{created['id']}", params={"lang": "en"})).json()
    assert public["name"] == ACHIEVEMENT["name_en"] and public["inLanguage"] == "en"
    assert public["related"][0]["inLanguage"] == "ja"


@pytest.mark.parametrize("body, status", [
    ({"achievement_id": "not-a-uuid", "recipient_email": "a@example.jp"}, 400),
    ({"achievement_id": None, "recipient_email": "a@example.jp"}, 400),
    ({"recipient_email": "not-an-email"}, 422),
    ({"recipient_email": "a@example.jp", "format": "pdf"}, 400),
    ({"recipient_email": "a@example.jp", "valid_from": "2026-05-01T00:00:00Z",
      "valid_until": "2026-04-01T00:00:00Z"}, 422),
    ({"recipient_email": "a@example.jp", "evidence": [{"url": "ftp://x"}]}, 422),
    ({"recipient_email": "a@example.jp", "evidence": [{}]}, 422),
])
async def test_bad_issue_requests_are_4xx_problems(client, body, status) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    body = {k: v for k, v in {"achievement_id": achievement["id"], **body}.items() if v is not None}
    response = await client.post(f"{provider['base']}/credentials", json=body,
                                 headers=await api_headers(client, provider, **{"Idempotency-Key": str(uuid.uuid4())}))
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_malformed_json_and_unknown_ids_are_4xx(client) -> None:
    provider = await new_provider(client)
    headers = await api_headers(client, provider, **{"Idempotency-Key": "x", "content-type": "application/json"})
    assert (await client.post(f"{provider['base']}/credentials", headers=headers, content=b"{oops")).status_code == 400
    missing = await client.get(f"{provider['base']}/credentials/{uuid.uuid4()}", headers=await api_headers(client, provider))
    assert missing.status_code == 404
    unknown_action = await client.post(f"{provider['base']}/credentials/{uuid.uuid4()}/explode",
                                       headers=await api_headers(client, provider))
    assert unknown_action.status_code in (404, 422)


async def test_list_filters_and_pagination(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    ids = [(await issue(client, provider, achievement["id"], email=f"p{i}@example.jp")).json()["id"] for i in range(3)]
    await client.post(f"{provider['base']}/credentials/{ids[0]}/revoke", headers=await api_headers(client, provider))
    base = f"{provider['base']}/credentials"
    page = (await client.get(base, params={"limit": 2}, headers=await api_headers(client, provider))).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    revoked = (await client.get(base, params={"state": "revoked"}, headers=await api_headers(client, provider))).json()
    assert [c["id"] for c in revoked["items"]] == [ids[0]]
    by_email = (await client.get(base, params={"recipient_email": "P1@example.jp"}, headers=await api_headers(client, provider))).json()
    assert [c["id"] for c in by_email["items"]] == [ids[1]]


async def test_provider_routes_are_in_the_openapi_document(client) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {"/api/v1/orgs/{org_id}/credentials", "/api/v1/orgs/{org_id}/batches/{batch_id}",
            "/api/v1/orgs/{org_id}/achievements", "/api/v1/verify", "/api/v1/me/credentials"} <= set(paths)
