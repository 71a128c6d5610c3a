"""The public badge page in a real browser: the demo learner turns it on from the wallet, and a visitor
without an account sees it at phone (375 px) and desktop (1280 px) width with its picture, the live
verdict and the LinkedIn link; the generated SVG art of the achievement renders too."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.browser


def _make_public(tab) -> tuple[str, str]:
    """(public page address, achievement image URL) of the demo learner's first credential."""
    tab.sign_in()
    tab.goto("/wallet/credentials", "credentials")
    tab.page.locator("#credential_list a[href^='/wallet/credentials/']").first.click()
    tab.page.wait_for_load_state("networkidle")
    held_path = tab.page.url.split(tab.base, 1)[1]
    document = json.loads(tab.page.request.get(tab.base + held_path + "/credential.json").text())
    image = document["credentialSubject"]["achievement"].get("image", {})
    tab.page.get_by_role("link", name=re.compile("公開ページ")).click()
    tab.page.wait_for_load_state("networkidle")
    tab.snap("badge-page-private")
    tab.page.get_by_role("button", name="公開する").click()
    tab.page.wait_for_url(re.compile(held_path + "/badge$"))
    tab.snap("badge-page-public")
    return tab.page.locator("#public-url").input_value(), image.get("id", "") if isinstance(image, dict) else image


def test_public_badge_page_at_phone_and_desktop_width(visit) -> None:
    owner = visit(lang="ja")
    url, image_url = _make_public(owner)
    assert url.startswith(owner.base + "/b/")
    for lang, viewport, suffix in (("ja", PHONE, "-phone"), ("en", DESKTOP, "-desktop")):
        tab = visit(lang=lang, viewport=viewport, suffix=suffix)
        response = tab.goto(url.removeprefix(tab.base), "public-badge")
        assert response.status == 200
        page = tab.page
        assert page.locator("meta[property='og:image']").get_attribute("content") == url + "/image.png"
        assert page.locator("meta[property='og:url']").get_attribute("content") == url
        assert page.locator("meta[property='og:title']").get_attribute("content")
        picture = page.locator("img.badge-image")
        assert picture.evaluate("img => img.complete && img.naturalWidth") == 400
        assert page.locator("[data-standing]").first.get_attribute("data-standing") == "valid"
        linkedin = page.get_by_role("link", name=re.compile("LinkedIn"))
        assert linkedin.get_attribute("href").startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page scrolls sideways at {viewport['width']} px"
        assert tab.axe_serious() == [] and tab.errors == []
    if image_url:
        art = visit(lang="ja", viewport={"width": 400, "height": 400}, suffix="-art")
        art.page.goto(image_url)  # a bare SVG document: a viewport shot (a full-page one never settles)
        art.page.screenshot(path=str(SCREENSHOTS / f"{art.name}-achievement-art.png"))
        assert art.page.locator("svg title").count() == 1
