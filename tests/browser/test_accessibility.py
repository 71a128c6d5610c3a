"""axe-core on the main pages, in both languages, at phone and desktop widths: no serious or critical
violations."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/dss", "/verify", "/signin"]


@pytest.mark.parametrize(("lang", "viewport"), [("ja", DESKTOP), ("en", PHONE)], ids=["ja-desktop", "en-phone"])
def test_main_pages_have_no_serious_violations(visit, lang: str, viewport: dict) -> None:
    tab = visit(lang=lang, viewport=viewport)
    found = {}
    for path in PUBLIC_PAGES:
        tab.goto(path)
        found[path] = tab.axe_serious()
    tab.sign_in()
    for path in ("/wallet", "/wallet/credentials", "/wallet/share"):
        tab.goto(path)
        found[path] = tab.axe_serious()
    problems = {path: v for path, v in found.items() if v}
    assert not problems, problems
    assert not [e for e in tab.errors if "favicon" not in e], tab.errors


def test_the_check_does_find_violations(visit) -> None:
    """The axe-core run is live: a page with an unlabelled field and an image without text fails it."""
    tab = visit(lang="en")
    tab.page.set_content('<html><body><img src="data:image/png;base64,iVBORw0KGgo="><input type="text"></body></html>')
    ids = " ".join(tab.axe_serious())
    assert "image-alt" in ids or "label" in ids, ids
