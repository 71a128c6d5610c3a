"""Bulk issue polish (issue 17): the CSV template read by the real parser, the step indicator, "1 line",
re-running only the failed lines of a finished batch, the result export, the console link, and the
confirmation banners shown once after a state change."""

from __future__ import annotations

import csv
import io
import re

import pytest

from credentials.batches import CSV_COLUMNS, rows_from_csv
from credentials.deps import stop_jobs
from tests.frontend.test_provider_pages import achievement, form, htmx, provider, wait_for_batch


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


def current_step(html: str) -> str:
    found = re.findall(r'<li aria-current="step">([^<]+)</li>', html)
    assert len(found) == 1, found
    return found[0]


async def finished_batch(client, base: str, achievement_id: str, csv_text: str, key: str) -> str:
    data = {**await form(client), "achievement_id": achievement_id, "csv_text": csv_text, "idempotency_key": key,
            "format": "ldp", "lang": "en"}
    response = await client.post(f"{base}/batches", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    await wait_for_batch(client, response.headers["location"])
    return response.headers["location"]


async def test_the_csv_template_has_a_bom_and_reads_back_through_the_batch_parser(client) -> None:
    base = await provider(client, "tpl")
    response = await client.get(f"{base}/batches/template.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = rows_from_csv(response.content)
    assert len(rows) == 1 and rows[0].errors == []
    assert rows[0].data["recipient_email"] == "hanako.yamada@example.jp"
    assert rows[0].data["recipient_name"] == "山田 花子"
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(header) == CSV_COLUMNS
    achievement_id = await achievement(client, base)
    preview = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                                data={**await form(client), "achievement_id": achievement_id},
                                files={"file": ("template.csv", response.content, "text/csv")})
    assert preview.status_code == 200 and "hanako.yamada@example.jp" in preview.text
    assert "have problems" not in preview.text and "has a problem" not in preview.text


@pytest.mark.parametrize("lang, one, many", [
    ("en", "1 line has a problem and would be skipped.", "2 lines have problems and would be skipped."),
    ("ja", "1 行に問題があり、発行されません。", "2 行に問題があり、発行されません。")])
async def test_the_preview_counts_problem_lines_in_each_language_and_moves_the_stepper(client, lang, one, many) -> None:
    base = await provider(client, f"plural-{lang}", lang=lang)
    achievement_id = await achievement(client, base)
    first = await client.get(f"{base}/batches/new")
    assert current_step(first.text) == ("CSV を選ぶ" if lang == "ja" else "Upload a CSV file")
    for text, expected, other in (("recipient_email\nok@example.jp\nbad\n", one, many),
                                  ("recipient_email\nbad\nworse\nok@example.jp\n", many, one)):
        preview = await client.post(f"{base}/batches/preview", headers=htmx("batch_work"),
                                    data={**await form(client), "achievement_id": achievement_id, "csv_text": text})
        assert preview.status_code == 200 and "<html" not in preview.text
        assert expected in preview.text and other not in preview.text
        assert current_step(preview.text).startswith("内容を確認" if lang == "ja" else "Check the lines")


async def test_rerun_makes_a_new_batch_of_only_the_failed_lines(client) -> None:
    base = await provider(client, "rerun")
    achievement_id = await achievement(client, base)
    url = await finished_batch(client, base, achievement_id,
                               "recipient_email,recipient_name\nr1@example.jp,One\nbad,Two\nr3@example.jp,Three\n"
                               "also-bad,Four\n", "rerun-1")
    page = await client.get(url)
    assert current_step(page.text) == "Result"
    assert "Re-run only the 2 failed lines" in page.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)
    rerun = await client.post(f"{url}/rerun", data={**await form(client), "idempotency_key": key},
                              follow_redirects=False)
    assert rerun.status_code == 303
    new_url = rerun.headers["location"]
    assert new_url != url and new_url.startswith(f"{base}/batches/")
    await wait_for_batch(client, new_url)
    exported = await client.get(f"{new_url}/results.csv")
    lines = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    # only the failed lines, under their original line numbers, checked again (and failing again)
    assert [(r["row"], r["recipient"], r["status"]) for r in lines] == [("3", "bad", "failed"),
                                                                         ("5", "also-bad", "failed")]
    assert all("recipient_email" in r["error"] for r in lines)
    again = await client.post(f"{url}/rerun", data={**await form(client), "idempotency_key": key},
                              follow_redirects=False)
    assert again.headers["location"] == new_url  # a double submit starts no second batch
    issued_only = await finished_batch(client, base, achievement_id, "recipient_email\nok@example.jp\n", "rerun-2")
    refused = await client.post(f"{issued_only}/rerun", data=await form(client),
                                headers={"accept": "application/json"}, follow_redirects=False)
    assert refused.status_code == 409


