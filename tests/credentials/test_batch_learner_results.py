"""Bulk issue with the learner's own results (issue 14): JSON ``results`` and CSV ``result:<key>`` columns
are checked per line against the achievement's result descriptions (a bad result fails only its line), and
each batch credential carries its own learner's results, valid against the bundled OB 3.0 schema."""

from __future__ import annotations

import csv
import io
import uuid

from credentials.batches import csv_template, rows_from_csv
from credentials.vc.schema import validate_ob
from tests.credentials.conftest import api_headers, new_achievement, new_provider
from tests.credentials.test_batches import submit_json, wait_done
from tests.credentials.test_micro_credentials import MICRO


def _own(credential: dict) -> dict[str, dict]:
    """The learner's own results by key (the DSS levels left out)."""
    return {r["resultDescription"].rsplit("#result-", 1)[1]: r for r in credential["credentialSubject"]["result"]
            if "#result-" in r["resultDescription"]}


async def _credential(client, provider, credential_id: str) -> dict:
    response = await client.get(f"{provider['base']}/credentials/{credential_id}",
                                headers=await api_headers(client, provider))
    assert response.status_code == 200, response.text
    return response.json()["credential"]


async def test_json_batch_puts_each_learners_results_in_their_credential(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider, achievement_type="MicroCredential", **MICRO)
    recipients = [
        {"recipient_email": "a@example.jp", "results": [{"key": "grade", "value": "A"},
                                                        {"key": "pass", "status": "Completed"},
                                                        {"key": "project", "level": "proficient"}]},
        {"recipient_email": "b@example.jp", "results": [{"key": "grade", "value": "C"},
                                                        {"key": "pass", "status": "Failed"}]},
        {"recipient_email": "c@example.jp", "results": [{"key": "project", "level": "expert"}]},
        {"recipient_email": "d@example.jp", "results": [{"key": "grade", "value": "B"}, {"key": "nope", "value": "1"}]},
        {"recipient_email": "e@example.jp", "results": "A"},
        {"recipient_email": "f@example.jp"},
    ]
    response = await submit_json(client, provider, {"achievement_id": achievement["id"], "recipients": recipients,
                                                    "lang": "en"})
    assert response.status_code == 202, response.text
    done = await wait_done(client, provider, response.json()["id"])
    by_line = {r["line"]: r for r in done["rows"]}
    assert [by_line[n]["state"] for n in range(1, 7)] == ["issued", "issued", "failed", "failed", "failed", "issued"]
    assert by_line[3]["errors"][0]["field"] == "results[0].level"
    assert by_line[4]["errors"][0]["field"] == "results[1].key"
    assert by_line[5]["errors"][0]["field"] == "results"
    first = await _credential(client, provider, by_line[1]["credential_id"])
    second = await _credential(client, provider, by_line[2]["credential_id"])
    plain = await _credential(client, provider, by_line[6]["credential_id"])
    own = _own(first)
    assert own["grade"]["value"] == "A" and own["pass"]["status"] == "Completed"
    assert own["project"]["achievedLevel"].endswith("#result-project-proficient")
    assert {k: (r.get("value"), r.get("status")) for k, r in _own(second).items()} == {
        "grade": ("C", None), "pass": (None, "Failed")}
    assert _own(plain) == {}
    # the shared (per achievement and language) parts stay the same; the DSS levels are in every credential
    assert first["credentialSubject"]["achievement"] == second["credentialSubject"]["achievement"]
    dss = [r for r in plain["credentialSubject"]["result"] if "#dss-" in r["resultDescription"]]
    assert dss and all(r in first["credentialSubject"]["result"] for r in dss)
    for credential in (first, second, plain):
        assert validate_ob(credential) == []
    broken = {**first, "credentialSubject": {**first["credentialSubject"], "result": [
        {**own["pass"], "status": "Passed"}]}}
    assert validate_ob(broken)  # the schema check can fail: Passed is not an OB 3.0 status


async def test_csv_result_columns_by_description_type_and_a_bad_cell_fails_its_line(client) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider, **MICRO)
    content = ("recipient_email,result:grade,result:pass,result:project\n"
               "a@example.jp,A,Completed,basic\n"
               "b@example.jp,B,,\n"
               "c@example.jp,A,Passed,basic\n").encode()
    response = await client.post(
        f"{provider['base']}/batches/csv", files={"file": ("r.csv", content, "text/csv")},
        data={"achievement_id": achievement["id"]},
        headers=await api_headers(client, provider, **{"Idempotency-Key": str(uuid.uuid4())}))
    assert response.status_code == 202, response.text
    done = await wait_done(client, provider, response.json()["id"])
    by_line = {r["line"]: r for r in done["rows"]}
    assert [by_line[n]["state"] for n in (2, 3, 4)] == ["issued", "issued", "failed"]
    assert by_line[4]["errors"][0]["field"] == "results[1].status"
    own = _own(await _credential(client, provider, by_line[2]["credential_id"]))
    assert (own["grade"]["value"], own["pass"]["status"]) == ("A", "Completed")
    assert own["project"]["achievedLevel"].endswith("#result-project-basic") and "value" not in own["project"]
    assert set(_own(await _credential(client, provider, by_line[3]["credential_id"]))) == {"grade"}


def test_csv_template_gains_a_column_per_result_description_and_reads_back() -> None:
    content = csv_template(MICRO["result_descriptions"])
    header, example = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert header[-3:] == ["result:grade", "result:pass", "result:project"]
    assert example[-2:] == ["Completed", "proficient"]
    [row] = rows_from_csv(content)
    assert row.errors == []
    assert [r["key"] for r in row.data["results"]] == ["pass", "project"]
    assert csv_template() == csv_template([])


async def test_console_offers_the_result_template_and_its_lines_pass_the_dry_run(client) -> None:
    from tests.frontend.test_provider_pages import achievement, form, htmx, provider  # noqa: PLC0415

    base = await provider(client, "tplres")
    plain_id = await achievement(client, base)
    micro_id = await achievement(client, base, **MICRO)
    page = await client.get(f"{base}/batches/new")
    assert page.status_code == 200, page.text
    assert f"template.csv?achievement_id={micro_id}" in page.text
    assert f"template.csv?achievement_id={plain_id}" not in page.text
    template = await client.get(f"{base}/batches/template.csv", params={"achievement_id": micro_id})
    assert template.status_code == 200
    header = next(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert header[-3:] == ["result:grade", "result:pass", "result:project"]
    bad = template.content.replace(b"Completed", b"Passed")
    preview = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                                data={**await form(client), "achievement_id": micro_id},
                                files={"file": ("t.csv", bad, "text/csv")})
    assert preview.status_code == 200 and "results[0].status" in preview.text
    assert "Choose the status from the list." in preview.text  # the single-issue form's wording


async def test_a_bad_result_in_the_japanese_dry_run_is_in_japanese(client) -> None:
    from tests.frontend.test_provider_pages import achievement, form, htmx, provider  # noqa: PLC0415

    base = await provider(client, "tplresja", lang="ja")
    micro_id = await achievement(client, base, **MICRO)
    content = "recipient_email,result:project\na@example.jp,expert\n".encode()
    preview = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                                data={**await form(client), "achievement_id": micro_id},
                                files={"file": ("t.csv", content, "text/csv")})
    assert preview.status_code == 200
    assert "一覧からルーブリックの段階を選んでください。" in preview.text
    assert "rubric level" not in preview.text
