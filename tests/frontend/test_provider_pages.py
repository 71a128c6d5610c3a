"""The provider console: pages in both languages, htmx fragments, forms with errors next to the fields,
the CSV dry run and batch job, revocation, API keys, and who may open it."""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager

import pytest
from litestar.testing import AsyncTestClient

from credentials.deps import stop_jobs
from tests.conftest import create_org, csrf_headers, sign_up

SKILL = "v2-data-engineering"
ACHIEVEMENT = {
    "name_ja": "データエンジニアリング基礎", "name_en": "Data Engineering Foundations",
    "description_ja": "データ基盤の基礎を修了。", "description_en": "Completed the data platform foundations.",
    "criteria_ja": "最終課題に合格。", "criteria_en": "Pass the final project.",
    "alignments": [{"skill_id": SKILL, "level": "b"}],
}


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


@asynccontextmanager
async def another_client(app):
    async with AsyncTestClient(app=app) as other:
        yield other


async def provider(client, slug: str = "tda", lang: str = "en") -> str:
    """Sign up an admin, create a provider organization; returns the console's base path."""
    await sign_up(client, f"admin@{slug}.example.jp", lang=lang)
    org = await create_org(client, "provider", slug)
    return f"/provider/{org['id']}"


async def achievement(client, base: str, **changes) -> str:
    org_id = base.rsplit("/", 1)[1]
    response = await client.post(f"/api/v1/orgs/{org_id}/achievements", headers=await csrf_headers(client),
                                 json={**ACHIEVEMENT, **changes})
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def form(client) -> dict[str, str]:
    return {"_csrf_token": (await csrf_headers(client))["x-csrftoken"]}


def htmx(target: str) -> dict[str, str]:
    return {"hx-request": "true", "hx-target": target}


async def wait_for_batch(client, url: str, timeout: float = 30) -> str:
    for _ in range(int(timeout / 0.05)):
        text = (await client.get(url, headers=htmx("batch_status"))).text
        if "hx-trigger=\"load delay:1s\"" not in text:
            return text
        await asyncio.sleep(0.05)
    raise AssertionError("the batch did not finish")


# -- pages in both languages -----------------------------------------------------------------------

@pytest.mark.parametrize("lang, heading", [("ja", "発行者コンソール"), ("en", "Provider console")])
async def test_dashboard_is_a_full_page_in_each_language(client, lang, heading) -> None:
    base = await provider(client, f"dash-{lang}", lang=lang)
    response = await client.get(base)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text and heading in response.text
    assert 'aria-current="page"' in response.text


@pytest.mark.parametrize("path", ["/achievements", "/achievements/new", "/issue", "/batches", "/batches/new",
                                  "/credentials", "/api-keys"])
@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_every_console_page_renders_in_both_languages(client, path, lang) -> None:
    base = await provider(client, f"pages-{lang}-{path.strip('/').replace('/', '-')}", lang=lang)
    await achievement(client, base)
    response = await client.get(base + path)
    assert response.status_code == 200, response.text
    assert f'<html lang="{lang}">' in response.text
    assert f'<a href="{base}/{path.split("/")[1]}" aria-current="page">' in response.text  # its section tab
    assert not re.search(r">\s*provider\.[a-z_.]+\s*<", response.text), "an untranslated key shows"


# -- achievements editor ---------------------------------------------------------------------------

async def test_skill_picker_answers_a_fragment_for_htmx_and_a_page_otherwise(client) -> None:
    base = await provider(client, "picker")
    fragment = await client.get(f"{base}/achievements/skills?q=データ", headers=htmx("skill_picker_results"))
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "v2-data-engineering" in fragment.text  # the add button names the item
    english = await client.get(f"{base}/achievements/skills?q=engineering",
                               headers=htmx("skill_picker_results"))
    assert "v2-data-engineering" in english.text
    full = await client.get(f"{base}/achievements/skills?q=データ")
    assert "<html" in full.text and 'id="skill_picker_results"' in full.text