async def test_the_result_export_has_every_line_with_status_error_and_credential(client) -> None:
    base = await provider(client, "export")
    achievement_id = await achievement(client, base)
    url = await finished_batch(client, base, achievement_id, "recipient_email\nr1@example.jp\nbad\n", "exp-1")
    response = await client.get(f"{url}/results.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["row"] for r in lines] == ["2", "3"]
    issued, failed = lines
    assert issued["recipient"] == "r1@example.jp" and issued["status"] == "issued" and issued["error"] == ""
    credential = await client.get(f"{base}/credentials/{issued['credential_id']}")
    assert credential.status_code == 200 and "r1@example.jp" in credential.text
    assert failed["status"] == "failed" and failed["credential_id"] == "" and "recipient_email" in failed["error"]
    other = await provider(client, "export-other")
    assert (await client.get(f"{other}/batches/{url.rsplit('/', 1)[1]}/results.csv")).status_code == 404


async def test_a_state_change_leaves_a_banner_shown_once_and_the_nav_links_the_console(client) -> None:
    base = await provider(client, "flash")
    achievement_id = await achievement(client, base)
    url = await finished_batch(client, base, achievement_id, "recipient_email\nr1@example.jp\n", "flash-1")
    page = await client.get(url)
    assert re.search(r'<div id="flash" role="status"[^>]*><p class="alert ok">Bulk issue started \(lines in this batch: 1\)',
                     page.text)
    assert 'href="/console"' in page.text
    assert "Bulk issue started" not in (await client.get(url)).text  # shown once
    exported = await client.get(f"{url}/results.csv")
    credential_id = next(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))["credential_id"]
    revoked = await client.post(f"{base}/credentials/{credential_id}/revoke",
                                data={**await form(client), "confirm": "on", "reason": ""}, follow_redirects=True)
    assert revoked.status_code == 200 and "The credential has been revoked." in revoked.text
    assert "The credential has been revoked." not in (await client.get(f"{base}/credentials/{credential_id}")).text


async def test_recipient_search_finds_parts_of_email_or_name_in_any_case_only_in_this_org(client) -> None:
    other = await provider(client, "find-other")
    other_achievement = await achievement(client, other)
    await finished_batch(client, other, other_achievement, "recipient_email\nyamada.other@example.jp\n", "find-2")
    base = await provider(client, "find")  # the client is now this provider's admin
    achievement_id = await achievement(client, base)
    await finished_batch(client, base, achievement_id,
                         "recipient_email,recipient_name\nhanako.yamada@example.jp,Hanako Yamada\n"
                         "taro@example.jp,佐藤 太郎\nsome_one@example.jp,Someone\n", "find-1")
    org_id = base.rsplit("/", 1)[1]

    async def api(term: str) -> list[str]:
        response = await client.get(f"/api/v1/orgs/{org_id}/credentials", params={"recipient": term})
        assert response.status_code == 200, response.text
        return sorted(c["recipient_email"] for c in response.json()["items"])

    assert await api("YAMADA") == ["hanako.yamada@example.jp"]  # part of the email and name; not the other org's
    assert await api("佐藤") == ["taro@example.jp"]  # part of a Japanese name
    assert await api("_one") == ["some_one@example.jp"]  # a LIKE wildcard is taken literally
    assert await api("@example.jp") == ["hanako.yamada@example.jp", "some_one@example.jp", "taro@example.jp"]
    assert await api("nobody") == []
    listing = await client.get(f"{base}/credentials", params={"email": "Yamada"}, headers=htmx("credential_list"))
    assert listing.status_code == 200 and "hanako.yamada@example.jp" in listing.text
    assert "taro@example.jp" not in listing.text and "yamada.other@example.jp" not in listing.text
