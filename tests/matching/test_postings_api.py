"""Job postings: the engine proposes requirements from the text, the employer edits and saves them."""

from __future__ import annotations

from tests.conftest import sign_up
from tests.matching.helpers import employer, send

TEXT = ("バックエンドエンジニア募集\n自社ECサービスのAPI開発をお任せします。"
        "Goでのサーバーサイド開発経験3年以上、PostgreSQLの設計経験、AWSでの運用経験。")
POSTING = {"title": "Backend Engineer", "lang": "en", "prefecture": "大阪府", "role_id": "se-backend",
           "requirements": [{"skill_id": "v2-backend", "level": "b"},
                            {"skill_id": "cloud-infrastructure", "level": "c"}]}


async def test_analyze_proposes_the_role_and_skills_with_levels(client) -> None:
    org = await employer(client)
    response = await send(client, "POST", f"/api/v1/orgs/{org}/postings/analyze", json={"text": TEXT})
    assert response.status_code == 200, response.text
    proposal = response.json()
    assert proposal["roles"][0]["id"] == "se-backend"
    skills = {s["id"]: s for s in proposal["skills"]}
    assert "v2-backend" in skills and skills["v2-backend"]["level"] in "abc"
    assert {"id", "name_ja", "level", "confidence", "source"} <= set(proposal["skills"][0])


async def test_create_publish_list_and_delete(client) -> None:
    org = await employer(client)
    response = await send(client, "POST", f"/api/v1/orgs/{org}/postings", json=POSTING)
    assert response.status_code == 201, response.text
    posting = response.json()
    assert posting["status"] == "draft" and posting["prefecture"] == "JP-27"
    assert posting["requirements"] == [{"skill_id": "v2-backend", "level": "b"},
                                       {"skill_id": "v2-cloud-infrastructure", "level": "c"}]
    assert (await client.get("/api/v1/postings")).json() == []
    response = await send(client, "PATCH", f"/api/v1/orgs/{org}/postings/{posting['id']}",
                          json={"status": "published"})
    assert response.status_code == 200 and response.json()["published_at"]
    assert [p["id"] for p in (await client.get("/api/v1/postings")).json()] == [posting["id"]]
    assert len((await client.get(f"/api/v1/orgs/{org}/postings")).json()) == 1
    response = await send(client, "DELETE", f"/api/v1/orgs/{org}/postings/{posting['id']}")
    assert response.status_code == 200
    assert (await client.get(f"/api/v1/orgs/{org}/postings/{posting['id']}")).status_code == 404


async def test_bad_requirements_name_the_field(client) -> None:
    org = await employer(client)
    bad = {**POSTING, "requirements": [{"skill_id": "v2-backend", "level": "b"},
                                       {"skill_id": "nope", "level": "c"}]}
    response = await send(client, "POST", f"/api/v1/orgs/{org}/postings", json=bad)
    assert response.status_code == 422 and response.json()["field"] == "requirements[1].skill_id"
    response = await send(client, "POST", f"/api/v1/orgs/{org}/postings", json={**POSTING, "role_id": "chef"})
    assert response.status_code == 422 and response.json()["field"] == "role_id"


async def test_postings_belong_to_their_employer(client) -> None:
    org = await employer(client)
    posting = (await send(client, "POST", f"/api/v1/orgs/{org}/postings", json=POSTING)).json()
    other = await employer(client, "hr@other.example", "other-co")
    assert (await client.get(f"/api/v1/orgs/{org}/postings")).status_code == 403
    assert (await client.get(f"/api/v1/orgs/{other}/postings/{posting['id']}")).status_code == 404
    await sign_up(client, "learner@example.jp", "学習者")
    response = await send(client, "POST", f"/api/v1/orgs/{org}/postings/analyze", json={"text": TEXT})
    assert response.status_code == 403