async def test_alignment_rows_add_and_remove_items_and_keep_levels(client) -> None:
    base = await provider(client, "rows")
    added = await client.get(f"{base}/achievements/alignments?align_skill={SKILL}&align_level=a"
                             "&add=v2-machine-learning", headers=htmx("alignment_rows"))
    assert "<html" not in added.text
    assert added.text.count('name="align_skill"') == 2
    assert re.search(r'<option value="a" selected>', added.text)
    removed = await client.get(f"{base}/achievements/alignments?align_skill={SKILL}&align_level=a"
                               f"&align_skill=v2-machine-learning&align_level=c&remove={SKILL}",
                               headers=htmx("alignment_rows"))
    assert removed.text.count('name="align_skill"') == 1 and "v2-machine-learning" in removed.text


async def test_achievement_form_shows_errors_next_to_fields(client) -> None:
    base = await provider(client, "ach-errors")
    response = await client.post(f"{base}/achievements", data={**await form(client),
                                                               "name_en": "Only English"})
    assert response.status_code == 422 and "<html" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="e-name_ja"' in response.text and 'id="e-alignments"' in response.text
    assert 'aria-invalid="true"' in response.text and 'value="Only English"' in response.text
    fragment = await client.post(f"{base}/achievements", data={**await form(client), "name_en": "x"},
                                 headers=htmx("achievement_form"))
    assert fragment.status_code == 200 and "<html" not in fragment.text and 'id="achievement_form"' in fragment.text


async def test_creating_an_achievement_with_skills_and_levels(client) -> None:
    base = await provider(client, "ach-ok")
    data = {**await form(client), **{k: v for k, v in ACHIEVEMENT.items() if k != "alignments"},
            "align_skill": [SKILL, "v2-machine-learning"], "align_level": ["a", "c"]}
    response = await client.post(f"{base}/achievements", data=data, follow_redirects=False)
    assert response.status_code == 303
    page = await client.get(response.headers["location"])
    assert "Data Engineering Foundations" in page.text and "The achievement was created." in page.text
    assert '/dss/skills/v2-machine-learning' in page.text
    via_htmx = await client.post(f"{base}/achievements", data=data, headers=htmx("achievement_form"))
    assert via_htmx.headers.get("hx-redirect", "").startswith(f"{base}/achievements/")


# -- issuing one credential and revoking it --------------------------------------------------------

async def test_issue_form_errors_then_issue_and_revoke_with_a_reason(client) -> None:
    base = await provider(client, "issue")
    achievement_id = await achievement(client, base)
    bad = await client.post(f"{base}/issue", data={**await form(client), "achievement_id": achievement_id,
                                                   "recipient_email": "not-an-email", "idempotency_key": "k1"})
    assert bad.status_code == 422 and 'id="e-recipient_email"' in bad.text
    good = {**await form(client), "achievement_id": achievement_id, "recipient_email": "Learner@Example.jp",
            "recipient_name": "学習 太郎", "idempotency_key": "k2", "format": "ldp", "lang": "ja"}
    issued = await client.post(f"{base}/issue", data=good, follow_redirects=False)
    assert issued.status_code == 303
    again = await client.post(f"{base}/issue", data=good, follow_redirects=False)
    assert again.headers["location"] == issued.headers["location"]  # same key: the same credential
    page = await client.get(issued.headers["location"])
    assert "learner@example.jp" in page.text and "was issued" in page.text
    revoke_url = issued.headers["location"].split("?")[0] + "/revoke"
    unconfirmed = await client.post(revoke_url, data=await form(client), headers=htmx("revoke_form"))
    assert unconfirmed.status_code == 200 and "<html" not in unconfirmed.text and 'id="e-confirm"' in unconfirmed.text
    too_long = await client.post(revoke_url, data={**await form(client), "reason": "x" * 501, "confirm": "on"},
                                 headers=htmx("revoke_form"))
    assert too_long.status_code == 200 and 'id="e-reason"' in too_long.text
    assert "This credential is revoked." not in (await client.get(revoke_url.removesuffix("/revoke"))).text
    done = await client.post(revoke_url, data={**await form(client), "reason": "issued by mistake",
                                               "confirm": "on"},
                             follow_redirects=False)
    assert done.status_code == 303
    after = await client.get(done.headers["location"])
    assert "issued by mistake" in after.text and "This credential is revoked." in after.text


