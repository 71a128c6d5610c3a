"""Login CSRF in Chromium: a page on another site that posts the attacker's credentials to our sign-in
form does not sign the visitor in; our own form still does."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DEMO_PASSWORD, LEARNER

pytestmark = pytest.mark.browser


def test_a_cross_site_sign_in_form_does_not_sign_the_visitor_in(visit) -> None:
    tab = visit(lang="en")
    tab.page.context.clear_cookies()  # a visitor who sends us no cookie at all
    # The attacker's page (another origin: http://localhost vs http://127.0.0.1) posts a sign-in form.
    attacker = tab.base.replace("127.0.0.1", "localhost")
    tab.page.route(attacker + "/evil", lambda route: route.fulfill(content_type="text/html", body=(
        f'<form id="f" method="post" action="{tab.base}/signin">'
        f'<input name="email" value="{LEARNER}"><input name="password" value="{DEMO_PASSWORD}"></form>'
        '<script>document.getElementById("f").submit()</script>')))
    with tab.page.expect_response(lambda r: r.url == tab.base + "/signin" and r.request.method == "POST") as posted:
        tab.page.goto(attacker + "/evil")
    assert posted.value.status == 403  # refused by us, whatever the browser does with SameSite cookies
    tab.snap("after-cross-site-post")
    assert "skillpass_session" not in {c["name"] for c in tab.page.context.cookies(tab.base)}
    assert tab.goto("/wallet").status == 401  # still signed out

    tab.sign_in()  # the real form carries the session's token
    assert tab.page.url.endswith("/wallet")
