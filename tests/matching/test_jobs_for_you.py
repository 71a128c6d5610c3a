"""Jobs for you: published postings ranked by fit with met and missing items and a learning path;
save; apply with a share link; the posting's employer sees only what the link shares, other
employers nothing, and nothing once the link is revoked."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from core.errors import Conflict
from matching.jobs import service as jobs

from matching.jobs.models import JobApplication
from tests.conftest import TEST_PASSWORD, csrf_headers, sign_up, create_org
from tests.frontend.helpers import HTML, csrf_token, form
from tests.matching.helpers import learner, send

LEARNER = "kenta@example.jp"
SKILLS = {"v2-backend": "b", "v2-sre": "c"}


async def sign_in(client, email: str) -> None:
    answer = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                               json={"email": email, "password": TEST_PASSWORD})
    assert answer.status_code == 200, answer.text


async def posting(client, org_id: str, title: str, requirements: dict[str, str], status: str = "published") -> str:
    response = await send(client, "POST", f"/api/v1/orgs/{org_id}/postings", json={
        "title": title, "status": status,
        "requirements": [{"skill_id": s, "level": level} for s, level in requirements.items()]})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def world(client) -> dict[str, str]:
    """Two employers: one with a close and a distant published posting and a draft, one with its own."""
    await sign_up(client, "hr@alpha.example", "採用担当")
    alpha = (await create_org(client, "employer", "alpha-dx"))["id"]
    close = await posting(client, alpha, "バックエンドエンジニア", {"v2-backend": "c", "v2-sre": "c"})
    distant = await posting(client, alpha, "データ基盤", {"v2-data-platform": "b", "v2-backend": "a"})
    await posting(client, alpha, "下書き", {"v2-backend": "d"}, status="draft")
    await sign_up(client, "hr@beta.example", "採用担当")
    beta = (await create_org(client, "employer", "beta-dx"))["id"]
    theirs = await posting(client, beta, "SRE", {"v2-sre": "b"})
    person = await learner(client, LEARNER, "田中 健太", SKILLS, discoverable=False)
    return {"alpha": alpha, "beta": beta, "close": close, "distant": distant, "theirs": theirs, "person": person}


async def test_jobs_ranked_by_fit_with_met_missing_and_a_path(client) -> None:
    ids = await world(client)
    jobs = (await client.get("/api/v1/me/jobs")).json()
    assert [j["title"] for j in jobs][0] == "バックエンドエンジニア"
    assert "下書き" not in [j["title"] for j in jobs] and len(jobs) == 3
    fits = [j["score"] for j in jobs]  # the engine ranks postings by its fit score
    assert fits == sorted(fits, reverse=True) and fits[0] > fits[-1]
    by_id = {j["posting_id"]: j for j in jobs}
    assert sorted(by_id[ids["close"]]["met"]) == ["v2-backend", "v2-sre"] and by_id[ids["close"]]["missing"] == []
    assert set(by_id[ids["distant"]]["missing"]) == {"v2-data-platform", "v2-backend"}  # b held, a needed

    page = await client.get("/wallet/jobs", headers=HTML)
    order = [ids["close"]] + [j["posting_id"] for j in jobs[1:]]
    positions = [page.text.index(f'data-job="{pid}"') for pid in order]
    assert positions == sorted(positions)
    detail = await client.get(f"/wallet/jobs/{ids['distant']}", headers=HTML)
    assert 'data-missing="v2-data-platform"' in detail.text and "足りない項目を埋める学習の道筋" in detail.text

    token = await csrf_token(client)
    await client.post(f"/wallet/jobs/{ids['distant']}/save", data=form(token, saved="on"), headers=HTML)
    saved = await client.get("/wallet/jobs?saved=1", headers=HTML)
    assert f'data-job="{ids["distant"]}"' in saved.text and f'data-job="{ids["close"]}"' not in saved.text
    assert (await send(client, "PUT", f"/api/v1/me/jobs/{ids['distant']}/saved")).status_code == 200  # idempotent
    assert [j["saved"] for j in (await client.get("/api/v1/me/jobs")).json() if j["posting_id"] == ids["distant"]] == [True]


async def test_an_application_shows_that_employer_only_what_was_sent(client, db) -> None:
    ids = await world(client)
    token = await csrf_token(client)
    sent = await client.post(f"/wallet/jobs/{ids['close']}/apply", headers=HTML, follow_redirects=False,
                             data=form(token, link="new", parts=["skills", "self_declared"]))
    assert sent.status_code == 303, sent.text
    again = await send(client, "POST", f"/api/v1/me/jobs/{ids['close']}/application", json={})
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert await db.scalar(select(func.count()).select_from(JobApplication)) == 1
    link_id = (await client.get("/api/v1/me/share-links")).json()[0]["id"]

    await sign_in(client, "hr@alpha.example")
    [application] = (await client.get(f"/api/v1/orgs/{ids['alpha']}/postings/{ids['close']}/applications")).json()
    shared = application["shared"]
    assert sorted(i["skill_id"] for i in shared["profile"]["items"]) == sorted(SKILLS)
    assert "display_name" not in shared and "prefecture" not in shared and "credentials" not in shared
    page = await client.get(f"/employer/{ids['alpha']}/postings/{ids['close']}/applications", headers=HTML)
    assert 'data-shared-skill="v2-backend"' in page.text and "田中" not in page.text
    listing = await client.get(f"/employer/{ids['alpha']}/postings", headers=HTML)
    assert f'href="/employer/{ids["alpha"]}/postings/{ids["close"]}/applications"' in listing.text
    # the other posting of the same employer has none; another employer cannot read this one
    assert (await client.get(f"/api/v1/orgs/{ids['alpha']}/postings/{ids['distant']}/applications")).json() == []
    await sign_in(client, "hr@beta.example")
    assert (await client.get(f"/api/v1/orgs/{ids['alpha']}/postings/{ids['close']}/applications")).status_code == 403
    assert (await client.get(f"/api/v1/orgs/{ids['beta']}/postings/{ids['close']}/applications")).status_code == 404
    assert (await client.get(f"/api/v1/orgs/{ids['beta']}/postings/{ids['theirs']}/applications")).json() == []

    # the learner revokes the link: the employer sees the application, nothing of the person
    await sign_in(client, LEARNER)
    assert (await send(client, "DELETE", f"/api/v1/me/share-links/{link_id}")).status_code == 200
    reuse = await send(client, "POST", f"/api/v1/me/jobs/{ids['theirs']}/application", json={"link_id": link_id})
    assert reuse.status_code == 422 and reuse.json()["field"] == "link_id"
    await sign_in(client, "hr@alpha.example")
    [application] = (await client.get(f"/api/v1/orgs/{ids['alpha']}/postings/{ids['close']}/applications")).json()
    assert application["shared"] is None
    page = await client.get(f"/employer/{ids['alpha']}/postings/{ids['close']}/applications", headers=HTML)
    assert "data-nothing-shared" in page.text and "data-shared-skill" not in page.text


async def test_applying_with_an_existing_live_link(client) -> None:
    ids = await world(client)
    made = await send(client, "POST", "/api/v1/me/share-links", json={"label": "就活用", "parts": ["skills", "self_declared"]})
    assert made.status_code == 201, made.text
    answer = await send(client, "POST", f"/api/v1/me/jobs/{ids['theirs']}/application",
                        json={"link_id": made.json()["id"]})
    assert answer.status_code == 201 and answer.json()["share_link_id"] == made.json()["id"]
    assert len((await client.get("/api/v1/me/share-links")).json()) == 1  # no new link was made
    await sign_in(client, "hr@beta.example")
    [application] = (await client.get(f"/api/v1/orgs/{ids['beta']}/postings/{ids['theirs']}/applications")).json()
    assert application["shared"]["label"] == "就活用"


async def test_saved_jobs_and_applications_are_in_the_export(client) -> None:
    ids = await world(client)
    assert (await send(client, "PUT", f"/api/v1/me/jobs/{ids['distant']}/saved")).status_code == 200
    assert (await send(client, "POST", f"/api/v1/me/jobs/{ids['close']}/application",
                       json={"parts": ["skills"]})).status_code == 201
    export = (await client.get("/api/v1/me/export")).json()
    assert [s["posting_id"] for s in export["jobs"]["saved"]] == [ids["distant"]]
    assert [a["posting_id"] for a in export["jobs"]["applications"]] == [ids["close"]]
    assert export["learner_progress"] == {"show_motivation": True} and export["pathway_awards"] == []


async def test_two_applications_at_the_same_moment_keep_one_and_the_other_is_a_409(client, engine, settings) -> None:
    """Two tabs apply at once: the second waits for the first to commit, then is the usual 409 (it was
    an IntegrityError, a 500), and its share link is not kept."""
    from skills.models import ShareLink

    ids = await world(client)
    person, posting_id = uuid.UUID(ids["person"]), uuid.UUID(ids["close"])
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as one, sessions() as two:
        await jobs.apply(one, settings, person, posting_id)
        waiting = asyncio.create_task(jobs.apply(two, settings, person, posting_id))
        await asyncio.sleep(0.3)
        await one.commit()
        try:
            await asyncio.wait_for(waiting, 15)
        except Conflict:
            pass
        else:
            raise AssertionError("a second application to the same job was accepted")
        await two.commit()  # what the page does after a form error shown to htmx: keeps what is left
    async with sessions() as check:
        assert await check.scalar(select(func.count()).select_from(JobApplication)) == 1
        assert await check.scalar(select(func.count()).select_from(ShareLink).where(ShareLink.person_id == person)) == 1
