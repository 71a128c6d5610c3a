"""Micro-credential detail (issue 14): credits with their unit, workload, level, field of study, language of
instruction, result descriptions with rubric levels on the achievement, and the learner's own results in the
issued credential; what we issue validates against the bundled OB 3.0 schema and verifies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from credentials.vc.schema import validate_ob
from tests.conftest import csrf_headers
from tests.credentials.conftest import ACHIEVEMENT, api_headers, issue, new_achievement, new_provider

SHARED_SCHEMA = Path("/work/shared/standards/ob-v3p0-schemas/json")

MICRO = {
    "credits_available": 2, "credit_unit": "tani", "workload_hours": 90, "level_framework": "eqf", "qualification_level": 6,
    "field_of_study": "データサイエンス", "instruction_language": "ja",
    "result_descriptions": [
        {"key": "grade", "name_ja": "成績", "name_en": "Grade", "result_type": "LetterGrade"},
        {"key": "pass", "name_ja": "合否", "name_en": "Pass or fail", "result_type": "Status"},
        {"key": "project", "name_ja": "最終課題", "name_en": "Final project", "result_type": "RubricCriterionLevel",
         "levels": [{"key": "basic", "name_ja": "基礎", "name_en": "Basic"},
                    {"key": "proficient", "name_ja": "熟達", "name_en": "Proficient"}],
         "required_level": "basic"},
    ],
}
RESULTS = [{"key": "grade", "value": "A"}, {"key": "pass", "status": "Completed"},
           {"key": "project", "level": "proficient"}]


async def _verify(client, document) -> dict:
    response = await client.post("/api/v1/verify", json=document, headers=await csrf_headers(client))
    assert response.status_code == 200, response.text
    return response.json()


async def test_micro_detail_in_signed_credential_with_learner_results(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider, achievement_type="MicroCredential", **MICRO)
    assert achievement["credits_available"] == 2 and achievement["credit_unit"] == "tani"
    assert achievement["result_descriptions"][2]["levels"][1]["key"] == "proficient"
    response = await issue(client, provider, achievement["id"], results=RESULTS, lang="en")
    assert response.status_code == 201, response.text
    credential = response.json()["credential"]
    ach = credential["credentialSubject"]["achievement"]
    assert ach["creditsAvailable"] == 2 and ach["fieldOfStudy"] == "データサイエンス"
    ext = {a["targetType"]: a for a in ach["alignment"] if a["targetType"].startswith("ext:")}
    assert ext["ext:CreditUnit"]["targetCode"] == "tani"
    assert ext["ext:Workload"]["targetCode"] == "PT90H"
    assert ext["ext:QualificationsFrameworkLevel"]["targetUrl"] == "http://data.europa.eu/snb/eqf/6"
    assert ext["ext:InstructionLanguage"]["targetCode"] == "ja"
    descriptions = {d["id"].rsplit("#", 1)[1]: d for d in ach["resultDescription"]}
    project = descriptions["result-project"]
    assert project["name"] == "Final project" and project["requiredLevel"].endswith("#result-project-basic")
    own = [r for r in credential["credentialSubject"]["result"] if "#result-" in r["resultDescription"]]
    assert [r.get("value") for r in own] == ["A", None, None]
    assert own[1]["status"] == "Completed"
    assert own[2]["achievedLevel"] == project["rubricCriterionLevel"][1]["id"]
    assert validate_ob(credential) == []
    result = await _verify(client, credential)
    assert result["verified"], result["errors"]
    tampered = json.loads(json.dumps(credential))
    tampered["credentialSubject"]["result"][-1]["achievedLevel"] = project["rubricCriterionLevel"][0]["id"]
    assert not (await _verify(client, tampered))["verified"]


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="the shared standards copy is not on this machine")
async def test_issued_micro_credential_valid_against_the_1edtech_schema_copy(client) -> None:
    import jsonschema  # noqa: PLC0415

    schema = json.loads((SHARED_SCHEMA / "ob_v3p0_achievementcredential_schema.json").read_text(encoding="utf-8"))
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider, **MICRO)
    credential = (await issue(client, provider, achievement["id"], results=RESULTS)).json()["credential"]
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(credential)] == []
    broken = json.loads(json.dumps(credential))
    broken["credentialSubject"]["result"][-1]["status"] = "Passed"  # not an OB 3.0 ResultStatusType
    assert list(validator.iter_errors(broken))


async def test_update_micro_replaces_detail_and_keeps_issued_credentials(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider, **MICRO)
    before = (await issue(client, provider, achievement["id"])).json()["credential"]
    url = f"{provider['base']}/achievements/{achievement['id']}/micro"
    response = await client.put(url, headers=await api_headers(client, provider),
                                json={"credits_available": 5, "credit_unit": "ects"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["credits_available"], body["credit_unit"], body["qualification_level"], body["result_descriptions"]) == (
        5, "ects", None, None)
    after = (await issue(client, provider, achievement["id"])).json()["credential"]
    assert after["credentialSubject"]["achievement"]["creditsAvailable"] == 5
    assert before["credentialSubject"]["achievement"]["creditsAvailable"] == 2
    assert (await _verify(client, before))["verified"]


@pytest.mark.parametrize(("change", "field"), [
    ({"credits_available": 3}, "credit_unit"),
    ({"credit_unit": "ects"}, "credits_available"),
    ({"credits_available": -1, "credit_unit": "ects"}, "credits_available"),
    ({"level_framework": "eqf", "qualification_level": 9}, "qualification_level"),
    ({"qualification_level": 4}, "level_framework"),
    ({"instruction_language": "日本語"}, "instruction_language"),
    ({"result_descriptions": [{"key": "g", "name_ja": "成績", "name_en": "Grade", "result_type": "Nope"}]},
     "result_descriptions[0].result_type"),
    ({"result_descriptions": [{"key": "r", "name_ja": "課題", "name_en": "Task", "result_type": "RubricCriterionLevel",
                               "levels": []}]}, "result_descriptions[0].levels"),
    ({"result_descriptions": [{"key": "r", "name_ja": "課題", "name_en": "Task", "result_type": "RubricCriterionLevel",
                               "levels": [{"key": "a", "name_ja": "A", "name_en": "A"}], "required_level": "z"}]},
     "result_descriptions[0].required_level"),
])
async def test_bad_micro_detail_is_a_problem_and_nothing_is_written(client, change, field) -> None:
    provider = await new_provider(client)
    response = await client.post(f"{provider['base']}/achievements", headers=await api_headers(client, provider),
                                 json={**ACHIEVEMENT, **change})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text
    listed = await client.get(f"{provider['base']}/achievements", headers=await api_headers(client, provider))
    assert listed.json() == []


@pytest.mark.parametrize(("results", "field"), [
    ([{"key": "missing", "value": "A"}], "results[0].key"),
    ([{"key": "project", "level": "expert"}], "results[0].level"),
    ([{"key": "pass", "status": "Passed"}], "results[0].status"),
    ([{"key": "grade"}], "results[0].value"),
    ([{"key": "grade", "value": "A"}, {"key": "grade", "value": "B"}], "results[1].key"),
])
async def test_bad_learner_results_issue_nothing(client, results, field) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider, **MICRO)
    response = await issue(client, provider, achievement["id"], results=results)
    assert response.status_code in (400, 422), response.text
    assert field in response.text
    listed = await client.get(f"{provider['base']}/credentials", headers=await api_headers(client, provider))
    assert listed.json()["total"] == 0
