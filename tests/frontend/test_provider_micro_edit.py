"""The console's micro-credential edit page: it edits the detail and result descriptions after creation with
the API's rules and domain function (``AchievementService.update_micro``), errors per field in ja and en, as
a full page and as the htmx fragment, and issued credentials carry what was saved (valueMin / valueMax)."""

from __future__ import annotations

import uuid

import pytest

from credentials.deps import stop_jobs
from credentials.vc.schema import validate_ob
from tests.conftest import create_org, csrf_headers, sign_up
from tests.credentials.test_micro_credentials import MICRO
from tests.frontend.helpers import HTML, assert_fragment, assert_full_page, htmx

SKILL = "v2-data-engineering"
TEXTS = {"name_ja": "統計の基礎", "name_en": "Statistics Basics", "description_ja": "基礎を修了。",
         "description_en": "Completed the basics.", "criteria_ja": "試験に合格。", "criteria_en": "Pass the exam."}


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


async def provider_with_achievement(client, slug: str) -> tuple[str, str, str]:
    await sign_up(client, f"admin@{slug}.example.jp", lang="en")
    org = await create_org(client, "provider", slug)
    api = f"/api/v1/orgs/{org['id']}"
    created = await client.post(f"{api}/achievements", headers=await csrf_headers(client),
                                json={**TEXTS, "alignments": [{"skill_id": SKILL, "level": "b"}], **MICRO})
    assert created.status_code == 201, created.text
    return f"/provider/{org['id']}/achievements/{created.json()['id']}", api, created.json()["id"]


def form_of(token: str, **extra: str) -> dict[str, str]:
    """The edit form as a browser sends it: the stored detail plus ``extra``."""
    fields = {"_csrf_token": token, "credits_available": "2", "credit_unit": "tani", "workload_hours": "90",
              "level_framework": "eqf", "qualification_level": "6", "field_of_study": "データサイエンス",
              "instruction_language": "ja",
              "result_descriptions[0].key": "score", "result_descriptions[0].result_type": "Percent",
              "result_descriptions[0].name_ja": "得点", "result_descriptions[0].name_en": "Score",
              "result_descriptions[0].value_min": "0", "result_descriptions[0].value_max": "100",
              "result_descriptions[2].key": "project", "result_descriptions[2].result_type": "RubricCriterionLevel",
              "result_descriptions[2].name_ja": "最終課題", "result_descriptions[2].name_en": "Final project",
              "result_descriptions[2].levels[0].key": "basic", "result_descriptions[2].levels[0].name_ja": "基礎",
              "result_descriptions[2].levels[0].name_en": "Basic",
              "result_descriptions[2].levels[1].key": "proficient",
              "result_descriptions[2].levels[1].name_ja": "熟達",
              "result_descriptions[2].levels[1].name_en": "Proficient",
              "result_descriptions[2].required_level": "basic"}
    return {**fields, **extra}


