"""Provider, learner and employer in a real browser: the provider defines a badge and issues it in bulk
from a CSV (dry run, then a job with a progress bar), the learner finds it in the wallet, the employer
finds the learner (opted in) by the badge's skill and verifies the badge through a share link."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PROVIDER = "provider@demo.skillpass.jp"
EMPLOYER = "hr@demo.skillpass.jp"
LEARNER = "hanako@demo.skillpass.jp"
BADGE_JA = "データパイプライン構築 実践"
CSV = f"recipient_email,recipient_name\n{LEARNER},山田 花子\ntaro@demo.skillpass.jp,佐藤 太郎\nnot-an-email,誰か\n"


def console_link(tab, name: str) -> str:
    """The organization console a signed-in member reaches from the main menu."""
    return tab.page.get_by_role("navigation", name=re.compile("メインメニュー|Main menu")) \
        .get_by_role("link", name=name).get_attribute("href")


def define_badge(tab, base: str) -> None:
    tab.goto(f"{base}/achievements/new", "achievement-editor")
    page = tab.page
    for field, value in (("name_ja", BADGE_JA), ("name_en", "Building Data Pipelines"),
                         ("description_ja", "データ基盤へのパイプラインを設計・構築できる。"),
                         ("description_en", "Designs and builds pipelines into a data platform."),
                         ("criteria_ja", "最終課題に合格"), ("criteria_en", "Passed the final project")):
        page.locator(f"#f-{field}").fill(value)
    page.get_by_label("スキル項目を検索").fill("データエンジニアリング")
    add = page.locator("#skill_picker_results button", has_text="追加")
    expect(add).to_have_count(1)
    add.click()
    row_level = page.locator("#alignment_rows select")
    expect(row_level).to_have_count(1)
    row_level.select_option("b")
    tab.snap("achievement-editor-filled")
    page.get_by_role("button", name="バッジを作成").click()
    expect(page.get_by_text("バッジを作成しました。")).to_be_visible()
    tab.snap("achievement-created")


def bulk_issue(tab) -> None:
    page = tab.page
    page.get_by_role("link", name="CSV で一括発行").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("または CSV を貼り付け").fill(CSV)
    tab.snap("bulk-issue-form")
    page.get_by_role("button", name="内容を確認する").click()
    expect(page.get_by_text("2 件を発行します。")).to_be_visible()
    expect(page.get_by_text("1 行に問題があり、発行されません。")).to_be_visible()
    tab.snap("bulk-issue-dry-run")
    page.get_by_role("button", name="2 件を発行する").click()
    page.wait_for_url(re.compile(r"/batches/[0-9a-f-]{36}$"))
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.get_by_text("完了しました：発行 2 件、失敗 1 件。")).to_be_visible(timeout=30_000)
    expect(page.locator("#batch_rows").get_by_text(LEARNER)).to_be_visible()
    tab.snap("bulk-issue-done")


def test_bulk_issued_badge_reaches_the_wallet_and_the_employer(visit) -> None:
    provider = visit(lang="ja")
    provider.sign_in(PROVIDER)
    base = console_link(provider, "発行者コンソール")
    provider.goto(base, "provider-console")
    define_badge(provider, base)
    bulk_issue(provider)
    assert not provider.errors, provider.errors

    learner = visit(lang="ja", viewport=PHONE, suffix="-learner")
    learner.sign_in(LEARNER)  # the wallet home shows the new badge and brings it into the profile
    expect(learner.page.get_by_text(BADGE_JA).first).to_be_visible()
    csrf = next(c["value"] for c in learner.page.context.cookies() if c["name"] == "skillpass_csrf")
    held = learner.page.request.get(learner.base + "/api/v1/me/credentials").json()
    badge = next(h for h in held if h["title"] == BADGE_JA)
    link = learner.page.request.post(learner.base + "/api/v1/me/share-links", headers={"x-csrftoken": csrf},
                                     data={"label": "さくらDX", "parts": ["skills"],
                                           "credential_ids": [badge["id"]]})
    assert link.status == 201, link.text()
    share_url = learner.base + "/s/" + link.json()["token"]

    employer = visit(lang="en", suffix="-employer")
    employer.sign_in(EMPLOYER)
    hiring = console_link(employer, "Hiring")
    employer.goto(hiring, "candidate-search")
    page = employer.page
    page.get_by_label("Search skill items").fill("data engineering")
    page.locator("#req_picker_results button", has_text="Add").first.click()
    expect(page.locator("#requirement_rows select")).to_have_count(1)
    expect(page.locator("#candidate_results").get_by_role("link", name="山田 花子")).to_be_visible()  # live
    page.locator("#requirement_rows select").select_option("b")
    page.get_by_label("Only skills backed by verified credentials").check()
    expect(page.locator("#candidate_results").get_by_role("link", name="山田 花子")).to_be_visible()
    employer.snap("candidate-results")
    page.locator("#candidate_results").get_by_role("link", name="山田 花子").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="How they meet the criteria")).to_be_visible()
    employer.snap("candidate-page")

    employer.goto(hiring + "/verify", "verify-form")
    page.get_by_label("Share link").fill(share_url)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("This credential is valid")).to_be_visible()
    expect(page.get_by_text(BADGE_JA).first).to_be_visible()
    employer.snap("verify-share-link")
    assert not employer.errors, employer.errors


def test_console_pages_at_phone_width_have_no_serious_accessibility_issues(visit) -> None:
    for lang, email, menu in (("en", PROVIDER, "Provider console"), ("ja", EMPLOYER, "採用")):
        tab = visit(lang=lang, viewport=PHONE, suffix=f"-{lang}")
        tab.sign_in(email)
        base = console_link(tab, menu)
        paths = (["", "/achievements/new", "/batches/new", "/credentials", "/api-keys"] if "provider" in base
                 else ["/candidates?req_skill=v2-backend&req_level=c", "/postings/new", "/verify"])
        for path in paths:
            tab.goto(base + path, f"{lang}{path.split('?')[0].replace('/', '-') or '-home'}")
            width = tab.page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path}: the page is {width}px wide"
            assert not tab.axe_serious(), (path, tab.axe_serious())
