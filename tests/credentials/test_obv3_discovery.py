"""OB 3.0 getServiceDescription: the served document is 1EdTech's OpenAPI, valid against the spec's own
ServiceDescriptionDocument schema, and names this server's OAuth 2.0 endpoints and scopes."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft7Validator

from accounts.oauth import urls

STANDARD = Path("/work/shared/standards/ob-v3p0-api/openapi/openapi.json")
BUNDLED = Path(__file__).resolve().parents[2] / "credentials/obv3/openapi.json"


def _sdd_validator() -> Draft7Validator:
    # The OpenAPI document is its own schema root, so "#/components/schemas/…" references resolve.
    root = json.loads(BUNDLED.read_text(encoding="utf-8"))
    return Draft7Validator({**root, "$ref": "#/components/schemas/ServiceDescriptionDocument"})


def test_bundled_openapi_is_the_standard_copy() -> None:
    if STANDARD.exists():
        assert json.loads(BUNDLED.read_text()) == json.loads(STANDARD.read_text())


async def test_discovery_names_this_server(client, settings) -> None:
    response = await client.get("/ims/ob/v3p0/discovery")
    assert response.status_code == 200
    doc = response.json()
    errors = sorted(_sdd_validator().iter_errors(doc), key=str)
    assert not errors, errors[0].message
    base = settings.base_url.rstrip("/")
    assert doc["info"]["x-imssf-privacyPolicyUrl"] == f"{base}/privacy"
    assert doc["info"]["termsOfService"] == f"{base}/terms"
    assert doc["servers"][0]["url"] == f"{base}/ims/ob/v3p0"
    scheme = doc["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["x-imssf-registrationUrl"] == base + urls.REGISTER_PATH
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == base + urls.AUTHORIZE_PATH
    assert flow["tokenUrl"] == flow["refreshUrl"] == base + urls.TOKEN_PATH
    assert set(flow["scopes"]) == set(urls.SCOPES)


def test_unfilled_document_is_not_a_valid_service_description() -> None:
    # 1EdTech's file has no x-imssf-registrationUrl / x-imssf-privacyPolicyUrl: serving it as-is would fail.
    messages = [error.message for error in _sdd_validator().iter_errors(json.loads(BUNDLED.read_text()))]
    assert any("x-imssf-registrationUrl" in message for message in messages)
    assert any("x-imssf-privacyPolicyUrl" in message for message in messages)