async def test_issued_list_filters_and_paginates_with_fragments(client) -> None:
    base = await provider(client, "list")
    achievement_id = await achievement(client, base)
    for i in range(23):
        response = await client.post(f"{base}/issue", follow_redirects=False, data={
            **await form(client), "achievement_id": achievement_id, "recipient_email": f"p{i}@example.jp",
            "idempotency_key": f"list-{i}"})
        assert response.status_code == 303
    first = await client.get(f"{base}/credentials")
    assert "1–20 of 23" in first.text and 'rel="next"' in first.text
    second = await client.get(f"{base}/credentials?page=2", headers=htmx("credential_list"))
    assert "<html" not in second.text and "21–23 of 23" in second.text
    one = await client.get(f"{base}/credentials?email=p7@example.jp", headers=htmx("credential_list"))
    assert "p7@example.jp" in one.text and "p8@example.jp" not in one.text
    revoked = await client.get(f"{base}/credentials?state=revoked", headers=htmx("credential_list"))
    assert "No credential matches." in revoked.text


# -- bulk issue: dry run, job, progress, per-row results -------------------------------------------

async def test_csv_dry_run_shows_good_and_bad_rows_and_issues_nothing(client) -> None:
    base = await provider(client, "dry")
    achievement_id = await achievement(client, base)
    csv = "recipient_email,recipient_name\na@example.jp,A\nnot-an-email,B\nc@example.jp,C\n"
    response = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                                 files={"file": ("r.csv", csv.encode(), "text/csv")},
                                 data={**await form(client), "achievement_id": achievement_id})
    assert response.status_code == 200 and "<html" not in response.text
    assert "2 credentials would be issued." in response.text and "1 line has a problem" in response.text
    assert "recipient_email" in response.text  # the field at fault is named
    assert "Issue 2 credentials" in response.text
    batches = await client.get(f"{base}/batches")
    assert "No bulk issues yet." in batches.text
    full = await client.post(f"{base}/batches/preview", files={"file": ("r.csv", csv.encode(), "text/csv")},
                             data={**await form(client), "achievement_id": achievement_id})
    assert "<html" in full.text and "Dry run" in full.text


async def test_csv_errors_are_shown_next_to_the_file_field(client) -> None:
    base = await provider(client, "csv-bad")
    await achievement(client, base)
    empty = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                              files={"file": ("", b"", "application/octet-stream")}, data=await form(client))
    assert 'id="e-file"' in empty.text
    wrong = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                              data={**await form(client), "csv_text": "who,what\nx,y\n"},
                              files={"file": ("", b"", "application/octet-stream")})
    assert 'id="e-file"' in wrong.text and "recipient_email" in wrong.text


async def test_a_batch_runs_as_a_job_with_progress_and_per_row_results(client) -> None:
    base = await provider(client, "job")
    achievement_id = await achievement(client, base)
    csv = "recipient_email\nr1@example.jp\nbad\nr3@example.jp\n"
    data = {**await form(client), "achievement_id": achievement_id, "csv_text": csv, "idempotency_key": "b-1",
            "format": "ldp", "lang": "en"}
    response = await client.post(f"{base}/batches", data=data, follow_redirects=False)
    assert response.status_code == 303
    url = response.headers["location"]
    final = await wait_for_batch(client, url)
    assert "<html" not in final and "Finished: 2 issued, 1 failed." in final
    done = await client.get(url, headers=htmx("batch_status"))
    assert done.headers.get("hx-trigger") == "batch-done"
    rows = await client.get(url + "?state=failed", headers=htmx("batch_rows"))
    assert "<html" not in rows.text and "bad" in rows.text and "r1@example.jp" not in rows.text
    page = await client.get(url)
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text and "<progress" in page.text and "r3@example.jp" in page.text
    again = await client.post(f"{base}/batches", data=data, follow_redirects=False)
    assert again.headers["location"] == url  # a double submit starts no second batch


# -- API keys ---------------------------------------------------------------------------------------

