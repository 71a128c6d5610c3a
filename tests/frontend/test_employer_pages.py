"""The employer pages: candidate search (live fragments, consent, verified only), a candidate's page,
verifying credentials and share links, job postings from pasted text, and who may open them."""

from __future__ import annotations

import json
import re
import uuid
from contextlib import asynccontextmanager

import pytest
from litestar.testing import AsyncTestClient

from credentials.deps import stop_jobs
from matching.search import holder_of
from tests.conftest import create_org, csrf_headers, sign_up, verify_org_through_app

SKILL = "v2-data-engineering"
JOB_TEXT = "Backend engineer: build REST APIs in Go, run services on AWS, design databases."


@pytest.fixture(autouse=True)
def _fresh_candidate_index(app):
    """The candidate index lives as long as the app; the database is emptied before each test."""
    holder_of(app.state).index = None


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


@asynccontextmanager
async def as_new(app, email: str, name: str = "Test Person", lang: str = "en"):
    async with AsyncTestClient(app=app) as other:
        await sign_up(other, email, name, lang)
        yield other


async def employer(client, slug: str = "sakura", lang: str = "en") -> str:
    await sign_up(client, f"hr@{slug}.example.jp", "HR", lang)
    org = await create_org(client, "employer", slug)
    return f"/employer/{org['id']}"


async def learner(client, *, skills: dict[str, str], parts: list[str], discoverable: bool = True,
                  prefecture: str | None = "JP-13") -> None:
    """Self-assess the skills and set consent (the signed-in client's own account)."""
    headers = await csrf_headers(client)
    for skill_id, level in skills.items():
        response = await client.put("/api/v1/me/self-assessment", headers=headers,
                                    json={"skill_id": skill_id, "level": level})
        assert response.status_code in (200, 201), response.text
    response = await client.patch("/api/v1/me/settings", headers=headers, json={
        "discoverable": discoverable, "employer_parts": parts, "prefecture": prefecture})
    assert response.status_code == 200, response.text


async def issued_credential(app, email: str) -> str:
    """A verified provider issues a data-engineering badge (level b) to ``email``; returns the signed
    credential JSON."""
    async with as_new(app, f"admin-{uuid.uuid4().hex[:6]}@provider.example.jp") as provider:
        org = await create_org(provider, "provider", f"prov-{uuid.uuid4().hex[:6]}")
        await verify_org_through_app(provider, org["id"])
        headers = await csrf_headers(provider)
        achievement = await provider.post(f"/api/v1/orgs/{org['id']}/achievements", headers=headers, json={
            "name_ja": "データ基礎", "name_en": "Data Basics", "description_ja": "説明", "description_en": "About",
            "criteria_ja": "基準", "criteria_en": "Criteria",
            "alignments": [{"skill_id": SKILL, "level": "b"}]})
        assert achievement.status_code == 201, achievement.text
        issued = await provider.post(f"/api/v1/orgs/{org['id']}/credentials",
                                     headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                                     json={"achievement_id": achievement.json()["id"],
                                           "recipient_email": email})
        assert issued.status_code == 201, issued.text
        return json.dumps(issued.json()["credential"])


def htmx(target: str) -> dict[str, str]:
    return {"hx-request": "true", "hx-target": target}


async def form(client) -> dict[str, str]:
    return {"_csrf_token": (await csrf_headers(client))["x-csrftoken"]}


# -- pages in both languages -----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["", "/candidates", "/postings", "/postings/new", "/verify"])
@pytest.mark.parametrize("lang, word", [("ja", "候補者を探す"), ("en", "Find candidates")])
async def test_employer_pages_render_in_both_languages(client, path, lang, word) -> None:
    base = await employer(client, f"pages-{lang}-{path.strip('/').replace('/', '-') or 'home'}", lang)
    response = await client.get(base + path)
    assert response.status_code == 200, response.text
    assert f'<html lang="{lang}">' in response.text and word in response.text
    section = (path.split("/") + ["candidates"])[1] or "candidates"
    assert f'<a href="{base}/{section}" aria-current="page">' in response.text  # its section tab
    assert not re.search(r">\s*employer\.[a-z_.]+\s*<", response.text), "an untranslated key shows"


# -- candidate search --------------------------------------------------------------------------------

async def test_search_finds_opted_in_people_only_with_consented_data(app, client) -> None:
    base = await employer(client, "search")
    async with as_new(app, "aiko@example.jp", "Aiko Named") as aiko:
        await learner(aiko, skills={SKILL: "b", "v2-machine-learning": "c"},
                      parts=["skills", "self_declared", "display_name", "prefecture"])
    async with as_new(app, "hidden@example.jp", "Hidden Person") as hidden:
        await learner(hidden, skills={SKILL: "a"}, parts=["skills", "self_declared", "display_name"],
                      discoverable=False)
    async with as_new(app, "anon@example.jp", "Secret Name") as anon:
        await learner(anon, skills={SKILL: "c"}, parts=["skills", "self_declared"])
    query = f"req_skill={SKILL}&req_level=c"
    fragment = await client.get(f"{base}/candidates?{query}", headers=htmx("candidate_results"))
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Matching: 2" in fragment.text and "Aiko Named" in fragment.text
    assert "Hidden Person" not in fragment.text and "Secret Name" not in fragment.text
    assert "Candidate " in fragment.text  # the one without a consented name
    full = await client.get(f"{base}/candidates?{query}")
    assert "<html" in full.text and "Aiko Named" in full.text and 'name="req_skill"' in full.text
    higher = await client.get(f"{base}/candidates?req_skill={SKILL}&req_level=b",
                              headers=htmx("candidate_results"))
    assert "Matching: 1" in higher.text
    verified = await client.get(f"{base}/candidates?{query}&verified=on", headers=htmx("candidate_results"))
    assert "Matching: 0" in verified.text  # self-assessed skills are not verified