async def test_edit_page_shows_the_stored_detail_and_saves_a_change(client) -> None:
    page_url, api, achievement_id = await provider_with_achievement(client, "micro-edit")
    shown = await client.get(f"{page_url}/micro", headers=HTML)
    assert_full_page(shown)
    assert 'name="credits_available" type="number" value="2"' in shown.text  # 2.0 stored, shown as 2
    assert 'value="proficient"' in shown.text and 'name="result_descriptions[0].value_min"' in shown.text
    token = (await csrf_headers(client))["x-csrftoken"]
    saved = await client.post(f"{page_url}/micro", data=form_of(token, credits_available="4"), headers=HTML,
                              follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    stored = (await client.get(f"{api}/achievements/{achievement_id}", headers=await csrf_headers(client))).json()
    assert stored["credits_available"] == 4
    assert [d["key"] for d in stored["result_descriptions"]] == ["score", "project"]  # the empty row 1 left out
    assert stored["result_descriptions"][0]["value_min"] == "0" and stored["result_descriptions"][0]["value_max"] == "100"
    assert stored["result_descriptions"][1]["required_level"] == "basic"
    issued = await client.post(f"{api}/credentials",
                               headers={**await csrf_headers(client), "Idempotency-Key": str(uuid.uuid4())},
                               json={"achievement_id": achievement_id, "recipient_email": "taro@example.jp",
                                     "results": [{"key": "score", "value": "87"}], "lang": "en"})
    assert issued.status_code == 201, issued.text
    assert validate_ob(issued.json()["credential"]) == []  # valueMin / valueMax where the bundled schema allows them
    achievement = issued.json()["credential"]["credentialSubject"]["achievement"]
    score = next(d for d in achievement["resultDescription"] if d["id"].endswith("#result-score"))
    assert achievement["creditsAvailable"] == 4 and score["valueMin"] == "0" and score["valueMax"] == "100"
    back = await client.get(saved.headers["location"], headers=HTML)
    assert "The micro-credential detail was saved." in back.text and "Score" in back.text


async def test_edit_form_refuses_what_the_api_refuses_and_keeps_nothing(client) -> None:
    page_url, api, achievement_id = await provider_with_achievement(client, "micro-edit-bad")
    token = (await csrf_headers(client))["x-csrftoken"]
    too_long = "9" * 41
    # the form's row 2 is the second description the service sees: its errors land back on row 2
    long_bound = await client.post(f"{page_url}/micro", headers=HTML,
                                   data=form_of(token, **{"result_descriptions[2].value_max": too_long}))
    assert long_bound.status_code == 422 and "At most 40 characters." in long_bound.text
    assert 'aria-invalid="true" aria-describedby="e-result_descriptions-2-value_max"' in long_bound.text
    api_refused = await client.put(f"{api}/achievements/{achievement_id}/micro", headers=await csrf_headers(client),
                                   json={**MICRO, "result_descriptions": [
                                       {"key": "x", "name_ja": "x", "name_en": "x", "result_type": "Percent",
                                        "value_max": too_long}]})
    assert api_refused.status_code in (400, 422) and api_refused.headers["content-type"].startswith(
        "application/problem+json")
    no_key = await client.post(f"{page_url}/micro", headers=HTML,
                               data=form_of(token, **{"result_descriptions[2].levels[0].key": ""}))
    assert no_key.status_code == 422 and 'id="e-result_descriptions-2-levels-0-key"' in no_key.text
    assert "A unique level key of lowercase letters, digits and -." in no_key.text
    client.cookies.set("lang", "ja")
    ja = await client.post(f"{page_url}/micro", headers=htmx("micro_form"),
                           data=form_of(token, credits_available="3", credit_unit=""))
    assert_fragment(ja)
    assert 'id="micro_form"' in ja.text and "単位数と単位の種類は一緒に入力してください。" in ja.text
    client.cookies.set("lang", "en")
    stored = (await client.get(f"{api}/achievements/{achievement_id}", headers=await csrf_headers(client))).json()
    assert stored["credits_available"] == MICRO["credits_available"]
    assert [d["key"] for d in stored["result_descriptions"]] == ["grade", "pass", "project"]


async def test_another_organizations_achievement_is_not_found(client, app) -> None:
    page_url, _, _ = await provider_with_achievement(client, "micro-edit-owner")
    from litestar.testing import AsyncTestClient
    async with AsyncTestClient(app=app) as other:
        await sign_up(other, "admin@micro-edit-other.example.jp", lang="en")
        await create_org(other, "provider", "micro-edit-other")
        token = (await csrf_headers(other))["x-csrftoken"]
        assert (await other.get(f"{page_url}/micro", headers=HTML)).status_code in (403, 404)
        refused = await other.post(f"{page_url}/micro", headers=HTML, data=form_of(token))
        assert refused.status_code in (403, 404)


async def test_allowed_values_from_the_form_bound_the_results_of_api_and_form(client) -> None:
    page_url, api, achievement_id = await provider_with_achievement(client, "micro-edit-allowed")
    token = (await csrf_headers(client))["x-csrftoken"]
    grade = {"result_descriptions[1].key": "grade", "result_descriptions[1].result_type": "LetterGrade",
             "result_descriptions[1].name_ja": "評定", "result_descriptions[1].name_en": "Grade",
             "result_descriptions[1].allowed_values": "D, C、B，A, S"}
    saved = await client.post(f"{page_url}/micro", data=form_of(token, **grade), headers=HTML, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    stored = (await client.get(f"{api}/achievements/{achievement_id}", headers=await csrf_headers(client))).json()
    assert stored["result_descriptions"][1]["allowed_values"] == ["D", "C", "B", "A", "S"]
    shown = await client.get(f"{page_url}/micro", headers=HTML)
    assert 'name="result_descriptions[1].allowed_values" type="text" maxlength="900" value="D, C, B, A, S"' in shown.text
    headers = {**await csrf_headers(client)}
    body = {"achievement_id": achievement_id, "recipient_email": "jiro@example.jp", "lang": "en"}
    refused = await client.post(f"{api}/credentials", headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                                json={**body, "results": [{"key": "grade", "value": "E"}]})
    assert refused.status_code == 422 and refused.json()["field"] == "results[0].value"
    assert refused.json()["code"] == "not_allowed"
    issued = await client.post(f"{api}/credentials", headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
                               json={**body, "results": [{"key": "grade", "value": "A"}]})
    assert issued.status_code == 201, issued.text
    assert validate_ob(issued.json()["credential"]) == []
    described = next(d for d in issued.json()["credential"]["credentialSubject"]["achievement"]["resultDescription"]
                     if d["id"].endswith("#result-grade"))
    assert described["allowedValue"] == ["D", "C", "B", "A", "S"]
    # not for rubric levels, nor duplicates: the row's field says so, in ja too
    client.cookies.set("lang", "ja")
    bad = await client.post(f"{page_url}/micro", headers=HTML,
                            data=form_of(token, **{"result_descriptions[2].allowed_values": "x, y"}))
    assert bad.status_code == 422 and 'id="e-result_descriptions-2-allowed_values"' in bad.text
    assert "ルーブリックの段階・合否には使えません" in bad.text
    client.cookies.set("lang", "en")
    twice = await client.put(f"{api}/achievements/{achievement_id}/micro", headers=await csrf_headers(client), json={
        "result_descriptions": [{"key": "g", "name_ja": "g", "name_en": "g", "result_type": "LetterGrade",
                                 "allowed_values": ["A", "A"]}]})
    assert twice.status_code == 422 and twice.json()["field"] == "result_descriptions[0].allowed_values"
