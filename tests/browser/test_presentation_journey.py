"""An employer's OpenID4VP request answered from the skillpass wallet, in real browsers: the employer makes
the request on the page and sees the QR code and link; the learner opens the link in their wallet, sees
who asks and why, ticks the skills to show and presents; the employer's page (htmx polling) turns verified."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
EMPLOYER = "hr@demo.skillpass.jp"


def test_an_employer_request_answered_from_the_skillpass_wallet(visit) -> None:
    hr = visit(lang="en", suffix="-hr")
    hr.sign_in(EMPLOYER)
    console = re.sub(r"/(candidates|postings)?$", "", hr.page.url.removeprefix(hr.base))
    hr.goto(f"{console}/presentation-requests", "requests")
    hr.page.get_by_label("Purpose (Japanese)").fill("データ人材の選考のため")
    hr.page.get_by_label("Purpose (English)").fill("To consider you for a data role")
    hr.page.get_by_role("button", name="Make the QR code and link").click()
    hr.page.wait_for_url(re.compile(r"/presentation-requests/[0-9a-f-]{36}$"))
    expect(hr.page.get_by_role("img", name="QR code of the presentation request")).to_be_visible()
    link = hr.page.locator("#request-url").input_value()
    assert link.startswith("openid4vp://?client_id=decentralized_identifier")
    hr.snap("request-qr")
    assert hr.axe_serious() == []

    learner = visit(lang="ja", suffix="-learner")
    learner.sign_in()
    learner.goto(f"/wallet/presentations?request_link={quote(link)}", "wallet-request")
    expect(learner.page.get_by_text("データ人材の選考のため")).to_be_visible()
    expect(learner.page.get_by_text("skillpass が確認した組織です。")).to_be_visible()  # the demo employer is verified
    assert learner.axe_serious() == []
    learner.page.get_by_role("button", name="このバッジを提示する").first.click()
    expect(learner.page.locator("#sent")).to_be_visible()
    learner.snap("presented")

    expect(hr.page.locator("#verdict")).to_contain_text("Verified", timeout=10_000)  # the page polls every 2 s
    hr.snap("answered")
    assert not hr.errors and not learner.errors, hr.errors + learner.errors
