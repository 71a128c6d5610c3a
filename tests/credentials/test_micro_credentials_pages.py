"""Micro-credential detail in the console form (same rules as the API) and on the learner's wallet page
(labels in ja and en)."""

from __future__ import annotations

import uuid

import pytest
from litestar.testing import AsyncTestClient

from credentials.deps import stop_jobs
from tests.conftest import create_org, csrf_headers, sign_up
from tests.credentials.test_micro_credentials import MICRO, RESULTS
from tests.frontend.helpers import HTML, held_ids, learner

SKILL = "v2-data-engineering"
TEXTS = {"name_ja": "データ分析基礎", "name_en": "Data Analysis Foundations", "description_ja": "基礎を修了。",
         "description_en": "Completed the foundations.", "criteria_ja": "最終課題に合格。",
         "criteria_en": "Pass the final project."}


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


async def console(client, slug: str) -> tuple[str, str]:
    await sign_up(client, f"admin@{slug}.example.jp", lang="en")
    org = await create_org(client, "provider", slug)
    return f"/provider/{org['id']}", f"/api/v1/orgs/{org['id']}"


async def test_console_form_saves_micro_detail_and_refuses_what_the_api_refuses(client) -> None:
    base, api = await console(client, "micro-form")
    token = (await csrf_headers(client))["x-csrftoken"]
    fields = {"_csrf_token": token, **TEXTS, "align_skill": [SKILL], "align_level": ["b"]}
    bad = {**fields, "credits_available": "3", "credit_unit": ""}
    refused_form = await client.post(f"{base}/achievements", data=bad, headers=HTML)
    assert refused_form.status_code == 422 and 'id="e-credit_unit"' in refused_form.text
    assert "Give the credits together with their unit." in refused_form.text
    refused_api = await client.post(f"{api}/achievements", headers=await csrf_headers(client),
                                    json={**TEXTS, "alignments": [{"skill_id": SKILL, "level": "b"}],
                                          "credits_available": 3})
    assert refused_api.status_code == 422 and refused_api.json()["field"] == "credit_unit"
    client.cookies.set("lang", "ja")
    ja = await client.post(f"{base}/achievements", data={**fields, "qualification_level": "9",
                                                         "level_framework": "eqf"}, headers=HTML)
    assert ja.status_code == 422 and "レベルは 1〜8 の整数で" in ja.text
    client.cookies.set("lang", "en")
    good = {**fields, "credits_available": "2", "credit_unit": "tani", "workload_hours": "90",
            "level_framework": "jqf", "qualification_level": "5", "field_of_study": "統計学",
            "instruction_language": "ja"}
    saved = await client.post(f"{base}/achievements", data=good, headers=HTML, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:500]
    listed = (await client.get(f"{api}/achievements", headers=await csrf_headers(client))).json()
    assert len(listed) == 1
    assert {k: listed[0][k] for k in ("credits_available", "credit_unit", "workload_hours", "level_framework",
                                      "qualification_level", "field_of_study", "instruction_language")} == {
        "credits_available": 2, "credit_unit": "tani", "workload_hours": 90, "level_framework": "jqf",
        "qualification_level": 5, "field_of_study": "統計学", "instruction_language": "ja"}


async def test_wallet_page_shows_micro_detail_and_results_in_both_languages(app, client) -> None:
    _, api = await console(client, "micro-wallet")
    created = await client.post(f"{api}/achievements", headers=await csrf_headers(client),
                                json={**TEXTS, "alignments": [{"skill_id": SKILL, "level": "b"}], **MICRO})
    assert created.status_code == 201, created.text
    issued = await client.post(f"{api}/credentials",
                               headers={**await csrf_headers(client), "Idempotency-Key": str(uuid.uuid4())},
                               json={"achievement_id": created.json()["id"], "recipient_email": "hanako@example.jp",
                                     "results": RESULTS, "lang": "ja"})
    assert issued.status_code == 201, issued.text
    async with AsyncTestClient(app=app) as wallet:
        await learner(wallet, "hanako@example.jp", lang="ja")
        (held_id,) = await held_ids(wallet)
        ja = (await wallet.get(f"/wallet/credentials/{held_id}", headers=HTML)).text
        assert "マイクロクレデンシャルの詳細" in ja and "単位（日本の大学）" in ja and "90 時間" in ja
        assert "欧州資格枠組み（EQF） レベル 6" in ja and "データサイエンス" in ja
        assert "成績・結果" in ja and "修了（合格）" in ja and "熟達" in ja and "<dd>A</dd>" in ja
        assert "Micro-credential detail" not in ja
        wallet.cookies.set("lang", "en")
        en = (await wallet.get(f"/wallet/credentials/{held_id}", headers=HTML)).text
        assert "Micro-credential detail" in en and "Workload (hours)" in en and "90 hours" in en
        assert "European Qualifications Framework (EQF) level 6" in en and "Completed (passed)" in en
        assert "マイクロクレデンシャルの詳細" not in en
