"""Talking to another OB 3.0 Host: its Service Description Document, RFC 7591 registration, the
authorization URL with PKCE, the token exchange and the API calls. OAuth is authlib's client
(``AsyncOAuth2Client``); every request goes through ``guard.GuardedTransport``. Nothing here touches
the database: a Host's failure is a ``HostError`` with a ``code`` the pages word in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from authlib.integrations.base_client import InvalidTokenError, MissingTokenError, OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client

from accounts.oauth import urls
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials.ob_consumer.guard import Refused, TooBig, check_url, transport

DISCOVERY_PATH = "/ims/ob/v3p0/discovery"
WANTED_SCOPES = (urls.CREDENTIAL_UPSERT, urls.CREDENTIAL_READ, urls.PROFILE_READ)
NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class HostError(DomainError):
    """The Host could not be reached, or answered something we cannot use; ``code`` says which."""

    status_code = 502
    title = "Bad gateway"
    type_slug = "ob-host-error"

    def __init__(self, detail: str, *, code: str) -> None:
        super().__init__(detail, extra={"code": code})
        self.code = code


@dataclass(frozen=True)
class Description:
    """What the Service Description Document tells a consumer."""

    name: str
    api_url: str
    registration_url: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]


@asynccontextmanager
async def calling(settings: Settings, **oauth: Any) -> AsyncIterator[AsyncOAuth2Client]:
    """An authlib client on the guarded transport; transport failures become ``HostError``s."""
    client = AsyncOAuth2Client(transport=transport(settings), timeout=settings.ob_consumer_timeout,
                               follow_redirects=False, trust_env=False, **oauth)
    try:
        async with client:
            yield client
    except Refused as exc:
        raise HostError(str(exc), code="refused") from exc
    except TooBig as exc:
        raise HostError(str(exc), code="too_large") from exc
    except httpx.TimeoutException as exc:
        raise HostError("The Host did not answer in time.", code="timeout") from exc
    except (OAuthError, InvalidTokenError, MissingTokenError) as exc:
        raise HostError(f"The Host refused the authorization: {getattr(exc, 'error', '') or exc}",
                        code="authorization") from exc
    except httpx.HTTPError as exc:
        raise HostError("The Host could not be reached.", code="unreachable") from exc


def _json(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise HostError(f"The Host's {what} is not JSON.", code="invalid_answer") from exc


def _url(value: Any, settings: Settings, what: str) -> str:
    if not isinstance(value, str):
        raise HostError(f"The Host's discovery document gives no {what}.", code="invalid_discovery")
    try:
        return check_url(value, allow_loopback=settings.ob_consumer_allow_http_loopback)
    except Refused as exc:
        raise HostError(f"The Host's {what} is refused: {exc}", code="invalid_discovery") from exc


def _obj(value: Any) -> dict:
    """``value`` when it is a JSON object, else an empty one (a Host's junk never raises here)."""
    return value if isinstance(value, dict) else {}


def parse_description(document: Any, settings: Settings) -> Description:
    """Validate a Service Description Document: an OAuth 2.0 authorization code scheme with the
    registration, authorization and token URLs, offering every scope we ask for, and an API server."""
    if not isinstance(document, dict):
        raise HostError("The Host's discovery document is not a JSON object.", code="invalid_discovery")
    schemes = _obj(_obj(document.get("components")).get("securitySchemes"))
    found = None
    for scheme in schemes.values():
        if not isinstance(scheme, dict) or scheme.get("type") != "oauth2":
            continue
        flow = _obj(scheme.get("flows")).get("authorizationCode")
        if isinstance(flow, dict):
            found = (scheme, flow)
            break
    if found is None:
        raise HostError("The Host's discovery document has no OAuth 2.0 authorization code scheme.",
                        code="invalid_discovery")
    scheme, flow = found
    offered = tuple(flow.get("scopes") or {}) if isinstance(flow.get("scopes"), dict) else ()
    missing = [s for s in WANTED_SCOPES if s not in offered]
    if missing:
        raise HostError("The Host does not offer the scopes skillpass needs: " + ", ".join(missing),
                        code="scopes")
    servers = document.get("servers")
    first = servers[0] if isinstance(servers, list) and servers else None
    api = first.get("url") if isinstance(first, dict) else None
    info = _obj(document.get("info"))
    return Description(name=str(info.get("title") or "")[:200],
                       api_url=_url(api, settings, "API address").rstrip("/"),
                       registration_url=_url(scheme.get("x-imssf-registrationUrl"), settings,
                                             "registration URL"),
                       authorize_url=_url(flow.get("authorizationUrl"), settings, "authorization URL"),
                       token_url=_url(flow.get("tokenUrl"), settings, "token URL"), scopes=offered)


async def describe(settings: Settings, host_url: str) -> Description:
    """getServiceDescription: ``GET <host>/ims/ob/v3p0/discovery``, validated."""
    async with calling(settings) as client:
        answer = await client.request("GET", host_url + DISCOVERY_PATH, withhold_token=True,
                                  headers={"Accept": "application/json"})
    if answer.status_code != 200:
        raise HostError(f"The Host's discovery document answered {answer.status_code}.",
                        code="invalid_discovery")
    return parse_description(_json(answer, "discovery document"), settings)


async def revocation_url(settings: Settings, host_url: str, token_url: str) -> str | None:
    """RFC 7009's endpoint: the ``revocation_endpoint`` of the Host's RFC 8414 metadata when it serves
    one whose token endpoint is the one OB discovery named — at the path-inserted address for an issuer
    with the token URL's path (``/oauth/ob`` for ``/oauth/ob/token``: skillpass's), then at the origin's
    root; OB 3.0's discovery names none, so otherwise the ``revoke`` beside a ``…/token`` URL (the
    convention of authlib-based Hosts), on the same origin; else none."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(host_url))
    issuer_path = urlsplit(token_url).path.rsplit("/", 1)[0]
    addresses = [origin + "/.well-known/oauth-authorization-server" + issuer_path] if issuer_path else []
    for address in addresses + [origin + "/.well-known/oauth-authorization-server"]:
        try:
            async with calling(settings) as client:
                answer = await client.request("GET", address, withhold_token=True)
            metadata = answer.json() if answer.status_code == 200 else {}
        except (HostError, ValueError):
            continue
        endpoint = metadata.get("revocation_endpoint") if isinstance(metadata, dict) else None
        if isinstance(endpoint, str) and metadata.get("token_endpoint") == token_url:
            return _url(endpoint, settings, "revocation URL")
    if token_url.endswith("/token"):
        return token_url[: -len("/token")] + "/revoke"
    return None


async def register(settings: Settings, description: Description, callback: str) -> dict[str, str]:
    """RFC 7591 dynamic client registration; the client id and secret."""
    body = {"client_name": "skillpass", "client_uri": settings.base_url.rstrip("/") + "/",
            "redirect_uris": [callback], "scope": " ".join(WANTED_SCOPES),
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic"}
    async with calling(settings) as client:
        answer = await client.request("POST", description.registration_url, json=body, withhold_token=True)
    registered = _json(answer, "registration answer")
    if answer.status_code not in (200, 201) or not isinstance(registered, dict):
        error = registered.get("error") if isinstance(registered, dict) else None
        said = f" {error}" if isinstance(error, str) else ""
        raise HostError(f"The Host refused the registration ({answer.status_code}{said[:100]}).",
                        code="registration")
    client_id, secret = registered.get("client_id"), registered.get("client_secret")
    if not isinstance(client_id, str) or not client_id or not isinstance(secret, str) or not secret:
        raise HostError("The Host's registration answer has no client id and secret.", code="registration")
    return {"client_id": client_id[:500], "client_secret": secret}


def authorization_request(description: Description, client_id: str, callback: str, state: str,
                          verifier: str) -> str:
    """The authorization URL the learner's browser goes to (PKCE S256, our state)."""
    client = AsyncOAuth2Client(client_id=client_id, scope=" ".join(WANTED_SCOPES), redirect_uri=callback,
                               code_challenge_method="S256")
    url, _ = client.create_authorization_url(description.authorize_url, state=state, code_verifier=verifier)
    return url


async def exchange(settings: Settings, *, token_url: str, client_id: str, client_secret: str, callback: str,
                   code: str, verifier: str) -> dict[str, Any]:
    """The authorization code (with the PKCE verifier) for a token pair."""
    async with calling(settings, client_id=client_id, client_secret=client_secret, redirect_uri=callback,
                       token_endpoint_auth_method="client_secret_basic") as client:
        token = await client.fetch_token(token_url, code=code, code_verifier=verifier)
    if not token.get("access_token"):
        raise HostError("The Host's token answer has no access token.", code="authorization")
    return dict(token)


def api_client_options(*, client_id: str, client_secret: str, token: dict[str, Any], token_url: str,
                       on_refresh: Callable[..., Awaitable[None]]) -> dict[str, Any]:
    """Options of an authlib client that refreshes an expired access token by itself (``on_refresh``
    keeps the new pair)."""
    return {"client_id": client_id, "client_secret": client_secret, "token": token,
            "token_endpoint": token_url, "token_endpoint_auth_method": "client_secret_basic",
            "update_token": on_refresh, "leeway": 30}


def status_info(response: httpx.Response) -> str:
    """The Host's words for a refusal: ``imsx_description`` (or code minor) of its Imsx_StatusInfo."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return f"HTTP {response.status_code}"
    minor = _obj(body.get("imsx_codeMinor")).get("imsx_codeMinorField")
    field = minor[0] if isinstance(minor, list) and minor else None
    value = field.get("imsx_codeMinorFieldValue") if isinstance(field, dict) else None
    text = body.get("imsx_description") or value or body.get("error_description") or body.get("error")
    return f"HTTP {response.status_code}" + (f": {str(text)[:300]}" if text else "")


def next_offset(response: httpx.Response) -> int | None:
    """The offset of the ``rel="next"`` page the Host's Link header names, if any."""
    match = NEXT.search(response.headers.get("link", ""))
    if not match:
        return None
    values = parse_qs(urlsplit(match.group(1)).query).get("offset")
    try:
        return int(values[0]) if values else None
    except ValueError:
        return None


def check_code(value: str, what: str) -> str:
    if not value or len(value) > 2000:
        raise InvalidInput(f"The {what} is missing.", field=what)
    return value