async def test_verified_only_finds_a_learner_with_an_issued_badge(app, client) -> None:
    base = await employer(client, "verified")
    async with as_new(app, "kana@example.jp", "Kana") as kana:
        await issued_credential(app, "kana@example.jp")
        assert (await kana.get("/api/v1/me/profile")).status_code == 200  # the wallet joins the profile
        await learner(kana, skills={}, parts=["skills", "display_name"])
    found = await client.get(f"{base}/candidates?req_skill={SKILL}&req_level=b&verified=on",
                             headers=htmx("candidate_results"))
    assert "Kana" in found.text and "Matching: 1" in found.text


async def test_candidate_page_explains_and_hides_what_was_not_consented(app, client) -> None:
    base = await employer(client, "cand")
    async with as_new(app, "ren@example.jp", "Ren Private") as ren:
        await learner(ren, skills={SKILL: "b"}, parts=["skills", "self_declared"], prefecture="JP-27")
        me = (await ren.get("/api/v1/me")).json()
    person_id = me.get("id") or me.get("person_id") or me["person"]["id"]
    page = await client.get(f"{base}/candidates/{person_id}?req_skill={SKILL}&req_level=a")
    assert page.status_code == 200
    assert "Ren Private" not in page.text and "Osaka" not in page.text  # name and prefecture not consented
    assert "Partly met" in page.text and "Data Engineering" in page.text
    with_role = await client.get(f"{base}/candidates/{person_id}?role_id=ds-data-engineer")
    assert "Against the needs of the DSS role" in with_role.text
    async with as_new(app, "gone@example.jp") as gone:
        await learner(gone, skills={SKILL: "b"}, parts=["skills"], discoverable=False)
        other_id = (await gone.get("/api/v1/me")).json()
    other_id = other_id.get("id") or other_id.get("person_id") or other_id["person"]["id"]
    assert (await client.get(f"{base}/candidates/{other_id}")).status_code == 404


async def test_requirement_rows_and_picker_are_fragments_that_refresh_the_results(client) -> None:
    base = await employer(client, "rows")
    rows = await client.get(f"{base}/candidates/requirements?add={SKILL}", headers=htmx("requirement_rows"))
    assert "<html" not in rows.text and rows.text.count('name="req_skill"') == 1
    assert rows.headers.get("hx-trigger-after-settle") == "filters-changed"
    template = await client.get(f"{base}/candidates/requirements?template=1&role_id=se-backend",
                                headers=htmx("requirement_rows"))
    assert 'value="v2-backend"' in template.text
    picker = await client.get(f"{base}/skills?q=データ", headers=htmx("req_picker_results"))
    assert "<html" not in picker.text and SKILL in picker.text
    posting_picker = await client.get(f"{base}/skills?q=cloud&editor=posting",
                                      headers=htmx("req_picker_results"))
    assert "#requirement_rows" in posting_picker.text and "<html" not in posting_picker.text
    assert "<html" in (await client.get(f"{base}/skills?q=cloud")).text


async def test_a_pasted_job_description_fills_the_criteria(client) -> None:
    base = await employer(client, "fromtext")
    response = await client.post(f"{base}/candidates/from-text", headers=htmx("search_form"),
                                 data={**await form(client), "job_text": JOB_TEXT})
    assert response.status_code == 200 and "<html" not in response.text
    assert 'value="v2-backend"' in response.text and response.headers.get("hx-trigger-after-settle") == "filters-changed"
    assert 'value="any" checked' in response.text and "Closest DSS role: Back-end Engineer" in response.text
    empty = await client.post(f"{base}/candidates/from-text", headers=htmx("search_form"),
                              data={**await form(client), "job_text": " "})
    assert "Paste the job description." in empty.text


# -- job postings -------------------------------------------------------------------------------------

