"""User journeys in a real browser: language switch, a learner sharing a credential by link (which works
signed out and stops after revocation), public verification, live search, keyboard use."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser
BADGE = "Webアプリケーション開発基礎"  # one of the demo learner's badges (credentials.demo)


def test_language_switch_keeps_the_page(visit) -> None:
    tab = visit(lang="ja")
    tab.goto("/dss?version=1.2", "dss-ja")
    expect(tab.page.locator("html")).to_have_attribute("lang", "ja")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("デジタルスキル標準（DSS）")
    tab.page.get_by_role("button", name="English").click()
    tab.page.wait_for_url(re.compile(r"/dss\?version=1\.2$"))
    tab.snap("dss-en")
    expect(tab.page.locator("html")).to_have_attribute("lang", "en")
    expect(tab.page.get_by_role("heading", level=1)).to_have_text("Digital Skill Standard (DSS)")
    tab.page.get_by_role("button", name="日本語").click()
    expect(tab.page.locator("html")).to_have_attribute("lang", "ja")
    tab.snap("dss-ja-again")


def test_learner_shares_a_credential_and_revokes_the_link(visit) -> None:
    learner = visit(lang="ja")
    learner.sign_in()
    expect(learner.page.get_by_role("link", name=BADGE).first).to_be_visible()
    learner.goto("/wallet/credentials", "credentials")
    learner.page.get_by_role("link", name=BADGE).click()
    learner.page.wait_for_load_state("networkidle")
    learner.snap("credential-detail")
    expect(learner.page.get_by_text("有効な証明書です")).to_be_visible()
    learner.page.get_by_role("link", name="この証明書の共有リンクを作る").click()
    learner.page.wait_for_load_state("networkidle")
    learner.page.get_by_label("名前（自分用のメモ）").fill("さくらDX 選考用")
    learner.page.get_by_role("button", name="リンクを作る").click()
    share_url = learner.page.locator("#new-share-url")
    expect(share_url).to_be_visible()
    learner.snap("share-link-created")
    url = share_url.input_value()
    assert "/s/" in url

    stranger = visit(lang="en", viewport=PHONE, suffix="-stranger")
    stranger.page.goto(url)
    stranger.page.wait_for_load_state("networkidle")
    stranger.snap("shared-link-open")
    expect(stranger.page.get_by_text("This credential is valid")).to_be_visible()
    expect(stranger.page.get_by_role("heading", name=BADGE)).to_be_visible()

    learner.goto("/wallet/share", "share-links")
    learner.page.get_by_role("link", name="さくらDX 選考用").first.click()
    learner.page.wait_for_load_state("networkidle")
    expect(learner.page.get_by_text("閲覧記録（1 回）")).to_be_visible()
    learner.snap("share-link-log")
    learner.page.get_by_label("取り消すと、このリンクは二度と開けません").check()
    learner.page.get_by_role("button", name="リンクを取り消す").click()
    expect(learner.page.get_by_text("リンクを取り消しました。")).to_be_visible()
    learner.snap("share-link-revoked")

    response = stranger.page.goto(url)
    assert response is not None and response.status == 404
    stranger.snap("shared-link-after-revocation")
    expect(stranger.page.get_by_role("heading", name="This link does not work")).to_be_visible()


def test_public_verification_of_a_credential(visit, tmp_path) -> None:
    learner = visit(lang="en")
    learner.sign_in()
    credentials = learner.page.request.get(learner.base + "/api/v1/me/credentials").json()
    held = next(c for c in credentials if c["format"] == "ldp")
    document = learner.page.request.get(f"{learner.base}/wallet/credentials/{held['id']}/credential.json").text()

    public = visit(lang="ja", viewport=PHONE, suffix="-public")
    public.goto("/verify", "verify-empty")
    public.page.get_by_label("貼り付け（JSON または VC-JWT）").fill(document)
    public.page.get_by_role("button", name="検証する").click()
    expect(public.page.get_by_role("heading", name="有効な証明書です")).to_be_visible()
    expect(public.page.get_by_text("失効・一時停止されていません。")).to_be_visible()
    public.snap("verify-valid")

    tampered = json.loads(document)
    tampered["credentialSubject"]["name"] = "別人"
    file = tmp_path / "tampered.json"
    file.write_text(json.dumps(tampered), encoding="utf-8")
    public.page.get_by_label("貼り付け（JSON または VC-JWT）").fill("")
    public.page.get_by_label("ファイルを選ぶ").set_input_files(str(file))
    public.page.get_by_role("button", name="検証する").click()
    expect(public.page.get_by_role("heading", name="この証明書は確認できませんでした")).to_be_visible()
    public.snap("verify-tampered")


def test_live_search_and_the_matrix(visit) -> None:
    tab = visit(lang="en", viewport=PHONE)
    tab.goto("/dss", "dss-phone")
    tab.page.get_by_label("Search skills and roles").press_sequentially("データ", delay=30)
    results = tab.page.locator("#dss_results li")
    expect(results.first).to_be_visible()
    tab.snap("dss-live-search")
    tab.goto("/dss/matrix?category=v2-cat-data", "matrix-phone")
    expect(tab.page.get_by_text("estimated by skillpass").first).to_be_visible()
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 375 px ({width} px)"


def test_keyboard_reaches_the_content_first_with_a_visible_focus(visit) -> None:
    tab = visit(lang="ja")
    tab.goto("/", "home")
    tab.page.keyboard.press("Tab")
    skip = tab.page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    outline = tab.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    tab.snap("skip-link-focused")
    tab.page.keyboard.press("Enter")
    assert tab.page.evaluate("document.activeElement.id") == "main"
