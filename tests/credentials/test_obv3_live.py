"""The whole OB 3.0 API flow against a real ``skillpass serve``, driven by a third-party OAuth 2.0 client
(authlib's ``AsyncOAuth2Client``, not the server's code): discovery -> RFC 7591 registration ->
authorization with PKCE (the learner signs in and consents through the real HTML forms, in an httpx
"browser" holding their cookies) -> token -> getCredentials with paging -> upsertCredential of a badge
signed by a fresh key -> getProfile -> refresh -> revoke -> refused. And the refusals a client meets:
wrong redirect URI, missing PKCE, wrong verifier, reused code, scope not granted (403), expired token,
tampered credential (nothing stored)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from sqlalchemy import select, update

from accounts.oauth import urls
from accounts.oauth.models import OAuthToken
from core.db import utcnow
from credentials.models import HeldCredential
from tests.conftest import TEST_PASSWORD
from tests.credentials.live_server import free_port, serve_live
from tests.credentials.test_obv3_api import EMAIL, fresh_badge, learner_with_credentials, valid

pytestmark = pytest.mark.slow
CALLBACK = "http://127.0.0.1:9/callback"  # never called: the "browser" stops at the redirect


@pytest.fixture
async def live(settings, tmp_path):
    port = free_port()
    async with serve_live(settings, tmp_path, port=port, base_url=f"http://127.0.0.1:{port}") as base:
        yield base


def hidden_fields(html: str, action: str) -> dict[str, str]:
    form = html[html.index(f'action="{action}"'):]
    form = form[:form.index("</form>")]
    return {name: unescape(value) for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form)}


async def browser_authorizes(base: str, authorize_url: str, *, decision: str = "approve") -> httpx.Response:
    """The learner's browser: open the client's authorization URL, sign in on the sign-in form, answer
    the consent form; returns the last response (the redirect to the client, or an error page)."""
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as browser:
        first = await browser.get(authorize_url)
        assert first.status_code == 303 and first.headers["location"].startswith("/signin?next=")
        sign_in_page = await browser.get(first.headers["location"])
        fields = hidden_fields(sign_in_page.text, "/signin")
        signed_in = await browser.post("/signin", data={**fields, "email": EMAIL, "password": TEST_PASSWORD})
        assert signed_in.status_code == 303, signed_in.text
        page = await browser.get(urljoin(base, signed_in.headers["location"]))
        if page.status_code != 200:
            return page
        assert "Example Badge Displayer" in page.text
        consent = hidden_fields(page.text, urls.AUTHORIZE_PATH)
        return await browser.post(urls.AUTHORIZE_PATH, data={**consent, "decision": decision})


async def registered(base: str, scope: str = " ".join(urls.SCOPES)) -> tuple[dict, dict]:
    """Discovery, then dynamic registration at the URL it names; (OAuth URLs, registration answer)."""
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as plain:
        discovery = (await plain.get("/ims/ob/v3p0/discovery")).json()
        scheme = discovery["components"]["securitySchemes"]["OAuth2ACG"]
        flow = scheme["flows"]["authorizationCode"]
        answer = await plain.post(scheme["x-imssf-registrationUrl"], json={
            "client_name": "Example Badge Displayer", "client_uri": "https://displayer.example.org/",
            "redirect_uris": [CALLBACK], "scope": scope, "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"})
        assert answer.status_code == 201, answer.text
    return {"authorize": flow["authorizationUrl"], "token": flow["tokenUrl"], "refresh": flow["refreshUrl"],
            "api": discovery["servers"][0]["url"], "revoke": base + urls.REVOKE_PATH}, answer.json()


def oauth_client(app: dict, scope: str = " ".join(urls.SCOPES)) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(client_id=app["client_id"], client_secret=app["client_secret"], scope=scope,
                             redirect_uri=CALLBACK, code_challenge_method="S256",
                             token_endpoint_auth_method="client_secret_basic", timeout=10.0)


async def test_the_whole_flow_with_authlibs_client(client, db, live) -> None:
    await learner_with_credentials(client, count=3)
    where, app = await registered(live)
    async with oauth_client(app) as ob:
        verifier = secrets.token_urlsafe(48)
        authorize_url, state = ob.create_authorization_url(where["authorize"], code_verifier=verifier)
        redirect = await browser_authorizes(live, authorize_url)
        assert redirect.status_code == 302 and redirect.headers["location"].startswith(CALLBACK + "?")
        token = await ob.fetch_token(where["token"], authorization_response=redirect.headers["location"],
                                     code_verifier=verifier, state=state)
        assert set(token["scope"].split()) == set(urls.SCOPES) and token["refresh_token"]

        page = await ob.get(where["api"] + "/credentials", params={"limit": 2})
        assert page.status_code == 200 and page.headers["x-total-count"] == "3"
        valid(page.json(), "getopenbadgecredentialsresponse")
        next_link = re.search(r'<([^>]+)>; rel="next"', page.headers["link"]).group(1)
        rest = await ob.get(next_link)
        assert rest.status_code == 200 and 'rel="next"' not in rest.headers["link"]

        badge = fresh_badge()
        upserted = await ob.post(where["api"] + "/credentials", json=badge)
        assert upserted.status_code == 201 and upserted.json()["id"] == badge["id"]
        again = await ob.post(where["api"] + "/credentials", json=badge)  # exactly what the wallet holds
        assert again.status_code == 304 and again.content == b""
        assert (await ob.get(where["api"] + "/credentials")).headers["x-total-count"] == "4"
        tampered = fresh_badge()
        tampered["validFrom"] = "2020-01-01T00:00:00Z"
        refused = await ob.post(where["api"] + "/credentials", json=tampered)
        assert refused.status_code == 400 and refused.json()["imsx_codeMajor"] == "failure"
        held = (await db.execute(select(HeldCredential))).scalars().all()
        assert len(held) == 4 and tampered["id"] not in {h.document.get("id") for h in held}

        profile = await ob.get(where["api"] + "/profile")
        assert profile.status_code == 200 and profile.json()["name"] == "山田 花子"
        valid(profile.json(), "profile")
        unchanged = await ob.put(where["api"] + "/profile", json=profile.json())
        assert unchanged.status_code == 304 and unchanged.content == b""
        renamed = await ob.put(where["api"] + "/profile", json={**profile.json(), "name": "Hanako Yamada"})
        assert renamed.status_code == 200 and renamed.json()["name"] == "Hanako Yamada"
        valid(renamed.json(), "profile")

        old = dict(ob.token)
        renewed = await ob.refresh_token(where["refresh"])
        assert renewed["access_token"] != old["access_token"] and renewed["refresh_token"] != old["refresh_token"]
        assert (await ob.get(where["api"] + "/profile")).status_code == 200

        revoked = await ob.revoke_token(where["revoke"], token=renewed["access_token"])
        assert revoked.status_code == 200
        after = await ob.get(where["api"] + "/profile")
        assert after.status_code == 401 and after.json()["imsx_codeMinor"]["imsx_codeMinorField"][0][
            "imsx_codeMinorFieldValue"] == "unauthorizedrequest"
        with pytest.raises(OAuthError):
            await ob.refresh_token(where["refresh"])
        with pytest.raises(OAuthError):  # the rotated-away one neither
            await ob.refresh_token(where["refresh"], refresh_token=old["refresh_token"])


async def test_refusals_a_client_meets(client, db, live) -> None:
    await learner_with_credentials(client, count=1)
    where, app = await registered(live)
    async with oauth_client(app, scope=urls.CREDENTIAL_READ) as ob:
        verifier = secrets.token_urlsafe(48)
        wrong_redirect, _ = ob.create_authorization_url(where["authorize"], code_verifier=verifier,
                                                        redirect_uri="http://127.0.0.1:9/elsewhere")
        page = await browser_authorizes(live, wrong_redirect)
        assert page.status_code == 400 and "invalid_request" in page.text

        no_pkce, _ = ob.create_authorization_url(where["authorize"])
        answer = await browser_authorizes(live, no_pkce)
        assert answer.status_code == 302
        assert parse_qs(urlsplit(answer.headers["location"]).query)["error"] == ["invalid_request"]

        authorize_url, state = ob.create_authorization_url(where["authorize"], code_verifier=verifier)
        redirect = await browser_authorizes(live, authorize_url)
        with pytest.raises(OAuthError) as wrong_verifier:
            await ob.fetch_token(where["token"], authorization_response=redirect.headers["location"],
                                 code_verifier=secrets.token_urlsafe(48), state=state)
        assert wrong_verifier.value.error == "invalid_grant"
        token = await ob.fetch_token(where["token"], authorization_response=redirect.headers["location"],
                                     code_verifier=verifier, state=state)
        assert token["scope"] == urls.CREDENTIAL_READ

        assert (await ob.get(where["api"] + "/credentials")).status_code == 200
        for method, path in (("POST", "/credentials"), ("GET", "/profile"), ("PUT", "/profile")):
            forbidden = await ob.request(method, where["api"] + path, json=fresh_badge())
            assert forbidden.status_code == 403, (method, path, forbidden.text)
            assert forbidden.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "forbidden"
        assert len((await db.execute(select(HeldCredential))).scalars().all()) == 1

        await db.execute(update(OAuthToken).values(access_expires_at=utcnow() - timedelta(seconds=1)))
        await db.commit()
        expired = await ob.get(where["api"] + "/credentials")
        assert expired.status_code == 401 and "invalid_token" in expired.headers["www-authenticate"]

        # The same code again: refused, and the pair it led to is revoked (the refresh token too).
        with pytest.raises(OAuthError) as reused:
            await ob.fetch_token(where["token"], authorization_response=redirect.headers["location"],
                                 code_verifier=verifier, state=state)
        assert reused.value.error == "invalid_grant"
        with pytest.raises(OAuthError) as after_reuse:
            await ob.refresh_token(where["refresh"], refresh_token=token["refresh_token"])
        assert after_reuse.value.error == "invalid_grant"
