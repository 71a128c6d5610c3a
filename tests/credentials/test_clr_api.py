"""The CLR 2.0 API under /ims/clr/v2p0 in process, with real tokens from the OAuth flow: discovery (the OB 3.0
OpenAPI derived for CLR, a valid Service Description Document), getCredentials with paging over the CLRs a
provider issued (JSON-LD and VC-JWT), upsertCredential of CLRs issued elsewhere (fresh keys; nested
credentials verified; tampered ones refused with nothing stored), getProfile/putProfile, scopes kept apart
from OB's (403) and the consent page naming the CLR scopes in both languages. Every body is validated
against 1EdTech's bundled CLR 2.0 schemas."""

from __future__ import annotations

import copy
import json
import secrets
import uuid
from datetime import datetime, timezone
from pathlib import Path

import jsonschema
from sqlalchemy import select

from accounts.oauth import urls
from credentials.clr.service import clr_credential, validate_clr
from credentials.models import HeldCredential
from credentials.vc.keys import generate_ed25519
from credentials.vc.signing import sign_credential
from tests.accounts.test_oauth_flow import approve, authorize_query, exchange, register
from tests.conftest import sign_up
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider
from tests.credentials.test_obv3_api import EMAIL, fresh_badge
from tests.credentials.vc.helpers_vc import badge_for
from tests.credentials.test_obv3_discovery import _sdd_validator

CLR = Path(__file__).resolve().parents[2] / "credentials" / "clr"
API = "/ims/clr/v2p0"
CLR_ALL = " ".join(urls.CLR_SCOPES)


def schema(name: str) -> dict:
    path = CLR / f"clr_v2p0_{name}_schema.json"
    return json.loads((path if path.exists() else CLR / "schemas" / path.name).read_text())


def valid(body: dict, name: str) -> None:
    jsonschema.validate(body, schema(name), cls=jsonschema.Draft201909Validator,
                        format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER)


def bearer(token: dict) -> dict:
    return {"Authorization": f"Bearer {token['access_token']}"}


def assert_imsx(response, status: int, minor: str) -> None:
    assert response.status_code == status, response.text
    valid(response.json(), "imsx_statusinfo")
    assert response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor


async def clr_token(client, scope: str = CLR_ALL) -> tuple[dict, dict]:
    """A client registered for ``scope`` and a token pair of the signed-in learner."""
    app = await register(client, scope=scope)
    verifier = secrets.token_urlsafe(48)
    code = (await approve(client, authorize_query(app, verifier, scope=scope)))["code"]
    response = await exchange(client, app, code, verifier)
    assert response.status_code == 200, response.text
    return app, response.json()


async def provider_with_learner(client) -> tuple[dict, dict]:
    """A provider with two achievements issued to the (signed-in, confirmed) learner."""
    provider = await new_provider(client, "clr-host")
    first = await new_achievement(client, provider, name_en="Data Literacy I")
    second = await new_achievement(client, provider, name_en="Data Literacy II")
    client.cookies.clear()
    await sign_up(client, EMAIL, "山田 花子", "ja")
    for achievement in (first, second):
        assert (await issue(client, provider, achievement["id"], email=EMAIL)).status_code == 201
    return provider, {"first": first, "second": second}


async def issue_clr(client, provider: dict, fmt: str = "ldp"):
    response = await client.post(f"{provider['base']}/clr", headers=await api_headers(client, provider),
                                 json={"recipient_email": EMAIL, "lang": "en", "format": fmt})
    assert response.status_code == 201, response.text
    return response


def elsewhere_clr(*, clr_id: str | None = None, name: str = "Transcript of Example University",
                  tamper_inner: bool = False, suite: str = "eddsa-rdfc-2022") -> dict | str:
    """A CLR issued by another system: its badge signed by one fresh key, the CLR by another."""
    inner = fresh_badge()
    if tamper_inner:
        inner["credentialSubject"]["achievement"]["name"] = "Something never earned"
    key = generate_ed25519()
    unsigned = clr_credential(credential_id=clr_id or f"urn:uuid:{uuid.uuid4()}",
                              issuer={"id": key.public.did, "type": ["Profile"], "name": "Example University"},
                              recipient_email=EMAIL, name=name, embedded=[inner],
                              valid_from=datetime(2025, 4, 1, tzinfo=timezone.utc))
    return sign_credential(unsigned, key, suite=suite)


