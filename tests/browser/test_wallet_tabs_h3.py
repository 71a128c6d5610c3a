"""The wallet's tab bar in Chromium: every tab, self-assessment and IPA exams included, is inside the
screen at 375 px and 1280 px (the list wraps; nothing clipped, no sideways scrolling), and the open one is
the only one marked aria-current; a second QR code of a credential shows the same link and says so."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, LEARNER, PHONE

pytestmark = pytest.mark.browser
EMILY = "emily@demo.skillpass.jp"  # the English demo learner

TABS_OUTSIDE = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('ul.tabs a')].filter(a => {
    const box = a.getBoundingClientRect();
    return box.left < 0 || box.right > width + 0.5 || box.width < 20;
  }).map(a => a.textContent);
}"""


@pytest.mark.parametrize(("lang", "viewport", "email"), [("ja", PHONE, LEARNER), ("en", PHONE, EMILY),
                                                        ("ja", DESKTOP, LEARNER), ("en", DESKTOP, EMILY)])
def test_every_wallet_tab_is_on_screen_and_the_open_one_is_marked(visit, lang, viewport, email) -> None:
    tab = visit(lang=lang, viewport=viewport, suffix=f"-{viewport['width']}")
    tab.sign_in(email)
    assert tab.page.url.endswith("/wallet")  # a demo learner is past the first-run path
    for path, label in (("/wallet/exams", {"ja": "IPA 試験", "en": "IPA exams"}),
                        ("/wallet/assess", {"ja": "自己評価", "en": "Self-assessment"})):
        tab.goto(path, f"tabs-{path}")
        current = tab.page.locator("ul.tabs a[aria-current=page]")
        assert current.count() == 1 and current.inner_text().strip() == label[lang]
        hrefs = [a.get_attribute("href") for a in tab.page.locator("ul.tabs a").all()]
        assert {"/wallet/records", "/wallet/assess", "/wallet/exams", "/wallet/settings"} <= set(hrefs)
        assert tab.page.evaluate(TABS_OUTSIDE) == []
        root = "document.documentElement"
        assert tab.page.evaluate(f"{root}.scrollWidth <= {root}.clientWidth")  # no sideways scrolling
    tab.page.locator("ul.tabs a", has_text=label[lang]).click()
    tab.page.wait_for_url("**/wallet/assess")
    assert tab.errors == []


def test_the_second_qr_code_shows_the_same_link(visit) -> None:
    tab = visit(lang="en", viewport=PHONE)
    tab.sign_in(EMILY)
    tab.goto("/wallet/credentials")
    tab.page.locator("ul.plain a[href^='/wallet/credentials/']").first.click()
    tab.page.wait_for_load_state("networkidle")
    detail_url = tab.page.url
    button = tab.page.locator("#credential_qr button[type=submit]")
    made = button.inner_text() == "Make a link and its QR code"  # else the demo already has a live one
    button.click()
    tab.page.locator("#qr-url").wait_for()
    first = tab.page.locator("#qr-url").input_value()
    said = tab.page.locator("#credential_qr").inner_text()
    assert ("A new share link was made" in said) if made else ("no new link was made" in said)
    tab.snap("qr-first")
    tab.goto(detail_url.removeprefix(tab.base), "credential-again")
    again_button = tab.page.locator("#credential_qr button[type=submit]")
    assert again_button.inner_text() == "Show the existing link's QR code"
    again_button.click()
    tab.page.locator("#qr-url").wait_for()
    assert tab.page.locator("#qr-url").input_value() == first
    assert "no new link was made" in tab.page.locator("#credential_qr").inner_text()
    tab.snap("qr-reused")
    assert tab.errors == []
