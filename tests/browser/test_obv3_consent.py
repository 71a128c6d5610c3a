"""The OB 3.0 API's consent in a real browser (headless Chromium on the demo server): a client's
authorization URL sends the signed-out learner to sign in and back to the consent page (ja, then en),
which names the client and each scope and is axe-clean; "allow" sends the code to the client's
redirect URI (intercepted: it is not on this machine), the code buys a token with PKCE that reads the
learner's credentials; the learner then revokes the application from the settings."""

from __future__ import annotations

import base64
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from playwright.sync_api import expect

from accounts.oauth import urls
from tests.browser.conftest import DEMO_PASSWORD, LEARNER

pytestmark = pytest.mark.browser
CALLBACK = "https://displayer.example.org/auth/callback"


def test_consent_in_a_browser_then_token_then_revoke(visit) -> None:
    learner = visit(lang="ja")
    api = learner.page.request
    app = api.post(learner.base + urls.REGISTER_PATH, data={
        "client_name": "Example Badge Displayer", "client_uri": "https://displayer.example.org/",
        "redirect_uris": [CALLBACK], "scope": f"{urls.CREDENTIAL_READ} {urls.PROFILE_READ}"}).json()
    verifier = secrets.token_urlsafe(48)
    query = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": CALLBACK,
             "scope": f"{urls.CREDENTIAL_READ} {urls.PROFILE_READ}", "state": "st-42",
             "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"}
    arrived: list[str] = []
    learner.page.route(CALLBACK + "*", lambda route: (arrived.append(route.request.url),
                                                      route.fulfill(status=200, body="client callback")))

    learner.goto(urls.AUTHORIZE_PATH + "?" + urlencode(query), "authorize-signed-out")
    assert urlsplit(learner.page.url).path == "/signin"
    learner.page.get_by_label(re.compile("メールアドレス")).fill(LEARNER)
    learner.page.get_by_label(re.compile("パスワード")).fill(DEMO_PASSWORD)
    learner.page.locator("#signin_form button[type=submit]").click()
    expect(learner.page.get_by_role("heading", name="アプリへのアクセスの許可")).to_be_visible()
    learner.page.wait_for_load_state("networkidle")
    learner.snap("consent-ja")
    expect(learner.page.locator("#oauth-client-name")).to_have_text("Example Badge Displayer")
    expect(learner.page.locator("#oauth-scopes li")).to_have_text(["ウォレットにある証明書（バッジ）を読む",
                                                                  "プロフィール（名前とメールアドレス）を読む"])
    assert learner.axe_serious() == []

    consent_url = learner.page.url
    learner.page.context.add_cookies([{"name": "lang", "value": "en", "url": learner.base}])
    learner.goto(consent_url[len(learner.base):], "consent-en")
    expect(learner.page.get_by_role("heading", name="Allow an application to access your data")).to_be_visible()
    expect(learner.page.locator("#oauth-scopes li").first).to_have_text("Read the credentials (badges) in your wallet")
    assert learner.axe_serious() == []
    learner.page.get_by_role("button", name="Allow").click()
    learner.page.wait_for_url(CALLBACK + "*")
    sent = {k: v[0] for k, v in parse_qs(urlsplit(arrived[-1]).query).items()}
    assert sent["state"] == "st-42" and sent["code"]

    token = api.post(learner.base + urls.TOKEN_PATH, form={
        "grant_type": "authorization_code", "code": sent["code"], "redirect_uri": CALLBACK, "code_verifier": verifier,
        "client_id": app["client_id"], "client_secret": app["client_secret"]})
    assert token.status == 401  # registered for client_secret_basic, not the form
    token = api.post(learner.base + urls.TOKEN_PATH, headers={"Authorization": "Basic " + _basic(app)}, form={
        "grant_type": "authorization_code", "code": sent["code"], "redirect_uri": CALLBACK, "code_verifier": verifier})
    assert token.ok, token.text()
    bearer = {"Authorization": "Bearer " + token.json()["access_token"]}
    credentials = api.get(learner.base + "/ims/ob/v3p0/credentials", headers=bearer)
    assert credentials.ok and int(credentials.headers["x-total-count"]) >= 1

    learner.goto("/wallet/settings/applications", "applications")
    row = learner.page.locator(f'tr[data-client="{app["client_id"]}"]')
    expect(row).to_contain_text("Example Badge Displayer")
    assert learner.axe_serious() == []
    row.get_by_role("button", name="Revoke access for Example Badge Displayer").click()
    learner.page.wait_for_load_state("networkidle")
    expect(learner.page.locator("p.alert.ok")).to_have_text("Access revoked.")
    expect(learner.page.locator("#oauth-apps-none")).to_be_visible()
    learner.snap("applications-revoked")
    assert api.get(learner.base + "/ims/ob/v3p0/credentials", headers=bearer).status == 401
    assert not learner.errors, learner.errors


def _basic(app: dict) -> str:
    return base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
