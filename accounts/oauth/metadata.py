"""RFC 8414 authorization server metadata of the OB 3.0 / CLR 2.0 APIs' OAuth 2.0 server.

OB 3.0's discovery document names the registration, authorization and token URLs but not the revocation
endpoint, so a client (another platform's Service Consumer, or ours) finds it here. The origin's root
``/.well-known/oauth-authorization-server`` belongs to the OpenID4VCI issuer's pre-authorized-code server
(``credentials.oid4vci``), so this server's issuer has a path, ``/oauth/ob``, and its metadata sits at the
path-inserted address RFC 8414 section 3.1 gives: ``/.well-known/oauth-authorization-server/oauth/ob``."""

from __future__ import annotations

from typing import Any

from accounts.oauth import urls
from accounts.oauth.server import CLIENT_AUTH

ISSUER_PATH = "/oauth/ob"
METADATA_PATH = "/.well-known/oauth-authorization-server" + ISSUER_PATH


def server_metadata(base_url: str) -> dict[str, Any]:
    base = base_url.rstrip("/")
    return {
        "issuer": base + ISSUER_PATH,
        "authorization_endpoint": base + urls.AUTHORIZE_PATH,
        "token_endpoint": base + urls.TOKEN_PATH,
        "registration_endpoint": base + urls.REGISTER_PATH,
        "revocation_endpoint": base + urls.REVOKE_PATH,
        "scopes_supported": list(urls.ALL_SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": list(CLIENT_AUTH),
        "revocation_endpoint_auth_methods_supported": list(CLIENT_AUTH),
        "service_documentation": base + "/ims/ob/v3p0/discovery",
        "ui_locales_supported": ["ja", "en"],
    }