async def test_api_keys_are_shown_once_listed_and_revoked(client) -> None:
    base = await provider(client, "keys")
    created = await client.post(f"{base}/api-keys", data={**await form(client), "name": "LMS"},
                                headers=htmx("api_keys"))
    assert created.status_code == 200 and "<html" not in created.text
    secret = re.search(r'id="new-key-secret"[^>]*value="([^"]+)"', created.text).group(1)
    listing = await client.get(f"{base}/api-keys")
    assert "LMS" in listing.text and secret not in listing.text
    key_id = re.search(r'/api-keys/([0-9a-f-]{36})/revoke', listing.text).group(1)
    revoked = await client.post(f"{base}/api-keys/{key_id}/revoke", data=await form(client),
                                follow_redirects=False)
    assert revoked.status_code == 303
    assert "revoked" in (await client.get(f"{base}/api-keys")).text
    missing = await client.post(f"{base}/api-keys", data=await form(client))
    assert missing.status_code == 422 and 'id="e-name"' in missing.text


# -- who may open the console -----------------------------------------------------------------------

async def test_a_member_of_another_provider_gets_403(app, client) -> None:
    base_a = await provider(client, "prov-a")
    async with another_client(app) as other:
        base_b = await provider(other, "prov-b")
        assert (await other.get(base_b)).status_code == 200
        for path in ("", "/achievements", "/issue", "/batches/new", "/credentials", "/api-keys"):
            response = await other.get(base_a + path, headers={"accept": "text/html"})
            assert response.status_code == 403, path
            assert "<html" in response.text


async def test_a_plain_member_cannot_manage_api_keys_and_a_learner_is_refused(app, client) -> None:
    base = await provider(client, "members")
    async with another_client(app) as other:
        await sign_up(other, "member@members.example.jp")
        org_id = base.rsplit("/", 1)[1]
        added = await client.post(f"/api/v1/orgs/{org_id}/members", headers=await csrf_headers(client),
                                  json={"email": "member@members.example.jp", "role": "member"})
        assert added.status_code == 201
        assert (await other.get(base)).status_code == 200
        assert "/api-keys" not in (await other.get(base)).text  # no tab for non-admins
        assert (await other.get(base + "/api-keys")).status_code == 403
    async with another_client(app) as learner:
        await sign_up(learner, "learner@members.example.jp")
        assert (await learner.get(base)).status_code == 403
    async with another_client(app) as anonymous:
        assert (await anonymous.get(base, headers={"accept": "text/html"})).status_code == 401


async def test_a_suspendable_credential_is_suspended_and_the_suspension_lifted(client) -> None:
    base = await provider(client, "suspend")
    achievement_id = await achievement(client, base)
    issued = await client.post(f"{base}/issue", follow_redirects=False, data={
        **await form(client), "achievement_id": achievement_id, "recipient_email": "pause@example.jp",
        "idempotency_key": "s1", "format": "ldp", "suspendable": "on"})
    url = issued.headers["location"].split("?")[0]
    assert 'value="suspend"' in (await client.get(url)).text
    suspended = await client.post(f"{url}/suspension", data={**await form(client), "action": "suspend",
                                                             "reason": "under review"}, follow_redirects=False)
    assert suspended.status_code == 303
    page = await client.get(url)
    assert "This credential is suspended" in page.text and 'value="unsuspend"' in page.text
    lifted = await client.post(f"{url}/suspension", data={**await form(client), "action": "unsuspend"},
                               follow_redirects=False)
    assert lifted.status_code == 303 and 'value="suspend"' in (await client.get(url)).text
    plain = await client.post(f"{base}/issue", follow_redirects=False, data={
        **await form(client), "achievement_id": achievement_id, "recipient_email": "plain@example.jp",
        "idempotency_key": "s2", "format": "ldp"})
    plain_url = plain.headers["location"].split("?")[0]
    assert 'value="suspend"' not in (await client.get(plain_url)).text
    refused = await client.post(f"{plain_url}/suspension", data={**await form(client), "action": "suspend"},
                                headers=htmx("revoke_form"))
    assert refused.status_code == 200 and 'role="alert"' in refused.text and "<html" not in refused.text
