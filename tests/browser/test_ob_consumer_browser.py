"""The OB 3.0 Service Consumer in a real browser: the demo learner connects another Open Badges Host
(this very server, loopback allowed for the test), approves at the Host's consent page, sends a badge
and reads the Host's answer, then disconnects; on a phone in Japanese and on a desktop in English,
each page axe-clean, without sideways scrolling and without console errors."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser
TEXT = {"ja": {"connect": "つなぐ", "authorize": "ホストでサインインして許可する", "allow": "許可する",
               "push": "選んだバッジを送る", "unchanged": "変更なし", "disconnect": "解除する"},
        "en": {"connect": "Connect", "authorize": "Sign in and approve at the Host", "allow": "Allow",
               "push": "Send the chosen badges", "unchanged": "unchanged", "disconnect": "Disconnect"}}


def _checked(tab) -> None:
    assert tab.axe_serious() == [], tab.page.url
    width = tab.page.evaluate("document.documentElement.scrollWidth")
    assert width <= tab.page.viewport_size["width"], f"{tab.page.url} scrolls sideways ({width} px)"


@pytest.mark.parametrize("lang, viewport", [("ja", PHONE), ("en", DESKTOP)])
def test_a_learner_sends_a_badge_to_another_open_badges_host(visit, lang, viewport) -> None:
    tab = visit(lang=lang, viewport=viewport)
    words = TEXT[lang]
    tab.sign_in()
    tab.goto("/wallet/settings/ob-hosts", "hosts")
    _checked(tab)
    tab.page.locator("#f-host").fill(tab.base)
    tab.page.get_by_role("button", name=words["connect"]).click()
    tab.page.wait_for_load_state("networkidle")
    tab.snap("authorize")
    _checked(tab)
    tab.page.get_by_role("link", name=words["authorize"]).click()
    expect(tab.page.locator("#oauth-client-name")).to_have_text("skillpass")  # the Host's consent page
    tab.snap("host-consent")
    tab.page.get_by_role("button", name=words["allow"], exact=True).click()
    tab.page.wait_for_url(re.compile(r"/wallet/settings/ob-hosts/[0-9a-f-]+\?connected"))
    expect(tab.page.locator("#obc-connected")).to_be_visible()
    issuer = {"ja": "関西データスクール", "en": "Kansai Data School"}[lang]  # our issuers in the reader's language
    expect(tab.page.locator("#obc-push")).to_contain_text(issuer)
    tab.snap("connected")
    _checked(tab)
    tab.page.locator("#obc-push input[name=held]").first.check()
    tab.page.get_by_role("button", name=words["push"]).click()
    row = tab.page.locator("#obc-pushed tbody tr").first
    expect(row).to_have_attribute("data-outcome", "unchanged")  # the Host (this wallet) holds it already
    expect(row).to_contain_text(words["unchanged"])
    tab.snap("pushed")
    _checked(tab)
    tab.page.go_back()
    tab.page.wait_for_load_state("networkidle")
    tab.page.get_by_role("button", name=words["disconnect"]).click()
    expect(tab.page.locator("#obc-disconnected")).to_be_visible()
    tab.snap("disconnected")
    assert tab.errors == []
