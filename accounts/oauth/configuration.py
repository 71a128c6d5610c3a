"""RFC 7592 client configuration endpoint (``/oauth/ob/register/{client_id}``) on authlib's
``ClientConfigurationEndpoint``: a client reads (GET), replaces (PUT) or deletes (DELETE) its registration
with the registration access token it got when it registered.

authlib runs the protocol (which fields a PUT may not carry, the ``client_id`` and ``client_secret``
checks, 204 on delete); we add storage. The registration access token is kept only as its SHA-256 digest
in the client's JSON column, so a read or an update cannot echo it: each one answers a new token and the
old one stops working (RFC 7592 section 2.1 lets the server rotate it; the client keeps the newest).
The rotation is one conditional UPDATE on the old digest, made as the token is checked: of two requests
with the same token at once only one rotates it, the other answers 401 as an old token would (without
it both would answer a new token, and the later write would silently void the earlier one). A refused
request's transaction rolls back, so it does not rotate the token.
A PUT is checked by the registration's own rules (``registration.client_metadata``). A delete removes the
client with its codes and tokens, so its refresh tokens stop working at once.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6750 import InvalidTokenError
from authlib.oauth2.rfc7591 import InvalidClientMetadataError, InvalidRedirectURIError
from authlib.oauth2.rfc7592 import ClientConfigurationEndpoint
from sqlalchemy import delete, update
from sqlalchemy.orm.attributes import set_committed_value

from accounts.oauth.models import OAuthClient, OAuthCode, OAuthToken
from accounts.oauth.registration import (TOKEN_KEY, RegistrationError, client_information, client_metadata,
                                         configuration_uri, sha256_hex)


@dataclass(frozen=True)
class RegistrationToken:
    """A registration access token that matched the stored digest of the client it was issued to."""

    client_id: str

    def check_client(self, client: OAuthClient) -> bool:
        return self.client_id == client.client_id


def _bearer(headers: Any) -> str:
    scheme, _, token = (headers.get("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class ClientConfiguration(ClientConfigurationEndpoint):
    """authlib's RFC 7592 endpoint with this platform's storage; ``base_url`` names the endpoint's URI."""

    def __init__(self, server=None, base_url: str = "") -> None:
        super().__init__(server)
        self.base_url = base_url
        self.issued: dict[str, str] = {}  # the new token of this request, once claimed

    def _client(self, request) -> OAuthClient | None:
        client_id = urlsplit(request.uri).path.rstrip("/").rsplit("/", 1)[-1]
        return self.server.query_client(client_id)

    def authenticate_token(self, request) -> RegistrationToken:
        # An unknown client, a missing token and another client's token all answer the same 401
        # (RFC 7592 section 3: RFC 6750 errors), so the answer tells nothing about which clients exist.
        client, token = self._client(request), _bearer(request.headers)
        stored = client.metadata_json.get(TOKEN_KEY, "") if client is not None else ""
        if not token or not stored or not hmac.compare_digest(sha256_hex(token), stored):
            raise InvalidTokenError("The registration access token is not valid for this client.")
        self._rotate(client, stored)
        return RegistrationToken(client.client_id)

    def _rotate(self, client: OAuthClient, stored: str) -> None:
        # Only while the row still holds the digest we checked: a concurrent request with the same token
        # waits for our row lock (PostgreSQL) or the write lock (SQLite), then matches no row.
        token = secrets.token_urlsafe(32)
        rotated = {**client.metadata_json, TOKEN_KEY: sha256_hex(token)}
        result = self.server.session.execute(
            update(OAuthClient)
            .where(OAuthClient.client_id == client.client_id,
                   OAuthClient.metadata_json[TOKEN_KEY].as_string() == stored)
            .values(metadata_json=rotated).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise InvalidTokenError("The registration access token is not valid for this client.")
        set_committed_value(client, "metadata_json", rotated)
        self.issued = {"registration_access_token": token,
                       "registration_client_uri": configuration_uri(self.base_url, client.client_id)}

    def authenticate_client(self, request) -> OAuthClient | None:
        return self._client(request)

    def revoke_access_token(self, *args: Any) -> None:
        # authlib calls this when the token is valid but its client is gone; here the token is the
        # client's own column, so it went with the client.
        return None

    def check_permission(self, client: OAuthClient, request) -> bool:
        return True  # every registered client may manage its own registration

    def extract_client_metadata(self, request) -> dict[str, Any]:
        body = {k: v for k, v in request.payload.data.items() if k not in ("client_id", "client_secret")}
        try:
            return client_metadata(body)
        except RegistrationError as error:
            if error.code == "invalid_redirect_uri":
                raise InvalidRedirectURIError(error.description) from None
            raise InvalidClientMetadataError(error.description) from None

    def update_client(self, client: OAuthClient, client_metadata: dict[str, Any], request) -> OAuthClient:
        # A PUT replaces the registration (RFC 7592 section 2.2): fields left out go back to their defaults.
        token_hash = client.metadata_json.get(TOKEN_KEY)
        for name, value in client_metadata.items():
            setattr(client, name, value)
        client.metadata_json = {**client.metadata_json, TOKEN_KEY: token_hash}
        self.server.session.flush()
        return client

    def delete_client(self, client: OAuthClient, request) -> None:
        session = self.server.session
        for table in (OAuthToken, OAuthCode):
            session.execute(delete(table).where(table.client_id == client.client_id))
        session.execute(delete(OAuthClient).where(OAuthClient.client_id == client.client_id))

    def introspect_client(self, client: OAuthClient) -> dict[str, Any]:
        return client_information(client)

    def generate_client_registration_info(self, client: OAuthClient, request) -> dict[str, str]:
        return self.issued  # rotated when the token was checked (authenticate_token)

    def get_server_metadata(self) -> dict[str, Any]:
        return {}

