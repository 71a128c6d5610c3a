"""The public issuer page with an issuer-profile endorsement, in a real browser: a verified provider of the
demo (Kansai Data School) endorses Tokyo Digital Academy as an issuer through its console form; a visitor
without an account sees the endorsement with its endorser's trust status and verify link on
``/issuers/tokyo-digital-academy`` at phone (375 px) and desktop (1280 px) width, in Japanese and English;
and a browser opening an achievement's URL lands on its page while a JSON-LD client gets the document."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

ISSUER = "/issuers/tokyo-digital-academy"
COMMENT_JA = "実務に直結するカリキュラムを提供する発行者として推薦します。"
COMMENT_EN = "We endorse this issuer for a curriculum that maps directly onto practice."


def test_issuer_page_with_endorsements_at_phone_and_desktop_in_both_languages(visit) -> None:
    endorser = visit(lang="en")
    endorser.sign_in("academy@demo.skillpass.jp")
    console = re.search(r"/provider/[0-9a-f-]{36}", endorser.page.url).group(0)
    endorser.goto(f"{console}/endorsements", "endorsements-console")
    page = endorser.page
    page.locator("#f-subject").select_option(label="Tokyo Digital Academy")
    page.locator("#f-comment_ja").fill(COMMENT_JA)
    page.locator("#f-comment_en").fill(COMMENT_EN)
    page.locator("#endorse_form button[type=submit]").click()  # htmx, then the list page again (same URL)
    expect(page.locator("ul.endorsements li")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    endorser.snap("endorsement-given")
    assert COMMENT_JA in page.locator("ul.endorsements li").inner_text()

    for lang, viewport, suffix in (("ja", PHONE, "-ja-phone"), ("ja", DESKTOP, "-ja-desktop"),
                                   ("en", PHONE, "-en-phone"), ("en", DESKTOP, "-en-desktop")):
        tab = visit(lang=lang, viewport=viewport, suffix=suffix)
        response = tab.goto(ISSUER, "issuer-page")
        assert response.status == 200
        section = tab.page.locator("section.endorsement-list")
        text = section.inner_text()
        # the one endorsementComment holds both languages, Japanese first: one paragraph each
        assert section.locator("p", has_text=COMMENT_JA).inner_text().strip() == COMMENT_JA
        assert section.locator("p", has_text=COMMENT_EN).inner_text().strip() == COMMENT_EN
        assert ("関西データスクール" if lang == "ja" else "Kansai Data School") in text
        assert ("確認済みの発行者" if lang == "ja" else "Recognised issuer") in text
        assert ("発行者への推薦" if lang == "ja" else "endorses the issuer") in text
        link = section.locator("a[href^='/endorsements/']")
        assert link.count() == 1
        width = tab.page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page scrolls sideways at {viewport['width']} px"
        assert tab.axe_serious() == [] and tab.errors == []
    link.click()
    tab.page.wait_for_load_state("networkidle")
    tab.snap("endorsement-page")
    assert tab.page.locator("[data-standing]").first.get_attribute("data-standing") == "valid"

    tab.goto(ISSUER, "issuer-page-again")
    about = tab.page.locator("#achievement_list a[href$='/about']").first.get_attribute("href")
    achievement_url = about.removesuffix("/about")
    opened = tab.goto(achievement_url, "achievement-url-in-a-browser")  # the browser's own Accept header
    assert opened.status == 200 and tab.page.url == tab.base + about
    assert opened.request.redirected_from is not None and opened.request.redirected_from.url == tab.base + achievement_url
    document = tab.page.request.get(tab.base + achievement_url, headers={"Accept": "application/ld+json"})
    assert document.status == 200 and "Achievement" in document.json()["type"]
    assert "accept" in document.headers["vary"].lower()
