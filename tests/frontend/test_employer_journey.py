"""The contact journey on the pages (issue 17): the employer asks from a candidate's file, the learner shares
in the wallet, the employer sees the share, shortlists, marks hired, the learner confirms, and the trends page
shows the outcome cell suppressed; form and API refuse the same message alike; Japanese pages stay Japanese."""

from __future__ import annotations

import re

from tests.conftest import verify_org_through_app
from tests.frontend.helpers import HTML, csrf_token
from tests.matching.helpers import employer, learner, send, settings
from tests.matching.test_contact import SKILL, posting, sign_in


async def form(client, path: str, data: dict, *, lang: str = "ja"):
    client.cookies.set("lang", lang)
    return await client.post(path, headers={**HTML, "content-type": "application/x-www-form-urlencoded"},
                             data={**data, "_csrf_token": await csrf_token(client)}, follow_redirects=False)


async def test_employer_asks_learner_shares_employer_sees_it_shortlists_hires_learner_confirms(client) -> None:
    person_id = await learner(client, "mei@example.jp", "佐藤メイ", SKILL, parts=["skills", "self_declared"])
    await settings(client, target_role="se-backend")
    org_id = await employer(client)
    await verify_org_through_app(client, org_id)
    post_id = await posting(client, org_id, "データ分析担当")
    base = f"/employer/{org_id}"
    client.cookies.set("lang", "ja")
    candidate = await client.get(f"{base}/candidates/{person_id}", headers=HTML)
    assert f"{base}/candidates/{person_id}/contact" in candidate.text
    file = await client.get(f"{base}/candidates/{person_id}/contact", headers=HTML)
    assert file.status_code == 200 and "data-pseudonymous" in file.text and "佐藤メイ" not in file.text

    sent = await form(client, f"{base}/candidates/{person_id}/contact",
                      {"wants": ["skills", "credentials"], "message": "ご経歴について伺えますか。", "posting_id": post_id})
    assert sent.status_code == 303, sent.text[:300]
    again = await form(client, f"{base}/candidates/{person_id}/contact", {"wants": "skills", "message": "再送"})
    assert again.status_code == 429 and "回答を待っています" in again.text  # the form is replaced by the wait
    listed = await form(client, f"{base}/candidates/{person_id}/shortlist", {"posting_id": post_id})
    assert listed.status_code == 303

    await sign_in(client, "mei@example.jp")
    inbox = await client.get("/wallet/contact", headers=HTML)
    assert "sakura-dx 株式会社" in inbox.text and "ご経歴について伺えますか。" in inbox.text
    request_id = re.search(r'/wallet/contact/([0-9a-f-]{36})/share', inbox.text).group(1)
    empty = await form(client, f"/wallet/contact/{request_id}/share", {})
    assert empty.status_code == 422 and "1 つ以上選んでください" in empty.text
    shared = await form(client, f"/wallet/contact/{request_id}/share", {"parts": ["display_name", "skills", "self_declared"]})
    assert shared.status_code == 303

    await sign_in(client, "hr@sakura.example")
    client.cookies.set("lang", "ja")
    file = await client.get(f"{base}/candidates/{person_id}/contact", headers=HTML)
    assert 'data-shared="display_name">佐藤メイ<' in file.text
    shortlist = await client.get(f"{base}/shortlists/{post_id}", headers=HTML)
    assert "佐藤メイ" in shortlist.text
    exported = await client.get(f"{base}/shortlists/{post_id}/export.csv")
    assert exported.headers["content-type"].startswith("text/csv") and "佐藤メイ" in exported.text
    hired = await form(client, f"{base}/shortlists/{post_id}/{person_id}/hired", {})
    assert hired.status_code == 303
    assert 'data-hire="pending"' in (await client.get(f"{base}/shortlists/{post_id}", headers=HTML)).text

    await sign_in(client, "mei@example.jp")
    inbox = await client.get("/wallet/contact", headers=HTML)
    outcome_id = re.search(r'/wallet/outcomes/([0-9a-f-]{36})/confirm', inbox.text).group(1)
    assert (await form(client, f"/wallet/outcomes/{outcome_id}/confirm", {})).status_code == 303
    trends = await client.get("/trends", headers=HTML)
    assert "採用の成果" in trends.text and "data-suppressed" in trends.text and "data-count" not in trends.text

    withdrawn = await form(client, f"/wallet/contact/{request_id}/withdraw", {})
    assert withdrawn.status_code == 303
    await sign_in(client, "hr@sakura.example")
    file = await client.get(f"{base}/candidates/{person_id}/contact", headers=HTML)
    assert "佐藤メイ" not in file.text and "data-pseudonymous" in file.text


async def test_a_message_over_the_limit_is_refused_by_api_and_form_alike(client, db) -> None:
    person_id = await learner(client, "mei@example.jp", "佐藤メイ", SKILL, parts=["skills", "self_declared"])
    org_id = await employer(client)
    await verify_org_through_app(client, org_id)
    long = "あ" * 1001
    api = await send(client, "POST", f"/api/v1/orgs/{org_id}/contact-requests",
                     json={"person_id": person_id, "wants": ["skills"], "message": long})
    assert api.status_code == 422 and api.json()["field"] == "message"
    page = await form(client, f"/employer/{org_id}/candidates/{person_id}/contact", {"wants": "skills", "message": long},
                      lang="en")
    assert page.status_code == 422 and 'id="e-message"' in page.text and "at most 1,000 characters" in page.text
    at_limit = await form(client, f"/employer/{org_id}/candidates/{person_id}/contact",
                          {"wants": "skills", "message": "あ" * 1000})
    assert at_limit.status_code == 303
    capped = await form(client, f"/employer/{org_id}/candidates/{person_id}/contact", {"wants": "skills", "message": "x"},
                        lang="en")
    assert capped.status_code == 429 and "Waiting for the candidate" in capped.text


async def test_an_unverified_employer_is_told_why_in_its_language(client) -> None:
    person_id = await learner(client, "mei@example.jp", "佐藤メイ", SKILL, parts=["skills", "self_declared"])
    org_id = await employer(client)
    refused = await form(client, f"/employer/{org_id}/candidates/{person_id}/contact",
                         {"wants": "skills", "message": "こんにちは"})
    assert refused.status_code == 403 and "確認済みの企業だけ" in refused.text
    other = await employer(client, "hr@kaede.example", "kaede-dx")
    assert (await client.get(f"/employer/{org_id}/candidates/{person_id}/contact", headers=HTML)).status_code == 403
    assert (await client.get(f"/employer/{other}/shortlists/{org_id}", headers=HTML)).status_code == 404
