"""Candidate search through the API: only opted-in people, only consented data, filters, pages, updates."""

from __future__ import annotations

from matching.search import STATE_KEY
from tests.conftest import TEST_PASSWORD, csrf_headers
from tests.matching.helpers import employer, learner, search, send, settings


async def sign_in(client, email: str) -> None:
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text


async def test_search_finds_only_opted_in_people_with_consented_data(client) -> None:
    a = await learner(client, "a@example.jp", "Aさん", {"v2-backend": "b", "v2-sre": "c"})
    await learner(client, "b@example.jp", "Bさん", {"v2-backend": "a"}, discoverable=False)
    c = await learner(client, "c@example.jp", "Cさん", {"v2-backend": "a"}, parts=["skills"])
    org = await employer(client)
    found = await search(client, org, skills=[{"skill_id": "v2-backend", "min_level": "c"}])
    # B never opted in; C did not consent to show self-declared items, so has no visible backend skill.
    assert found["total"] == 1
    (result,) = found["results"]
    assert result["person_id"] == a and result["display_name"] == "Aさん" and result["prefecture"] == "JP-13"
    assert [m["skill_id"] for m in result["met"]] == ["v2-backend"]
    assert set(result) >= {"coverage", "met", "partly_met", "missing", "updated_at"}
    assert c not in {r["person_id"] for r in found["results"]}


async def test_unconsented_fields_are_left_out(client) -> None:
    person = await learner(client, "d@example.jp", "Dさん", {"v2-frontend": "b"},
                           parts=["skills", "self_declared"])
    org = await employer(client)
    (result,) = (await search(client, org, skills=[{"skill_id": "frontend"}]))["results"]
    assert result["person_id"] == person and result["display_name"] is None and result["prefecture"] is None


async def test_filters_levels_verified_only_and_role_ranking(client) -> None:
    await learner(client, "e@example.jp", "E",
                  {"v2-backend": "a", "v2-web-app-basics": "a", "v2-software-design": "b"})
    await learner(client, "f@example.jp", "F", {"v2-backend": "c", "v2-frontend": "a"})
    org = await employer(client)
    strict = await search(client, org, skills=[{"skill_id": "v2-backend", "min_level": "b"}])
    assert [r["display_name"] for r in strict["results"]] == ["E"]
    assert (await search(client, org, skills=[{"skill_id": "v2-backend"}], verified_only=True))["total"] == 0
    by_role = await search(client, org, role_id="se-backend")
    assert [r["display_name"] for r in by_role["results"]] == ["E", "F"]
    assert by_role["ranked_by"] == {"kind": "role", "id": "se-backend"}
    assert by_role["results"][0]["coverage"] > by_role["results"][1]["coverage"]


async def test_pages(client) -> None:
    for n in range(3):
        await learner(client, f"p{n}@example.jp", f"P{n}", {"v2-sre": "b"})
    org = await employer(client)
    query = {"skills": [{"skill_id": "v2-sre"}], "per_page": 2}
    pages = [await search(client, org, page=p, **query) for p in (1, 2, 3)]
    assert [p["total"] for p in pages] == [3, 3, 3]
    assert [len(p["results"]) for p in pages] == [2, 1, 0]
    names = [r["display_name"] for p in pages for r in p["results"]]
    assert sorted(names) == ["P0", "P1", "P2"]


async def test_the_index_follows_consent_and_profile_changes(client, app) -> None:
    await learner(client, "g@example.jp", "G", {"v2-backend": "b"})
    await learner(client, "h@example.jp", "H", {"v2-backend": "b"}, discoverable=False)
    org = await employer(client)
    query = {"skills": [{"skill_id": "v2-backend"}]}
    assert [r["display_name"] for r in (await search(client, org, **query))["results"]] == ["G"]
    index = app.state[STATE_KEY].index

    await sign_in(client, "h@example.jp")
    await settings(client, discoverable=True)  # H opts in
    await sign_in(client, "g@example.jp")
    await settings(client, discoverable=False)  # G opts out
    await sign_in(client, "hr@sakura.example")
    assert [r["display_name"] for r in (await search(client, org, **query))["results"]] == ["H"]

    await sign_in(client, "h@example.jp")
    response = await send(client, "PUT", "/api/v1/me/self-assessment",
                          json={"skill_id": "v2-backend", "level": None})
    assert response.status_code == 200
    await sign_in(client, "hr@sakura.example")
    assert (await search(client, org, **query))["total"] == 0
    assert app.state[STATE_KEY].index is index  # updated in place from change events, never rebuilt


async def test_search_is_for_members_of_the_employer(client) -> None:
    org = await employer(client)
    await learner(client, "i@example.jp", "I", {"v2-backend": "b"})
    response = await send(client, "POST", f"/api/v1/orgs/{org}/candidates/search",
                          json={"skills": [{"skill_id": "v2-backend"}]})
    assert response.status_code == 403


async def test_bad_queries_name_the_field(client) -> None:
    org = await employer(client)
    response = await send(client, "POST", f"/api/v1/orgs/{org}/candidates/search",
                          json={"skills": [{"skill_id": "v2-nonsense"}]})
    assert response.status_code == 422 and response.json()["field"] == "skills[0].skill_id"
    response = await send(client, "POST", f"/api/v1/orgs/{org}/candidates/search", json={})
    assert response.status_code == 400


async def test_a_posting_ranks_and_with_must_meet_filters(client) -> None:
    await learner(client, "j@example.jp", "J",
                  {"v2-machine-learning": "b", "v2-math-stats-visualization": "c"})
    await learner(client, "k@example.jp", "K", {"v2-machine-learning": "c"})
    org = await employer(client)
    posting = (await send(client, "POST", f"/api/v1/orgs/{org}/postings", json={
        "title": "ML", "requirements": [{"skill_id": "v2-machine-learning", "level": "b"},
                                        {"skill_id": "v2-math-stats-visualization", "level": "c"}]})).json()
    ranked = await search(client, org, posting_id=posting["id"])
    assert [r["display_name"] for r in ranked["results"]] == ["J", "K"]
    assert ranked["results"][1]["partly_met"][0]["skill_id"] == "v2-machine-learning"
    strict = await search(client, org, posting_id=posting["id"], must_meet=True)
    assert [r["display_name"] for r in strict["results"]] == ["J"]


async def test_changes_made_by_another_server_process_reach_this_index(app, client) -> None:
    """Another process's writes raise no event here; the index reads them by change time before searching."""
    from matching.search import holder_of

    person = await learner(client, "g@example.jp", "G", {"v2-backend": "a"})
    org = await employer(client)
    assert (await search(client, org, skills=[{"skill_id": "v2-backend"}]))["total"] == 1
    holder = holder_of(app.state)
    holder.close()  # deaf to this process's events, like an index in another worker
    try:
        client.cookies.clear()
        await sign_in(client, "g@example.jp")
        await settings(client, discoverable=False)  # the opt-out this index does not hear about
        client.cookies.clear()
        await sign_in(client, "hr@sakura.example")
        after = await search(client, org, skills=[{"skill_id": "v2-backend"}])
        assert person not in {r["person_id"] for r in after["results"]}
    finally:
        holder.source.subscribe(holder.mark_dirty)
