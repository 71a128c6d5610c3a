"""The OB 3.0 API's OAuth 2.0 server (authlib) in process: sign-in then consent (ja and en, CSRF), code
with PKCE S256, token exchange (HTTP Basic and form), refresh rotation, RFC 7009 revocation, the
learner's list of applications; and the refusals (wrong verifier, reused or expired code, wrong
redirect URI, missing PKCE, unknown scope), each in RFC 6749 section 5.2 shape."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import select, update

from accounts.oauth import urls
from accounts.oauth.models import OAuthCode, OAuthToken
from core.db import utcnow
from tests.accounts.test_oauth_registration import OB_BODY
from tests.conftest import sign_up

REDIRECT = OB_BODY["redirect_uris"][0]


async def register(client, **changes) -> dict:
    response = await client.post(urls.REGISTER_PATH, json={**OB_BODY, **changes})
    assert response.status_code == 201, response.text
    return response.json()


def authorize_query(app: dict, verifier: str, *, scope: str | None = None, state: str = "st-1", **extra) -> dict:
    query = {"response_type": "code", "client_id": app["client_id"], "redirect_uri": REDIRECT,
             "scope": scope or " ".join(urls.SCOPES), "state": state,
             "code_challenge": create_s256_code_challenge(verifier), "code_challenge_method": "S256"}
    return {**query, **extra}


def consent_form(html: str) -> dict:
    """The hidden fields of the consent form, as a browser would send them back."""
    form = html[html.index('<form method="post" action="/oauth/ob/authorize"'):]
    form = form[:form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


async def approve(client, query: dict, decision: str = "approve") -> dict:
    """Open the consent page as the signed-in learner and answer it; the query of the client's redirect."""
    page = await client.get(urls.AUTHORIZE_PATH, params=query)
    assert page.status_code == 200, page.text
    fields = {k: v.replace("&amp;", "&") for k, v in consent_form(page.text).items()}
    answer = await client.post(urls.AUTHORIZE_PATH, data={**fields, "decision": decision}, follow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def basic(app: dict) -> dict:
    pair = f"{app['client_id']}:{app['client_secret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


async def exchange(client, app: dict, code: str, verifier: str, **extra) -> object:
    return await client.post(urls.TOKEN_PATH, headers=basic(app), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier,
        **extra})


async def granted(client, scope: str | None = None) -> tuple[dict, dict]:
    """A registered client and a token pair for the signed-in learner."""
    app = await register(client)
    verifier = secrets.token_urlsafe(48)
    code = (await approve(client, authorize_query(app, verifier, scope=scope)))["code"]
    response = await exchange(client, app, code, verifier)
    assert response.status_code == 200, response.text
    return app, response.json()


