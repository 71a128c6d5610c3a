"""The learner's side in a real browser (ja at 375 px, then en at 1280 px): goal progress, a pathway
the provider defines in its console and the learner completes (its badge arrives by itself), jobs for
you, and applying with a new share link. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PROVIDER = "provider@demo.skillpass.jp"
LEARNER = "hanako@demo.skillpass.jp"
PATHWAY_JA, PATHWAY_EN = "Web セキュア開発パス", "Secure web development pathway"


def api(tab, method: str, path: str, **body):
    """A same-origin API call from the signed-in tab (cookie session, CSRF header from its cookie)."""
    token = next(c["value"] for c in tab.page.context.cookies() if c["name"] == "skillpass_csrf")
    headers = {"x-csrftoken": token, "Idempotency-Key": str(uuid.uuid4())}
    answer = tab.page.request.fetch(tab.base + path, method=method, headers=headers,
                                    data=body or None)
    assert answer.ok, answer.text()
    return answer.json()


def provider_defines_pathway(visit) -> None:
    tab = visit(lang="ja", viewport=DESKTOP, suffix="-provider")
    tab.sign_in(PROVIDER)
    org = re.search(r"/provider/([0-9a-f-]{36})", tab.page.url).group(1)
    achievements = {a["name_en"]: a["id"] for a in api(tab, "GET", f"/api/v1/orgs/{org}/achievements")}
    if "Secure Web Developer (pathway)" not in achievements:
        made = api(tab, "POST", f"/api/v1/orgs/{org}/achievements", name_ja="セキュア Web 開発者（パス修了）",
                   name_en="Secure Web Developer (pathway)", description_ja="Web 開発とセキュア開発のパスを修了。",
                   description_en="Completed the web and secure development pathway.", criteria_ja="パスの全ステップを修了",
                   criteria_en="Every step of the pathway", alignments=[{"skill_id": "v2-secure-design", "level": "c"}])
        achievements[made["name_en"]] = made["id"]
    tab.goto(f"/provider/{org}/pathways", "pathway-console")
    page = tab.page
    page.locator("#f-name_ja").fill(PATHWAY_JA)
    page.locator("#f-name_en").fill(PATHWAY_EN)
    page.get_by_label("Webアプリケーション開発基礎").check()
    page.get_by_label("セキュア開発入門").check()
    page.locator("#f-badge").select_option(achievements["Secure Web Developer (pathway)"])
    page.locator("#f-role").select_option("se-backend")
    tab.snap("pathway-form")
    page.get_by_role("button", name="学習パスを作る").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(PATHWAY_JA)).to_be_visible()
    tab.snap("pathway-created")
    # the step the learner lacks: issuing it completes the pathway
    api(tab, "POST", f"/api/v1/orgs/{org}/credentials", achievement_id=achievements["Introduction to Secure Development"],
        recipient_email=LEARNER, recipient_name="山田 花子")


def test_goal_progress_pathway_badge_jobs_and_apply(visit) -> None:
    learner = visit(lang="ja", viewport=PHONE)
    learner.sign_in(LEARNER)
    learner.goto("/wallet/progress", "progress-ja-375")
    page = learner.page
    expect(page.get_by_text(re.compile(r"達成度 \d+%"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    before = int(page.locator("[data-progress-percent]").get_attribute("data-progress-percent"))

    provider_defines_pathway(visit)

    learner.goto("/wallet/pathways", "pathways-ja-375")
    card = page.locator("section[data-pathway]", has_text=PATHWAY_JA)
    expect(card.get_by_text("修了証明書を受け取りました")).to_be_visible()
    expect(card.get_by_text("2 ステップ中 2 ステップ完了")).to_be_visible()
    learner.goto("/wallet/credentials", "credentials-ja-375")
    expect(page.get_by_text("セキュア Web 開発者（パス修了）").first).to_be_visible()
    learner.goto("/wallet/progress", "progress-after-ja-375")
    after = int(page.locator("[data-progress-percent]").get_attribute("data-progress-percent"))
    assert after >= before
    expect(page.locator("[data-milestone]").first).to_be_visible()

    learner.goto("/wallet/jobs", "jobs-ja-375")
    jobs = page.locator("li[data-job]")
    expect(jobs.first).to_be_visible()
    fits = [int(j.get_attribute("data-fit")) for j in jobs.all()]
    assert fits == sorted(fits, reverse=True)
    jobs.first.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    learner.snap("job-ja-375")
    expect(page.get_by_role("heading", name="足りない項目を埋める学習の道筋")).to_be_visible()
    page.get_by_role("button", name="共有リンクを送って応募する").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-applied]")).to_be_visible()
    learner.snap("applied-ja-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not learner.errors, learner.errors

    english = visit(lang="en", viewport=DESKTOP, suffix="-en")
    english.sign_in(LEARNER)
    for path, label, text in (("/wallet/progress", "progress-en-1280", "How it is computed"),
                              ("/wallet/pathways", "pathways-en-1280", "Pathway badge received"),
                              ("/wallet/jobs", "jobs-en-1280", "Applied"),
                              ("/wallet/certificates", "certificates-en-1280", "Make the certificate (PDF)")):
        english.goto(path, label)
        expect(english.page.get_by_text(text).first).to_be_visible()
    assert english.axe_serious() == []
    assert not english.errors, english.errors
