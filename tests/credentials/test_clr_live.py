"""The CLR 2.0 API against a real ``skillpass serve``, driven by authlib's ``AsyncOAuth2Client`` (a
third-party OAuth 2.0 client, not the server's code): CLR discovery -> RFC 7591 registration with the CLR scopes ->
authorization with PKCE (sign-in and consent through the real HTML forms) -> getCredentials with paging
(JSON-LD and VC-JWT transcripts a provider issued) -> upsertCredential of a CLR issued elsewhere (fresh keys)
and refusal of one whose embedded credential was altered -> getProfile -> refresh -> revoke -> refused.
Every body is validated against the bundled CLR 2.0 schemas."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError
from sqlalchemy import select

from accounts.oauth import urls
from credentials.models import HeldCredential
from tests.credentials.test_clr_api import elsewhere_clr, issue_clr, provider_with_learner, valid
from tests.credentials.test_obv3_live import CALLBACK, browser_authorizes, live  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow
SCOPE = " ".join(urls.CLR_SCOPES)


async def registered(base: str) -> tuple[dict, dict]:
    """CLR discovery, then dynamic registration at the URL it names; (URLs, registration answer)."""
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as plain:
        discovery = (await plain.get("/ims/clr/v2p0/discovery")).json()
        scheme = discovery["components"]["securitySchemes"]["OAuth2ACG"]
        flow = scheme["flows"]["authorizationCode"]
        answer = await plain.post(scheme["x-imssf-registrationUrl"], json={
            "client_name": "Example Badge Displayer", "client_uri": "https://displayer.example.org/",
            "redirect_uris": [CALLBACK], "scope": " ".join(flow["scopes"]),
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic"})
        assert answer.status_code == 201, answer.text
    return {"authorize": flow["authorizationUrl"], "token": flow["tokenUrl"], "refresh": flow["refreshUrl"],
            "api": discovery["servers"][0]["url"], "revoke": base + urls.REVOKE_PATH}, answer.json()


async def test_the_clr_flow_with_authlibs_client(client, db, live) -> None:  # noqa: F811
    provider, _ = await provider_with_learner(client)
    transcripts = [await issue_clr(client, provider, fmt) for fmt in ("ldp", "jwt", "ldp")]
    where, app = await registered(live)
    assert set(app["scope"].split()) == set(urls.CLR_SCOPES)
    async with AsyncOAuth2Client(client_id=app["client_id"], client_secret=app["client_secret"], scope=SCOPE,
                                 redirect_uri=CALLBACK, code_challenge_method="S256",
                                 token_endpoint_auth_method="client_secret_basic", timeout=10.0) as clr:
        verifier = secrets.token_urlsafe(48)
        authorize_url, state = clr.create_authorization_url(where["authorize"], code_verifier=verifier)
        redirect = await browser_authorizes(live, authorize_url)
        assert redirect.status_code == 302 and redirect.headers["location"].startswith(CALLBACK + "?")
        token = await clr.fetch_token(where["token"], authorization_response=redirect.headers["location"],
                                      code_verifier=verifier, state=state)
        assert set(token["scope"].split()) == set(urls.CLR_SCOPES) and token["refresh_token"]

        page = await clr.get(where["api"] + "/credentials", params={"limit": 2})
        assert page.status_code == 200 and page.headers["x-total-count"] == "3"
        valid(page.json(), "getclrcredentialsresponse")
        rest = await clr.get(re.search(r'<([^>]+)>; rel="next"', page.headers["link"]).group(1))
        valid(rest.json(), "getclrcredentialsresponse")
        served = page.json().get("credential", []) + page.json().get("compactJwsString", []) \
            + rest.json().get("credential", []) + rest.json().get("compactJwsString", [])
        assert len(served) == 3 and transcripts[1].text in served

        elsewhere = elsewhere_clr()
        upserted = await clr.post(where["api"] + "/credentials", json=elsewhere)
        assert upserted.status_code == 201 and upserted.json()["id"] == elsewhere["id"]
        valid(upserted.json(), "clrcredential")
        again = await clr.post(where["api"] + "/credentials", json=elsewhere)  # exactly what is held
        assert again.status_code == 304 and again.content == b""
        altered = elsewhere_clr(tamper_inner=True)
        refused = await clr.post(where["api"] + "/credentials", json=altered)
        assert refused.status_code == 400
        valid(refused.json(), "imsx_statusinfo")
        held = (await db.execute(select(HeldCredential))).scalars().all()
        assert altered["id"] not in {h.document.get("id") for h in held}
        assert (await clr.get(where["api"] + "/credentials")).headers["x-total-count"] == "4"
        future = await clr.get(where["api"] + "/credentials", params={"since": "2999-01-01T00:00:00Z"})
        assert future.status_code == 200 and future.headers["x-total-count"] == "0"
        valid(future.json(), "getclrcredentialsresponse")
        bad_since = await clr.get(where["api"] + "/credentials", params={"since": "last week"})
        assert bad_since.status_code == 400
        valid(bad_since.json(), "imsx_statusinfo")

        profile = await clr.get(where["api"] + "/profile")
        assert profile.status_code == 200 and profile.json()["name"] == "山田 花子"
        valid(profile.json(), "profile")
        unchanged = await clr.put(where["api"] + "/profile", json=profile.json())
        assert unchanged.status_code == 304 and unchanged.content == b""

        renewed = await clr.refresh_token(where["refresh"])
        assert renewed["access_token"] != token["access_token"]
        assert (await clr.get(where["api"] + "/profile")).status_code == 200
        assert (await clr.revoke_token(where["revoke"], token=renewed["access_token"])).status_code == 200
        after = await clr.get(where["api"] + "/credentials")
        assert after.status_code == 401
        valid(after.json(), "imsx_statusinfo")
        with pytest.raises(OAuthError):
            await clr.refresh_token(where["refresh"])