async def test_sign_in_first_then_consent_in_both_languages(client) -> None:
    app = await register(client)
    query = authorize_query(app, secrets.token_urlsafe(48))
    signed_out = await client.get(urls.AUTHORIZE_PATH, params=query, follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/signin?" + urlencode({"next": urls.AUTHORIZE_PATH + "?" + urlencode(query)})
    await sign_up(client, "hanako@example.jp", "山田 花子", "ja")
    for lang, words in (("ja", ["アクセスの許可", "ウォレットにある証明書（バッジ）を読む", "許可しない"]),
                        ("en", ["Allow an application", "Read the credentials (badges) in your wallet", "Deny"])):
        client.cookies.set("lang", lang)
        page = await client.get(urls.AUTHORIZE_PATH, params=query)
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        # The answer redirects to the client: the page's form-action allows that one origin besides ours.
        assert "form-action 'self' https://displayer.example.org;" in page.headers["content-security-policy"]
        assert "Example Badge Displayer" in page.text and "https://displayer.example.org/" in page.text
        assert all(word in page.text for word in words), lang
        assert page.text.count('<li data-scope="') == 4
    fields = consent_form(page.text)
    no_csrf = {k: v for k, v in fields.items() if k != "_csrf_token"}
    refused = await client.post(urls.AUTHORIZE_PATH, data={**no_csrf, "decision": "approve"},
                                headers={"Accept": "application/json"}, follow_redirects=False)
    assert refused.status_code == 403


async def test_code_token_refresh_revoke(client, db) -> None:
    await sign_up(client, "hanako@example.jp", "山田 花子", "ja")
    app = await register(client)
    verifier = secrets.token_urlsafe(48)
    answer = await approve(client, authorize_query(app, verifier, state="xyz"))
    assert answer["state"] == "xyz" and answer["code"]
    token = await exchange(client, app, answer["code"], verifier)
    assert token.status_code == 200, token.text
    pair = token.json()
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == urls.ACCESS_TOKEN_SECONDS
    assert set(pair["scope"].split()) == set(urls.SCOPES) and token.headers["cache-control"] == "no-store"
    stored = (await db.execute(select(OAuthToken))).scalars().one()
    assert stored.access_hash == hashlib.sha256(pair["access_token"].encode()).hexdigest()
    assert pair["refresh_token"] not in repr(stored.model_dump()) and pair["access_token"] not in repr(stored.model_dump())
    code_row = (await db.execute(select(OAuthCode))).scalars().one()
    assert code_row.used_at is not None and answer["code"] not in repr(code_row.model_dump())

    # Refresh rotates the pair: the old refresh token stops working.
    refreshed = await client.post(urls.TOKEN_PATH, headers=basic(app),
                                  data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    second = refreshed.json()
    assert second["refresh_token"] != pair["refresh_token"] and second["access_token"] != pair["access_token"]

    apps = await client.get("/wallet/settings/applications")
    assert apps.status_code == 200 and "Example Badge Displayer" in apps.text and app["client_id"] in apps.text

    revoked = await client.post(urls.REVOKE_PATH, headers=basic(app), data={"token": second["refresh_token"]})
    assert revoked.status_code == 200, revoked.text
    after = await client.post(urls.TOKEN_PATH, headers=basic(app),
                              data={"grant_type": "refresh_token", "refresh_token": second["refresh_token"]})
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"
    apps = await client.get("/wallet/settings/applications")
    assert 'id="oauth-apps-none"' in apps.text


async def test_a_rotated_refresh_token_presented_again_ends_the_grant(client) -> None:
    await sign_up(client, "hanako@example.jp")
    app, pair = await granted(client)

    async def refresh(token: str):
        return await client.post(urls.TOKEN_PATH, headers=basic(app),
                                 data={"grant_type": "refresh_token", "refresh_token": token})

    second = (await refresh(pair["refresh_token"])).json()
    replayed = await refresh(pair["refresh_token"])
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    # Someone holds a copy of the old token: the pair it rotated into ends too.
    after = await refresh(second["refresh_token"])
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"


async def test_a_client_authenticates_the_way_it_registered(client) -> None:
    await sign_up(client, "hanako@example.jp")
    app = await register(client, token_endpoint_auth_method="client_secret_post")
    assert app["token_endpoint_auth_method"] == "client_secret_post"
    verifier = secrets.token_urlsafe(48)
    code = (await approve(client, authorize_query(app, verifier)))["code"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier}
    by_basic = await client.post(urls.TOKEN_PATH, headers=basic(app), data=form)
    assert by_basic.status_code == 401 and by_basic.json()["error"] == "invalid_client"
    by_form = await client.post(urls.TOKEN_PATH, data={**form, "client_id": app["client_id"],
                                                       "client_secret": app["client_secret"]})
    assert by_form.status_code == 200, by_form.text
    revoked = await client.post(urls.REVOKE_PATH, data={"token": by_form.json()["access_token"],
                                                        "client_id": app["client_id"],
                                                        "client_secret": app["client_secret"]})
    assert revoked.status_code == 200, revoked.text


async def test_learner_revokes_an_application_from_settings(client) -> None:
    await sign_up(client, "taro@example.jp", "Taro", "en")
    app, pair = await granted(client)
    page = await client.get("/wallet/settings/applications")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text).group(1)
    done = await client.post(f"/wallet/settings/applications/{app['client_id']}/revoke", data={"_csrf_token": token},
                             follow_redirects=False)
    assert done.status_code == 303
    page = await client.get(done.headers["location"])
    assert "Access revoked." in page.text and 'id="oauth-apps-none"' in page.text
    refused = await client.post(urls.TOKEN_PATH, headers=basic(app),
                                data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


async def test_deny_sends_access_denied(client, db) -> None:
    await sign_up(client, "hanako@example.jp")
    app = await register(client)
    answer = await approve(client, authorize_query(app, secrets.token_urlsafe(48), state="s9"), decision="deny")
    assert answer["error"] == "access_denied" and answer["state"] == "s9" and "code" not in answer
    assert (await db.execute(select(OAuthCode))).scalars().all() == []


async def test_code_refusals(client, db) -> None:
    await sign_up(client, "hanako@example.jp")
    app = await register(client)
    verifier = secrets.token_urlsafe(48)
    code = (await approve(client, authorize_query(app, verifier)))["code"]
    wrong_verifier = await exchange(client, app, code, secrets.token_urlsafe(48))
    assert wrong_verifier.status_code == 400 and wrong_verifier.json()["error"] == "invalid_grant"
    no_verifier = await client.post(urls.TOKEN_PATH, headers=basic(app), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT})
    assert no_verifier.status_code == 400 and no_verifier.json()["error"] == "invalid_request"
    wrong_redirect = await exchange(client, app, code, verifier, redirect_uri="https://displayer.example.org/other")
    assert wrong_redirect.status_code == 400 and wrong_redirect.json()["error"] == "invalid_grant"
    bad_secret = await client.post(urls.TOKEN_PATH, headers=basic({**app, "client_secret": "nope"}), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"
    first = await exchange(client, app, code, verifier)
    assert first.status_code == 200  # the refusals did not use it up
    refreshed = await client.post(urls.TOKEN_PATH, headers=basic(app), data={
        "grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]})
    assert refreshed.status_code == 200
    reused = await exchange(client, app, code, verifier)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # A code seen twice may have been stolen: every pair it led to (through refreshes too) is revoked.
    db.expire_all()
    assert all(t.revoked_at is not None for t in (await db.execute(select(OAuthToken))).scalars())
    after = await client.post(urls.TOKEN_PATH, headers=basic(app), data={
        "grant_type": "refresh_token", "refresh_token": refreshed.json()["refresh_token"]})
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"

    late = (await approve(client, authorize_query(app, verifier)))["code"]
    await db.execute(update(OAuthCode).where(OAuthCode.used_at.is_(None))
                     .values(expires_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    expired = await exchange(client, app, late, verifier)
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"
    assert len((await db.execute(select(OAuthToken))).scalars().all()) == 2


async def test_authorization_request_refusals(client, db) -> None:
    await sign_up(client, "hanako@example.jp")
    app = await register(client, scope=urls.CREDENTIAL_READ)
    verifier = secrets.token_urlsafe(48)
    # Not the registered redirect URI: never redirected there, an error page instead.
    page = await client.get(urls.AUTHORIZE_PATH, params=authorize_query(app, verifier, redirect_uri="https://evil.example/cb"),
                            follow_redirects=False)
    assert page.status_code == 400 and "invalid_request" in page.text and "evil.example" not in page.headers.get("location", "")
    unknown = await client.get(urls.AUTHORIZE_PATH, params=authorize_query({"client_id": "nobody"}, verifier))
    assert unknown.status_code == 400 and "invalid_client" in unknown.text
    # Known client and redirect URI: the error goes back to the client.
    for query, error in ((authorize_query(app, verifier, code_challenge_method="plain"), "invalid_request"),
                         ({k: v for k, v in authorize_query(app, verifier).items() if not k.startswith("code_")},
                          "invalid_request"),
                         (authorize_query(app, verifier, scope="openid"), "invalid_scope"),
                         (authorize_query(app, verifier, scope=urls.PROFILE_UPDATE), "invalid_scope")):
        answer = await client.get(urls.AUTHORIZE_PATH, params=query, follow_redirects=False)
        assert answer.status_code == 302, (query, answer.text)
        sent = parse_qs(urlsplit(answer.headers["location"]).query)
        assert sent["error"] == [error] and sent["state"] == ["st-1"], (query, sent)
    # A scope the client did not register is not granted: the token carries only the registered one.
    code = (await approve(client, authorize_query(app, verifier, scope=f"{urls.CREDENTIAL_READ} {urls.PROFILE_READ}")))["code"]
    token = (await exchange(client, app, code, verifier)).json()
    assert token["scope"] == urls.CREDENTIAL_READ
    assert (await db.execute(select(OAuthCode))).scalars().one().scope == urls.CREDENTIAL_READ
