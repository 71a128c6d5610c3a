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

ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
CODE_SECONDS = 300
