"""A new learner in Chromium, in ja and en, on a 375 px phone and a 1280 px screen: sign up (accepting the
terms) -> confirm -> onboarding -> self-assess -> import records -> "what changed" -> correct a skill.
No page is wider than the screen; every step is saved under test-output/screenshots/."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import DESKTOP, LIVE, PHONE
from tests.browser.test_signup_journey import _mail_to
from tests.skills.factories import COURSES, courses_csv

pytestmark = pytest.mark.browser
PASSWORD = "browser-onboarding-pw-1"
TEXT = {
    "ja": {"changed": "プロフィールの変化", "gained": "新しいスキル", "rejected": "あなたが外したスキル",
           "next": "次へ", "save": "保存する"},
    "en": {"changed": "What changed in your profile", "gained": "New skill", "rejected": "Rejected by you",
           "next": "Next", "save": "Save"},
}


def _fits(tab, width: int) -> None:
    overflow = tab.page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{tab.page.url} is {overflow} px wide on a {width} px screen"


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375", "1280"])
def test_sign_up_onboard_self_assess_import_and_correct(visit, lang, viewport, tmp_path) -> None:
    text, width = TEXT[lang], viewport["width"]
    address = f"onboard-{lang}-{width}@example.jp"
    outbox = LIVE["data_dir"] / "outbox"
    seen = set(outbox.glob("*.eml")) if outbox.exists() else set()
    tab = visit(lang=lang, viewport=viewport)

    tab.goto("/signup", "signup")
    tab.page.fill("#f-display_name", "Onboarding Person")
    tab.page.fill("#f-email", address)
    tab.page.fill("#f-password", PASSWORD)
    tab.page.locator("#f-accept_terms").check()
    tab.page.locator("#signup_form button[type=submit]").click()
    tab.page.wait_for_selector("#signup_form >> text=" + address)
    link = re.search(r"http://\S+/account/confirm\?token=\S+", _mail_to(address, seen)).group(0)
    tab.page.goto(link)
    tab.page.fill("input[name=password]", PASSWORD)
    tab.page.locator("main form button[type=submit]").click()
    tab.page.wait_for_selector('a[href="/welcome"]')
    tab.snap("confirmed")

    tab.page.click('a[href="/welcome"]')
    tab.page.wait_for_selector("#f-goal")
    tab.snap("onboarding-goal")
    _fits(tab, width)
    tab.page.select_option("#f-goal", index=1)
    tab.page.get_by_role("button", name=text["next"]).click()
    tab.page.wait_for_selector('a[href="/wallet/assess"]')
    tab.snap("onboarding-add")
    _fits(tab, width)

    tab.page.click('a[href="/wallet/assess"]')
    tab.page.wait_for_selector('a[href="/wallet/assess/v2-cat-business"]')
    tab.snap("assess-index")
    tab.page.click('a[href="/wallet/assess/v2-cat-business"]')
    tab.page.select_option("#a-v2-business-strategy", "c")
    tab.page.get_by_role("button", name=text["save"]).click()
    tab.page.get_by_text(text["changed"]).wait_for()
    assert text["gained"] in tab.page.locator("section.changes").inner_text()
    tab.snap("self-assessed")
    _fits(tab, width)

    records = tmp_path / "records.csv"
    records.write_text(courses_csv([COURSES[0], COURSES[17]]), encoding="utf-8")
    tab.goto("/wallet/records", "records")
    tab.page.set_input_files("#f-records", str(records))
    tab.page.locator("#records_panel form button[type=submit]").click()
    tab.page.locator("section.changes").wait_for()
    changed = tab.page.locator("section.changes").inner_text()
    assert text["changed"] in changed and text["gained"] in changed
    tab.snap("what-changed")
    _fits(tab, width)

    tab.goto("/wallet/records", "record-list")
    details = tab.page.locator("details.record-skills").first
    details.locator("summary").click()
    details.locator("select").first.select_option("reject")
    details.locator("form button[type=submit]").first.click()
    tab.page.wait_for_load_state("networkidle")
    tab.page.locator("details.record-skills").first.locator("summary").click()
    assert text["rejected"] in tab.page.locator("#record_list").inner_text()
    tab.snap("corrected")
    _fits(tab, width)

    for path in ("/wallet", "/wallet/profile", "/wallet/exams", "/terms", "/privacy"):
        tab.goto(path)
        _fits(tab, width)
    assert not [e for e in tab.errors if "favicon" not in e], tab.errors
