"""The CLR 2.0 API's Service Description Document, derived from 1EdTech's OB 3.0 OpenAPI.

No CLR 2.0 OpenAPI file is public (see ``credentials/clr/SOURCES.md``); the CLR Standard defines the same
REST shape as OB 3.0 (getServiceDescription, getCredentials, upsertCredential, getProfile, putProfile)
under ``/ims/clr/v2p0`` with ``.../spec/clr/v2p0/scope/...`` scopes. So the document served here is the
bundled OB 3.0 OpenAPI with exactly these changes, and says so in ``info.description``: the scopes'
namespace, ``info.version`` 2.0 without the OB model identifiers, the credential type in names and texts
(OpenBadgeCredential -> ClrCredential), the request and response schemas pointing at the published CLR 2.0
ClrCredential schema, and this server's URLs.
"""

from __future__ import annotations

import json
from typing import Any

from accounts.oauth import urls
from core.settings import Settings
from credentials.obv3.discovery import bundled_openapi

API_PREFIX = "/ims/clr/v2p0"
CLR_SCHEMA_URL = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"
DERIVED = ("CLR Standard 2.0 API as served by skillpass. Derived from 1EdTech's Open Badges 3.0 OpenAPI "
           "(no CLR 2.0 OpenAPI is published): same operations and paging, CLR scopes, ClrCredential bodies "
           f"({CLR_SCHEMA_URL}).")


def _derived() -> dict[str, Any]:
    text = json.dumps(bundled_openapi())
    for old, new in (("/spec/ob/v3p0/scope/", "/spec/clr/v2p0/scope/"),
                     ("#/components/schemas/AchievementCredential\"", "#/components/schemas/ClrCredential\""),
                     ("OpenBadgeCredential", "ClrCredential"), ("AchievementCredentials", "ClrCredentials"),
                     ("Open Badges Data Model 3.0", "Comprehensive Learner Record Standard 2.0")):
        text = text.replace(old, new)
    doc = json.loads(text)
    doc["components"]["schemas"]["ClrCredential"] = {"description": "A CLR 2.0 ClrCredential.",
                                                     "$ref": CLR_SCHEMA_URL}
    doc["info"]["description"] = DERIVED
    doc["info"]["version"] = "2.0"
    for claim in ("x-model-pid", "x-service-pid", "x-status"):  # they name the OB 3.0 models
        doc["info"].pop(claim, None)
    return doc


def service_description(settings: Settings) -> dict[str, Any]:
    """The derived document with the ``x-imssf-*`` fields and this server's API and OAuth 2.0 URLs."""
    base = settings.base_url.rstrip("/")
    doc = _derived()
    doc["info"].update({
        "title": "skillpass CLR 2.0",
        "termsOfService": f"{base}/terms",
        "x-imssf-privacyPolicyUrl": f"{base}/privacy",
        "x-imssf-image": f"{base}/static/favicon.svg",
    })
    doc["servers"] = [{"url": base + API_PREFIX, "description": "skillpass CLR 2.0 API"}]
    scheme = doc["components"]["securitySchemes"]["OAuth2ACG"]
    scheme["x-imssf-registrationUrl"] = base + urls.REGISTER_PATH
    scheme["description"] = ("OAuth 2.0 Authorization Code Grant with PKCE (S256), "
                             "RFC 7591 client registration")
    scheme["flows"]["authorizationCode"].update({"authorizationUrl": base + urls.AUTHORIZE_PATH,
                                                 "tokenUrl": base + urls.TOKEN_PATH,
                                                 "refreshUrl": base + urls.TOKEN_PATH})
    return doc