async def test_discovery_is_the_derived_service_description(client, settings) -> None:
    response = await client.get(f"{API}/discovery")
    assert response.status_code == 200
    doc = response.json()
    errors = sorted(_sdd_validator().iter_errors(doc), key=str)
    assert not errors, errors[0].message
    base = settings.base_url.rstrip("/")
    assert doc["servers"][0]["url"] == f"{base}{API}" and "Derived from" in doc["info"]["description"]
    assert doc["info"]["version"] == "2.0" and "x-model-pid" not in doc["info"]
    flow = doc["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]
    assert set(flow["scopes"]) == set(urls.CLR_SCOPES) and flow["tokenUrl"] == base + urls.TOKEN_PATH
    scheme = doc["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["x-imssf-registrationUrl"] == base + urls.REGISTER_PATH
    operations = {op["operationId"]: op for path in doc["paths"].values() for op in path.values()}
    assert set(operations) == {"getCredentials", "upsertCredential", "getProfile", "putProfile",
                               "getServiceDescription"}
    assert operations["getCredentials"]["security"] == [{"OAuth2ACG": [urls.CLR_CREDENTIAL_READ]}]
    assert operations["upsertCredential"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ClrCredential"}
    assert "ob/v3p0/scope" not in json.dumps(doc)


async def test_get_credentials_pages_the_learners_clrs(client, settings) -> None:
    provider, _ = await provider_with_learner(client)
    issued = [await issue_clr(client, provider, fmt) for fmt in ("ldp", "ldp", "jwt")]
    valid(issued[0].json(), "clrcredential")
    assert issued[2].headers["content-type"].startswith("text/plain") and issued[2].text.count(".") == 2
    _, token = await clr_token(client)
    first = await client.get(f"{API}/credentials", params={"limit": 2}, headers=bearer(token))
    assert first.status_code == 200, first.text
    valid(first.json(), "getclrcredentialsresponse")
    assert first.headers["x-total-count"] == "3"
    base = settings.base_url + API + "/credentials"
    assert f'<{base}?limit=2&offset=2>; rel="next"' in first.headers["link"]
    everything = (await client.get(f"{API}/credentials", headers=bearer(token))).json()
    valid(everything, "getclrcredentialsresponse")
    assert everything["compactJwsString"] == [issued[2].text]
    assert {c["id"] for c in everything["credential"]} == {issued[0].json()["id"], issued[1].json()["id"]}
    for body in everything["credential"]:
        valid(body, "clrcredential")
    assert_imsx(await client.get(f"{API}/credentials", params={"limit": 0}, headers=bearer(token)), 400,
                "invalid_query_parameter")
    # The OB 3.0 API keeps serving only OpenBadgeCredentials: the two badges, not the transcripts.
    ob_app = await register(client)
    verifier = secrets.token_urlsafe(48)
    code = (await approve(client, authorize_query(ob_app, verifier)))["code"]
    ob_token = (await exchange(client, ob_app, code, verifier)).json()
    ob = await client.get("/ims/ob/v3p0/credentials", headers=bearer(ob_token))
    assert ob.headers["x-total-count"] == "2"
    assert all("ClrCredential" not in c["type"] for c in ob.json()["credential"])
    # Scopes are kept apart: an OB token opens nothing of the CLR API.
    assert_imsx(await client.get(f"{API}/credentials", headers=bearer(ob_token)), 403, "forbidden")


async def test_upsert_verifies_the_clr_and_every_nested_credential(client, db) -> None:
    await sign_up(client, EMAIL)
    _, token = await clr_token(client)
    clr = elsewhere_clr()
    created = await client.post(f"{API}/credentials", json=clr, headers=bearer(token))
    assert created.status_code == 201, created.text
    assert created.json() == clr
    again = await client.post(f"{API}/credentials", json=clr, headers=bearer(token))
    assert again.status_code == 304 and again.content == b"", again.text
    newer = elsewhere_clr(clr_id=clr["id"], name="Transcript (corrected)")
    replaced = await client.post(f"{API}/credentials", json=newer, headers=bearer(token))
    assert replaced.status_code == 200, replaced.text
    held = (await db.execute(select(HeldCredential))).scalars().all()
    assert len(held) == 1 and held[0].document["name"] == "Transcript (corrected)" and held[0].verified

    # The outer proof is fine, the embedded badge was changed after it was signed: refused.
    inner_broken = elsewhere_clr(tamper_inner=True)
    refused = await client.post(f"{API}/credentials", json=inner_broken, headers=bearer(token))
    assert_imsx(refused, 400, "invalid_data")
    outer_broken = copy.deepcopy(elsewhere_clr())
    outer_broken["name"] = "Not what was signed"
    refused = await client.post(f"{API}/credentials", json=outer_broken, headers=bearer(token))
    assert_imsx(refused, 400, "invalid_data")
    # Not a CLR, or a CLR the schema refuses.
    refused = await client.post(f"{API}/credentials", json=fresh_badge(), headers=bearer(token))
    assert_imsx(refused, 400, "invalid_data")
    no_subject_type = elsewhere_clr()
    del no_subject_type["credentialSubject"]["type"]
    assert_imsx(await client.post(f"{API}/credentials", json=no_subject_type, headers=bearer(token)), 400,
                "invalid_data")

    # A VC-JWT CLR: the JWS and each embedded credential are verified.
    jws = elsewhere_clr(suite="vc-jwt")
    answer = await client.post(f"{API}/credentials", content=jws.encode(),
                               headers={**bearer(token), "content-type": "text/plain"})
    assert answer.status_code == 201, answer.text
    assert answer.text == jws
    bad_jws = elsewhere_clr(suite="vc-jwt", tamper_inner=True)
    refused = await client.post(f"{API}/credentials", content=bad_jws.encode(),
                                headers={**bearer(token), "content-type": "text/plain"})
    assert_imsx(refused, 400, "invalid_data")
    db.expire_all()
    assert len((await db.execute(select(HeldCredential))).scalars().all()) == 2
    listed = (await client.get(f"{API}/credentials", headers=bearer(token))).json()
    valid(listed, "getclrcredentialsresponse")
    assert listed["compactJwsString"] == [jws] and [c["id"] for c in listed["credential"]] == [clr["id"]]


async def test_profile_and_scopes(client) -> None:
    me = await sign_up(client, EMAIL, "山田 花子")
    app, token = await clr_token(client, scope=f"{urls.CLR_PROFILE_READ} {urls.CLR_PROFILE_UPDATE}")
    profile = await client.get(f"{API}/profile", headers=bearer(token))
    assert profile.status_code == 200, profile.text
    valid(profile.json(), "profile")
    assert profile.json()["id"] == f"urn:uuid:{me['id']}" and profile.json()["name"] == "山田 花子"
    changed = await client.put(f"{API}/profile", json={**profile.json(), "name": "Hanako Yamada"},
                               headers=bearer(token))
    assert changed.status_code == 200 and changed.json()["name"] == "Hanako Yamada"
    valid(changed.json(), "profile")
    unchanged = await client.put(f"{API}/profile", json=changed.json(), headers=bearer(token))
    assert unchanged.status_code == 304 and unchanged.content == b""
    refused = await client.put(f"{API}/profile", json={"name": "x"}, headers=bearer(token))
    assert_imsx(refused, 400, "invalid_data")
    for method, path in (("GET", "/credentials"), ("POST", "/credentials")):
        answer = await client.request(method, API + path, headers=bearer(token), json={})
        assert_imsx(answer, 403, "forbidden")
    assert_imsx(await client.get("/ims/ob/v3p0/profile", headers=bearer(token)), 403, "forbidden")
    assert_imsx(await client.get(f"{API}/profile"), 401, "unauthorizedrequest")


async def test_consent_page_names_the_clr_scopes_in_both_languages(client) -> None:
    await sign_up(client, EMAIL, "山田 花子", "ja")
    app = await register(client, scope=f"{urls.CREDENTIAL_READ} {CLR_ALL}")
    query = authorize_query(app, secrets.token_urlsafe(48),
                            scope=f"{urls.CREDENTIAL_READ} {urls.CLR_CREDENTIAL_READ}")
    for lang, clr_words, ob_words in (("ja", "学修歴証明書（CLR）を読む", "証明書（バッジ）を読む"),
                                      ("en", "Read the transcripts (CLR) in your wallet",
                                       "Read the credentials (badges) in your wallet")):
        client.cookies.set("lang", lang)
        page = await client.get(urls.AUTHORIZE_PATH, params=query)
        assert page.status_code == 200, page.text
        assert clr_words in page.text and ob_words in page.text, lang
        assert page.text.count('<li data-scope="') == 2
    refused = await client.post(urls.REGISTER_PATH, json={  # an unknown scope in the CLR namespace
        "redirect_uris": ["https://displayer.example.org/cb"],
        "scope": "https://purl.imsglobal.org/spec/clr/v2p0/scope/x"})
    assert refused.status_code == 400


async def test_get_credentials_since_filters_on_when_the_wallet_received_the_clr(client, db, settings) -> None:
    """``since`` as in the OB 3.0 API: CLRs received at or after it; a bad value is the spec's 400."""
    from datetime import timedelta

    await sign_up(client, EMAIL)
    _, token = await clr_token(client)
    old, new = elsewhere_clr(name="Older transcript"), elsewhere_clr(name="Newer transcript")
    for clr in (old, new):
        assert (await client.post(f"{API}/credentials", json=clr, headers=bearer(token))).status_code == 201
    now = datetime.now(timezone.utc)
    held = (await db.execute(select(HeldCredential))).scalars().all()
    next(h for h in held if h.document["id"] == old["id"]).created_at = now - timedelta(days=10)
    await db.commit()

    def at(moment: datetime) -> str:
        return moment.isoformat().replace("+00:00", "Z")

    cases = ((now - timedelta(days=30), [new["id"], old["id"]]), (now - timedelta(days=1), [new["id"]]),
             (now + timedelta(days=1), []))
    for since, expected in cases:
        answer = await client.get(f"{API}/credentials", params={"since": at(since), "limit": 1},
                                  headers=bearer(token))
        assert answer.status_code == 200, answer.text
        valid(answer.json(), "getclrcredentialsresponse")
        assert answer.headers["x-total-count"] == str(len(expected))
        assert [c["id"] for c in answer.json().get("credential", [])] == expected[:1]
        if len(expected) > 1:  # the next page keeps the filter
            assert f"since={at(since).replace(':', '%3A')}" in answer.headers["link"]
    for bad in ("yesterday", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z"):
        assert_imsx(await client.get(f"{API}/credentials", params={"since": bad}, headers=bearer(token)), 400,
                    "invalid_query_parameter")


def enveloped(jws: str) -> dict:
    """A VC-JWT as VCDM 2.0's EnvelopedVerifiableCredential."""
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": f"data:application/vc+jwt,{jws}",
            "type": "EnvelopedVerifiableCredential"}


async def test_a_clr_embedding_an_enveloped_vc_jwt_is_refused_by_the_clr_schema(client, db) -> None:
    """CLR 2.0's ClrSubject.verifiableCredential items must carry issuer, validFrom and credentialSubject
    (the bundled schema), which an EnvelopedVerifiableCredential has not: such a CLR is refused by
    upsertCredential (nothing stored) and does not verify, even though the badge inside verifies alone."""
    await sign_up(client, EMAIL)
    _, token = await clr_token(client)
    badge_key, clr_key = generate_ed25519(), generate_ed25519()
    jws = sign_credential(badge_for(badge_key, id=f"urn:uuid:{uuid.uuid4()}"), badge_key, suite="vc-jwt")
    assert (await client.post("/api/v1/verify", content=jws.encode(),
                              headers={"content-type": "text/plain"})).json()["verified"]
    unsigned = clr_credential(credential_id=f"urn:uuid:{uuid.uuid4()}",
                              issuer={"id": clr_key.public.did, "type": ["Profile"], "name": "Example University"},
                              recipient_email=EMAIL, name="Transcript with a VC-JWT badge",
                              embedded=[enveloped(jws)], valid_from=datetime(2025, 4, 1, tzinfo=timezone.utc))
    clr = sign_credential(unsigned, clr_key)
    errors = validate_clr(clr)
    assert errors and errors[0].startswith("credentialSubject/verifiableCredential"), errors
    refused = await client.post(f"{API}/credentials", json=clr, headers=bearer(token))
    assert_imsx(refused, 400, "invalid_data")
    assert "CLR 2.0 schema" in refused.json()["imsx_description"]
    assert (await db.execute(select(HeldCredential))).scalars().all() == []
    verdict = await client.post("/api/v1/clr/verify", json=clr)
    assert verdict.status_code == 200, verdict.text
    assert not verdict.json()["verified"] and verdict.json()["schema_errors"]
