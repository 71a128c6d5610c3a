"""Where the OB 3.0 API's OAuth 2.0 endpoints live and which scopes exist; the discovery document and the
routes read the same constants so they cannot disagree."""

from __future__ import annotations

AUTHORIZE_PATH = "/oauth/ob/authorize"
TOKEN_PATH = "/oauth/ob/token"
REGISTER_PATH = "/oauth/ob/register"
REVOKE_PATH = "/oauth/ob/revoke"

_SCOPE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = _SCOPE + "credential.readonly"
CREDENTIAL_UPSERT = _SCOPE + "credential.upsert"
PROFILE_READ = _SCOPE + "profile.readonly"
PROFILE_UPDATE = _SCOPE + "profile.update"
SCOPES = (CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE)
# The CLR 2.0 API (credentials.clr.host): same server and operations, its own scope namespace.
_CLR_SCOPE = "https://purl.imsglobal.org/spec/clr/v2p0/scope/"
CLR_CREDENTIAL_READ = _CLR_SCOPE + "credential.readonly"
CLR_CREDENTIAL_UPSERT = _CLR_SCOPE + "credential.upsert"
CLR_PROFILE_READ = _CLR_SCOPE + "profile.readonly"
CLR_PROFILE_UPDATE = _CLR_SCOPE + "profile.update"
CLR_SCOPES = (CLR_CREDENTIAL_READ, CLR_CREDENTIAL_UPSERT, CLR_PROFILE_READ, CLR_PROFILE_UPDATE)
ALL_SCOPES = SCOPES + CLR_SCOPES  # what a client may register and be granted

ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
CODE_SECONDS = 300
