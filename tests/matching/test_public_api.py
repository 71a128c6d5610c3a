"""Public and learner endpoints: role ranking, learning paths, the catalog, trends."""

from __future__ import annotations

import csv
import io

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from matching.demo import load as load_demo
from tests.conftest import create_org, sign_up
from tests.matching.helpers import employer, learner, send

PROFILE = {"skills": [{"id": "v2-backend", "level": "a", "status": "verified"},
                      {"name_ja": "Webアプリケーション基本技術", "level": "b"},
                      {"id": "software-design", "level": "b"}]}


async def demo_orgs(db: AsyncSession) -> None:
    accounts = AccountService(db)
    admin = await accounts.sign_up("admin@demo.example", "correct-horse-battery", "Admin")
    orgs = {slug: await accounts.create_org(kind, slug, slug, slug, admin_id=admin.id)
            for kind, slug in (("employer", "sakura-dx"), ("provider", "tokyo-digital-academy"),
                               ("provider", "kansai-data-school"))}
    await load_demo(db, {}, orgs)
    await load_demo(db, {}, orgs)  # idempotent
    await db.commit()


async def test_roles_for_a_posted_profile(client) -> None:
    response = await send(client, "POST", "/api/v1/match/roles", json=PROFILE)
    assert response.status_code == 200, response.text
    ranked = response.json()
    assert ranked[0]["id"] == "se-backend" and ranked[0]["kind"] == "role"
    assert {"score", "coverage", "met", "partly_met", "missing"} <= set(ranked[0])


async def test_bad_profile_names_the_field(client) -> None:
    response = await send(client, "POST", "/api/v1/match/roles",
                          json={"skills": [{"id": "v2-backend", "level": "a"},
                                           {"id": "v2-cooking", "level": "b"}]})
    assert response.status_code == 422 and response.json()["field"] == "skills[1].id"


async def test_demo_catalog_learning_path_and_published_postings(client, db) -> None:
    await demo_orgs(db)
    courses = (await client.get("/api/v1/courses")).json()
    assert len(courses) >= 30
    assert len((await client.get("/api/v1/courses?skill=v2-machine-learning")).json()) >= 3
    postings = (await client.get("/api/v1/postings")).json()
    assert len(postings) == 3
    response = await send(client, "POST", "/api/v1/match/path",
                          json={**PROFILE, "role_id": "ds-data-science-professional", "languages": ["ja"]})
    assert response.status_code == 200, response.text
    path = response.json()
    assert path["steps"] and path["gap_after"] < path["gap_before"]
    assert all(s["course"]["language"] == "ja" and s["closes"] for s in path["steps"])
    ranked = (await send(client, "POST", "/api/v1/match/roles", json=PROFILE)).json()
    assert {"posting"} <= {r["kind"] for r in ranked}
    posting_path = await send(client, "POST", "/api/v1/match/path",
                              json={**PROFILE, "posting_id": postings[0]["id"]})
    assert posting_path.status_code == 200


async def test_the_learner_gets_recommendations_and_a_path_from_their_own_profile(client, db) -> None:
    await demo_orgs(db)
    await learner(client, "me@example.jp", "私",
                  {"v2-machine-learning": "b", "v2-math-stats-visualization": "b"}, discoverable=False)
    ranked = (await client.get("/api/v1/me/recommendations")).json()
    assert next(r for r in ranked if r["kind"] == "role")["id"] == "ds-data-science-professional"
    assert any(r["kind"] == "posting" and r["name_en"].startswith("Data Scientist") for r in ranked)
    query = "role_id=ds-data-science-professional&mode=online"
    path = (await client.get(f"/api/v1/me/learning-path?{query}")).json()
    assert all(s["course"]["mode"] == "online" for s in path["steps"])
    response = await client.get("/api/v1/me/learning-path?language=fr")
    assert response.status_code == 422 and response.json()["field"]


