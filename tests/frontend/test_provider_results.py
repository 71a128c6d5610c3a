"""The console's single-issue form gives the learner's results (issue 14): one field per result description
of the chosen achievement (a list for a status or rubric level), the credential carries them, and the
service's per-result error is shown on its field in the page's language."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_headers
from tests.credentials.test_micro_credentials import MICRO
from tests.frontend.test_provider_pages import achievement, form, provider


@pytest.mark.parametrize("lang, label, status", [("ja", "最終課題", "修了（合格）"),
                                                  ("en", "Final project", "Completed (passed)")])
async def test_issue_form_has_a_field_per_result_description(client, lang, label, status) -> None:
    base = await provider(client, f"res{lang}", lang=lang)
    plain = await achievement(client, base)
    micro = await achievement(client, base, **MICRO)
    page = await client.get(f"{base}/issue", params={"achievement_id": micro})
    assert page.status_code == 200, page.text
    assert 'name="result:grade"' in page.text and 'name="result:pass"' in page.text
    assert f'<label for="f-result-project">{label}</label>' in page.text and status in page.text
    assert 'value="proficient"' in page.text
    other = await client.get(f"{base}/issue", params={"achievement_id": plain})
    assert 'name="result:' not in other.text


async def test_issued_from_the_form_carries_the_results_and_a_bad_one_is_shown_on_its_field(client) -> None:
    base = await provider(client, "resform", lang="ja")
    micro = await achievement(client, base, **MICRO)
    values = {**await form(client), "achievement_id": micro, "recipient_email": "learner@example.jp",
              "delivery": "credential", "format": "ldp", "lang": "ja", "idempotency_key": "k-1",
              "result:grade": "A", "result:pass": "Passed", "result:project": "basic"}
    refused = await client.post(f"{base}/issue", data=values)
    assert refused.status_code == 422, refused.text
    assert re.search(r'id="e-result-pass">一覧から合否を選んでください。<', refused.text)
    assert 'value="A"' in refused.text  # what was typed stays
    response = await client.post(f"{base}/issue", data={**values, "result:pass": "Completed", "idempotency_key": "k-2"},
                                 follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    credential_id = response.headers["location"].split("/credentials/", 1)[1].split("?", 1)[0]
    org_id = base.rsplit("/", 1)[1]
    body = (await client.get(f"/api/v1/orgs/{org_id}/credentials/{credential_id}",
                             headers=await csrf_headers(client))).json()
    own = {r["resultDescription"].rsplit("#result-", 1)[1]: r for r in body["credential"]["credentialSubject"]["result"]
           if "#result-" in r["resultDescription"]}
    assert own["grade"]["value"] == "A" and own["pass"]["status"] == "Completed"
    assert own["project"]["achievedLevel"].endswith("#result-project-basic")


def _rd_fields(description: dict, i: int = 0) -> dict[str, str]:
    at = f"result_descriptions[{i}]"
    fields = {f"{at}.{k}": description.get(k) or ""
              for k in ("key", "result_type", "name_ja", "name_en", "required_level")}
    for j, level in enumerate(description.get("levels", [])):
        fields.update({f"{at}.levels[{j}].{k}": level[k] for k in ("key", "name_ja", "name_en")})
    return fields


@pytest.mark.parametrize("lang, legend, rubric", [("ja", "項目 1", "ルーブリックの段階"),
                                                  ("en", "Item 1", "Rubric criterion level")])
async def test_achievement_form_offers_result_description_rows(client, lang, legend, rubric) -> None:
    base = await provider(client, f"rdrows{lang}", lang=lang)
    page = await client.get(f"{base}/achievements/new")
    assert page.status_code == 200
    assert 'name="result_descriptions[2].levels[2].name_en"' in page.text  # three rows, three levels each
    assert 'name="result_descriptions[3].key"' not in page.text
    assert f"<legend>{legend}</legend>" in page.text and f'value="RubricCriterionLevel">{rubric}<' in page.text


async def test_achievement_form_saves_result_descriptions_and_refuses_what_the_api_refuses(client) -> None:
    from tests.credentials.test_micro_credentials_pages import SKILL, TEXTS  # noqa: PLC0415
    from tests.frontend.helpers import HTML  # noqa: PLC0415

    base = await provider(client, "rdform", lang="ja")
    api = "/api/v1/orgs/" + base.rsplit("/", 1)[1]
    fields = {**await form(client), **TEXTS, "align_skill": [SKILL], "align_level": ["b"]}
    project = MICRO["result_descriptions"][2]
    twice = {**project, "levels": [project["levels"][0], {**project["levels"][1], "key": "basic"}]}
    # the blank row 0 is skipped: the bad description is the service's result_descriptions[0], the form's row 1
    refused = await client.post(f"{base}/achievements", data={**fields, **_rd_fields(twice, 1)}, headers=HTML)
    assert refused.status_code == 422, refused.text
    assert 'id="e-result_descriptions-1-levels-1-key"' in refused.text
    assert "段階のキーは英小文字・数字・- で、重複せずに入力してください。" in refused.text
    api_refused = await client.post(f"{api}/achievements", headers=await csrf_headers(client),
                                    json={**TEXTS, "alignments": [{"skill_id": SKILL, "level": "b"}],
                                          "result_descriptions": [twice]})
    assert api_refused.status_code in (400, 422) and "result_descriptions[0].levels[1].key" in api_refused.text
    data = {**fields, **_rd_fields(MICRO["result_descriptions"][0], 0), **_rd_fields(project, 1)}
    saved = await client.post(f"{base}/achievements", data=data, headers=HTML, follow_redirects=False)
    assert saved.status_code in (302, 303), saved.text
    [created] = (await client.get(f"{api}/achievements", headers=await csrf_headers(client))).json()
    assert [(d["key"], d["result_type"]) for d in created["result_descriptions"]] == [
        ("grade", "LetterGrade"), ("project", "RubricCriterionLevel")]
    assert created["result_descriptions"][1]["levels"][1] == {
        "key": "proficient", "name_ja": "熟達", "name_en": "Proficient"}
    assert created["result_descriptions"][1]["required_level"] == "basic"