async def test_posting_from_pasted_text_to_saved_and_edited(client) -> None:
    base = await employer(client, "postings")
    proposed = await client.post(f"{base}/postings/analyze", headers=htmx("posting_form"),
                                 data={**await form(client), "title": "", "description": JOB_TEXT})
    assert proposed.status_code == 200 and "<html" not in proposed.text and 'id="posting_form"' in proposed.text
    assert "Closest DSS role" in proposed.text and 'value="v2-backend"' in proposed.text
    skills = re.findall(r'name="req_skill" value="([^"]+)"', proposed.text)
    levels = re.findall(r'<option value="([abcd])" selected>', proposed.text)
    data = {**await form(client), "title": "Backend engineer", "description": JOB_TEXT,
            "role_id": "se-backend",
            "lang": "en", "status": "draft", "req_skill": skills, "req_level": levels[:len(skills)]}
    saved = await client.post(f"{base}/postings", data=data, follow_redirects=False)
    assert saved.status_code == 303
    edit = await client.get(saved.headers["location"])
    assert "The job posting was saved." in edit.text and 'value="Backend engineer"' in edit.text
    posting_url = saved.headers["location"].split("?")[0]
    updated = await client.post(posting_url, data={**data, "status": "published", "req_skill": skills[:1],
                                                   "req_level": ["a"]}, follow_redirects=False)
    assert updated.status_code == 303
    listing = await client.get(f"{base}/postings?status=published", headers=htmx("posting_list"))
    assert "<html" not in listing.text and "Backend engineer" in listing.text and "1 skill items" in listing.text
    assert "Backend engineer" in (await client.get(f"{base}/candidates")).text  # offered as a ranking target


async def test_posting_errors_are_shown_next_to_the_fields(client) -> None:
    base = await employer(client, "posting-errors")
    response = await client.post(f"{base}/postings", data={**await form(client), "title": "",
                                                           "description": ""})
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert 'id="e-title"' in response.text and 'id="e-requirements"' in response.text
    fragment = await client.post(f"{base}/postings", headers=htmx("posting_form"),
                                 data={**await form(client), "title": "x"})
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="e-requirements"' in fragment.text


async def test_postings_list_paginates(client, db) -> None:
    from matching.postings import PostingService

    base = await employer(client, "many")
    org_id = uuid.UUID(base.rsplit("/", 1)[1])
    for i in range(12):
        await PostingService(db).create(org_id, {"title": f"Job {i:02d}", "requirements": [
            {"skill_id": SKILL, "level": "b"}]}, None)
    await db.commit()
    first = await client.get(f"{base}/postings")
    assert "1–10 of 12" in first.text and 'rel="next"' in first.text
    second = await client.get(f"{base}/postings?page=2", headers=htmx("posting_list"))
    assert "11–12 of 12" in second.text and "<html" not in second.text


# -- verification -------------------------------------------------------------------------------------

async def test_verify_a_pasted_credential_and_a_share_link(app, client) -> None:
    base = await employer(client, "verify")
    async with as_new(app, "mio@example.jp", "Mio") as mio:
        document = await issued_credential(app, "mio@example.jp")
        held = (await mio.get("/api/v1/me/credentials")).json()
        link = await mio.post("/api/v1/me/share-links", headers=await csrf_headers(mio),
                              json={"label": "for Sakura", "parts": ["skills"],
                                    "credential_ids": [held[0]["id"]]})
        assert link.status_code == 201, link.text
        token = link.json()["token"]
    pasted = await client.post(f"{base}/verify", headers=htmx("verify_panel"),
                               files={"file": ("", b"", "application/octet-stream")},
                               data={**await form(client), "document": document})
    assert pasted.status_code == 200 and "<html" not in pasted.text
    assert "This credential is valid" in pasted.text and "データ基礎" in pasted.text  # issued in Japanese
    via_link = await client.post(f"{base}/verify", headers=htmx("verify_panel"),
                                 files={"file": ("", b"", "application/octet-stream")},
                                 data={**await form(client), "url": f"http://testserver.local/s/{token}"})
    assert "This credential is valid" in via_link.text
    by_query = await client.get(f"{base}/verify?url=/s/{token}")
    assert "<html" in by_query.text and "This credential is valid" in by_query.text
    tampered = json.loads(document)
    tampered["credentialSubject"]["name"] = "Someone Else"
    forged = await client.post(f"{base}/verify", headers=htmx("verify_panel"),
                               files={"file": ("", b"", "application/octet-stream")},
                               data={**await form(client), "document": json.dumps(tampered)})
    assert "could not be confirmed" in forged.text and "do not rely on it" in forged.text
    empty = await client.post(f"{base}/verify", files={"file": ("", b"", "application/octet-stream")},
                              data=await form(client))
    assert empty.status_code == 422 and 'id="e-document"' in empty.text


# -- who may open the employer pages ------------------------------------------------------------------

async def test_learners_providers_and_other_employers_get_403(app, client) -> None:
    base = await employer(client, "guarded")
    paths = ("", "/candidates", "/postings", "/postings/new", "/verify", f"/candidates/{uuid.uuid4()}")
    async with as_new(app, "just-a-learner@example.jp") as learner_client:
        for path in paths:
            response = await learner_client.get(base + path, headers={"accept": "text/html"})
            assert response.status_code == 403, path
    async with as_new(app, "other-hr@example.jp") as other:
        other_base = await create_org(other, "employer", "other-employer")
        assert (await other.get(f"/employer/{other_base['id']}")).status_code == 200
        assert (await other.get(base)).status_code == 403
    async with as_new(app, "prov@example.jp") as provider:
        await create_org(provider, "provider", "some-provider")
        assert (await provider.get(base + "/candidates")).status_code == 403