async def test_providers_manage_their_courses(client) -> None:
    await sign_up(client, "teacher@example.jp", "講師")
    org = (await create_org(client, "provider", "tiny-school"))["id"]
    body = {"title_ja": "SQL入門", "title_en": "Intro to SQL", "hours": 6, "price_jpy": 9800,
            "alignments": [{"skill_id": "v2-data-engineering", "level": "c"}]}
    response = await send(client, "POST", f"/api/v1/orgs/{org}/courses", json=body)
    assert response.status_code == 201, response.text
    course = response.json()
    response = await send(client, "PATCH", f"/api/v1/orgs/{org}/courses/{course['id']}", json={"hours": 8})
    assert response.json()["hours"] == 8
    bad = await send(client, "POST", f"/api/v1/orgs/{org}/courses",
                     json={**body, "alignments": [{"skill_id": "v2-data-engineering", "level": "z"}]})
    assert bad.status_code == 400
    assert (await send(client, "DELETE", f"/api/v1/orgs/{org}/courses/{course['id']}")).status_code == 200


async def test_trends_suppress_small_cells(client, db) -> None:
    for n in range(12):
        skills = {"v2-backend": "b", **({"v2-sre": "c"} if n < 3 else {})}
        prefecture = "東京都" if n < 11 else "大阪府"
        await learner(client, f"t{n}@example.jp", f"T{n}", skills, prefecture=prefecture)
    org = await employer(client)
    await send(client, "POST", f"/api/v1/orgs/{org}/postings",
               json={"title": "SRE", "prefecture": "東京都", "status": "published", "role_id": "se-cloud-sre",
                     "requirements": [{"skill_id": "v2-sre", "level": "b"}]})
    data = (await client.get("/api/v1/trends?kind=skill")).json()
    cells = {(c["side"], c["id"], c["prefecture"]): c for c in data["cells"]}
    assert cells[("supply", "v2-backend", "ALL")]["count"] == 12
    # Tokyo has 11, Osaka 1: Osaka is suppressed, and so is Tokyo (else 12 - 11 would reveal Osaka).
    assert cells[("supply", "v2-backend", "JP-27")]["count"] is None
    assert cells[("supply", "v2-backend", "JP-13")]["count"] is None
    sre = cells[("supply", "v2-sre", "ALL")]
    assert sre["suppressed"] and sre["count"] is None
    assert cells[("demand", "v2-sre", "JP-13")]["count"] == 1
    text = (await client.get("/api/v1/trends?kind=role&format=csv")).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and set(rows[0]) == {"side", "kind", "id", "prefecture", "month", "count", "suppressed"}
    assert any(r["side"] == "demand" and r["id"] == "se-cloud-sre" for r in rows)
    assert (await client.get("/api/v1/trends?kind=nope")).status_code == 422


async def test_the_readers_path_uses_courses_in_their_language_and_says_when_it_cannot(db) -> None:
    from matching.catalog import CatalogService
    from matching.roles import Held
    from matching.service import path_for_reader

    accounts = AccountService(db)
    admin = await accounts.sign_up("admin@lang.example", "correct-horse-battery", "Admin")
    org = await accounts.create_org("provider", "lang-school", "言語スクール", "Language School", admin_id=admin.id)
    catalog = CatalogService(db)
    for key, language in (("backend-ja", "ja"), ("backend-en", "en")):
        await catalog.save(org.id, {"key": key, "title_ja": key, "title_en": key, "hours": 10, "price_jpy": 0,
                                    "language": language, "mode": "online",
                                    "alignments": [{"skill_id": "v2-backend", "level": "a"}]})
    await db.flush()
    profile = {"v2-web-app-basics": Held("c")}
    for language in ("ja", "en"):
        path = await path_for_reader(db, profile, "se-backend", language)
        assert path["steps"] and not path["language_fallback"]
        assert {s["course"]["language"] for s in path["steps"]} == {language}
        assert path["steps"][0]["phase"] == "core"
        assert path["steps"][0]["course"]["provider_ja"] == "言語スクール"
    await catalog.delete(org.id, next(c.id for c, _ in await catalog.courses(language="en")))
    await db.flush()
    path = await path_for_reader(db, profile, "se-backend", "en")
    assert path["language_fallback"] and {s["course"]["language"] for s in path["steps"]} == {"ja"}
