"""RFC 7591 dynamic client registration for the OB 3.0 API: check the client metadata, store the client
with its secret hashed, answer the registration response (the only time the secret is shown)."""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.oauth import urls
from accounts.oauth.models import OAuthClient


AUTH_METHODS = ("client_secret_basic", "client_secret_post")


class RegistrationError(ValueError):
    """An RFC 7591 section 3.2.2 error: ``code`` is ``invalid_redirect_uri`` or ``invalid_client_metadata``."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# A plain host[:port]: the consent page names this origin in its Content-Security-Policy, so nothing
# else (user info, spaces, semicolons) may ride along.
ORIGIN = re.compile(r"[a-z0-9.-]+(:[0-9]{1,5})?", re.IGNORECASE)


def _redirect_ok(uri: Any) -> bool:
    if not isinstance(uri, str) or len(uri) > 500 or "#" in uri or any(c.isspace() for c in uri):
        return False
    parts = urlsplit(uri)
    if not ORIGIN.fullmatch(parts.netloc):
        return False
    # Plain http only for the loopback (native apps, RFC 8252); everything else must be https.
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"))


def _text(body: dict, name: str, *, required: bool, limit: int) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise RegistrationError("invalid_client_metadata", f"{name} is required and must be a short string")
    return value


# Where the digest of the client's RFC 7592 registration access token lives: the client's JSON column,
# never echoed (``client_information`` leaves it out).
TOKEN_KEY = "registration_token_hash"


def client_metadata(body: Any) -> dict[str, Any]:
    """The columns of a client from its RFC 7591 metadata (registration and RFC 7592 update alike);
    RegistrationError when any field is wrong."""
    if not isinstance(body, dict):
        raise RegistrationError("invalid_client_metadata", "the body must be a JSON object")
    redirect_uris = body.get("redirect_uris")
    if not isinstance(redirect_uris, list) or not redirect_uris or not all(map(_redirect_ok, redirect_uris)):
        raise RegistrationError("invalid_redirect_uri", "redirect_uris must be https (or loopback http) URLs")
    scope = body.get("scope", " ".join(urls.SCOPES))
    if not isinstance(scope, str) or not scope.split() or not set(scope.split()) <= set(urls.ALL_SCOPES):
        raise RegistrationError("invalid_client_metadata", "scope must name Open Badges 3.0 or CLR 2.0 scopes only")
    for field in ("grant_types", "response_types"):
        if field in body and not isinstance(body[field], list):
            raise RegistrationError("invalid_client_metadata", f"{field} must be a list")
    if not set(body.get("grant_types", ["authorization_code"])) <= {"authorization_code", "refresh_token"}:
        raise RegistrationError("invalid_client_metadata", "only authorization_code and refresh_token grants")
    if body.get("response_types", ["code"]) != ["code"]:
        raise RegistrationError("invalid_client_metadata", "only the code response type")
    auth_method = body.get("token_endpoint_auth_method", "client_secret_basic")
    if auth_method not in AUTH_METHODS:
        raise RegistrationError("invalid_client_metadata",
                                "token_endpoint_auth_method must be client_secret_basic or client_secret_post")
    fields = {name: _text(body, name, required=name in ("client_name", "client_uri"), limit=limit)
              for name, limit in (("client_name", 200), ("client_uri", 500), ("logo_uri", 500),
                                  ("tos_uri", 500), ("policy_uri", 500))}
    extra = {key: body[key] for key in ("software_id", "software_version", "contacts") if key in body}
    extra["token_endpoint_auth_method"] = auth_method
    return {"redirect_uris": redirect_uris, "scope": " ".join(scope.split()), "metadata_json": extra,
            **fields}


def client_information(client: OAuthClient) -> dict[str, Any]:
    """The client's registered metadata as RFC 7591 section 3.2.1 answers it, without any secret."""
    fields = {name: getattr(client, name) for name in ("client_name", "client_uri", "logo_uri", "tos_uri",
                                                        "policy_uri")}
    extra = {k: v for k, v in client.metadata_json.items() if k != TOKEN_KEY}
    return {"client_id": client.client_id, "client_id_issued_at": int(client.created_at.timestamp()),
            "client_secret_expires_at": 0,
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "redirect_uris": client.redirect_uris, "scope": client.scope,
            **{k: v for k, v in fields.items() if v is not None}, **extra}


def configuration_uri(base_url: str, client_id: str) -> str:
    return base_url.rstrip("/") + urls.REGISTER_PATH + "/" + client_id


def new_registration_token(client: OAuthClient, base_url: str) -> dict[str, str]:
    """A new RFC 7592 registration access token for the client (the previous one stops working) and
    where to use it; only the digest is kept."""
    token = secrets.token_urlsafe(32)
    client.metadata_json = {**client.metadata_json, TOKEN_KEY: sha256_hex(token)}
    return {"registration_access_token": token,
            "registration_client_uri": configuration_uri(base_url, client.client_id)}


async def register(db: AsyncSession, body: Any, base_url: str) -> dict[str, Any]:
    """Register a client from its metadata; nothing is stored when any field is wrong. The answer is the
    only one that shows the client secret; its registration access token (RFC 7592) opens the client's
    configuration endpoint."""
    columns = client_metadata(body)
    client_secret = secrets.token_urlsafe(32)
    client = OAuthClient(client_id=secrets.token_urlsafe(24), secret_hash=sha256_hex(client_secret),
                         **columns)
    registration = new_registration_token(client, base_url)
    db.add(client)
    await db.flush()
    return {**client_information(client), "client_secret": client_secret, **registration}
