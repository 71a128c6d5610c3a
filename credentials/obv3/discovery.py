"""The OB 3.0 Service Description Document (getServiceDescription): 1EdTech's OpenAPI, filled for this server."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from accounts.oauth import urls
from core.settings import Settings

HERE = Path(__file__).parent
API_PREFIX = "/ims/ob/v3p0"


@lru_cache(maxsize=1)
def bundled_openapi() -> dict[str, Any]:
    return json.loads((HERE / "openapi.json").read_text(encoding="utf-8"))


def service_description(settings: Settings) -> dict[str, Any]:
    """The bundled OpenAPI with the ``x-imssf-*`` fields, the server URL and the OAuth 2.0 URLs of this
    server; a copy, so the cached original stays 1EdTech's text."""
    base = settings.base_url.rstrip("/")
    doc = copy.deepcopy(bundled_openapi())
    doc["info"].update({
        "title": "skillpass",
        "termsOfService": f"{base}/terms",
        "x-imssf-privacyPolicyUrl": f"{base}/privacy",
        "x-imssf-image": f"{base}/static/favicon.svg",
    })
    doc["servers"] = [{"url": base + API_PREFIX, "description": "skillpass Open Badges 3.0 Host"}]
    scheme = doc["components"]["securitySchemes"]["OAuth2ACG"]
    scheme["x-imssf-registrationUrl"] = base + urls.REGISTER_PATH
    scheme["description"] = "OAuth 2.0 Authorization Code Grant with PKCE (S256), RFC 7591 client registration"
    flow = scheme["flows"]["authorizationCode"]
    flow.update({"authorizationUrl": base + urls.AUTHORIZE_PATH, "tokenUrl": base + urls.TOKEN_PATH,
                 "refreshUrl": base + urls.TOKEN_PATH})
    return doc
