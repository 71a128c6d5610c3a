"""Which Hosts skillpass may call, and the transport every call goes through (SSRF guard).

A Host's base URL must be https and its name must resolve only to public addresses; with
``SKILLPASS_OB_CONSUMER_ALLOW_HTTP_LOOPBACK`` (tests, a Host on the same machine) http and loopback
addresses pass too, private and link-local ones never. The check runs at every request, in the
transport, and the request connects to the very address that was checked (a name that turns into
169.254.169.254 between two calls is refused, not followed). Redirects are never followed, the
environment's proxies are ignored, and an answer larger than ``SKILLPASS_OB_CONSUMER_MAX_BYTES`` is
dropped unread.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from core.errors import InvalidInput
from core.settings import Settings
from credentials.webhooks.addresses import LOCAL_NAMES, LOCAL_SUFFIXES, is_public, lookup

MAX_URL = 2000


class Refused(Exception):
    """A URL or address skillpass must not call."""


class TooBig(Exception):
    """The Host's answer is larger than the cap."""


def _address_allowed(address: str, allow_loopback: bool) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return is_public(ip) or (allow_loopback and ip.is_loopback)


def check_url(url: str, *, allow_loopback: bool) -> str:
    """The URL's form, before any look-up: https (http only to loopback when allowed), a host name
    that can be public, no user name or password. Raises ``Refused``."""
    parts = urlsplit(url)
    try:
        parts.port
    except ValueError as exc:
        raise Refused("This is not a valid URL.") from exc
    host = (parts.hostname or "").lower().rstrip(".")
    if not host or parts.username or parts.password or len(url) > MAX_URL:
        raise Refused("Give the Host's https address, without user name or password.")
    loopback_name = host in LOCAL_NAMES[:1] or _is_loopback_literal(host)
    if parts.scheme != "https" and not (parts.scheme == "http" and allow_loopback and loopback_name):
        raise Refused("The Host's address must use https.")
    if loopback_name:
        if not allow_loopback:
            raise Refused("The Host's address is not public.")
        return url
    if host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES) or ("." not in host and ":" not in host):
        raise Refused("The Host must have a public name.")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        return url
    if not _address_allowed(str(literal), allow_loopback):
        raise Refused("The Host's address is not public.")
    return url


def _is_loopback_literal(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_base_url(text: str, *, allow_loopback: bool) -> str:
    """A learner's typed Host address as a base URL (scheme, host, port, path; no query), or a 422."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Give the address of the Open Badges Host.", field="host_url")
    parts = urlsplit(text)
    if parts.query or parts.fragment:
        raise InvalidInput("Give the Host's address without ? or #.", field="host_url")
    try:
        check_url(text, allow_loopback=allow_loopback)
    except Refused as exc:
        raise InvalidInput(str(exc), field="host_url") from exc
    path = parts.path.rstrip("/")
    for suffix in ("/ims/ob/v3p0/discovery", "/ims/ob/v3p0"):  # a pasted discovery or API URL
        if path.endswith(suffix):
            path = path[: -len(suffix)]
    return f"{parts.scheme}://{parts.netloc.lower()}{path}"


class GuardedTransport(httpx.AsyncBaseTransport):
    """Checks and pins every request's address, and caps the answer's size."""

    def __init__(self, *, allow_loopback: bool, max_bytes: int) -> None:
        self.allow_loopback = allow_loopback
        self.max_bytes = max_bytes
        self._inner = httpx.AsyncHTTPTransport(trust_env=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        check_url(url, allow_loopback=self.allow_loopback)
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            addresses = await lookup(host, port)
        except (OSError, UnicodeError, ValueError) as exc:
            raise Refused("The Host's name does not resolve.") from exc
        if not addresses or not all(_address_allowed(a, self.allow_loopback) for a in addresses):
            raise Refused("The Host's name resolves to an address that is not public.")
        extensions = dict(request.extensions)
        if request.url.scheme == "https":
            extensions["sni_hostname"] = host
        headers = httpx.Headers(request.headers)
        headers["Accept-Encoding"] = "identity"  # the cap counts what we decode, not a compressed bomb
        pinned = httpx.Request(request.method, request.url.copy_with(host=addresses[0]), headers=headers,
                               stream=request.stream, extensions=extensions)
        answer = await self._inner.handle_async_request(pinned)
        body = bytearray()
        try:
            async for chunk in answer.stream:
                body.extend(chunk)
                if len(body) > self.max_bytes:
                    raise TooBig(f"The Host's answer is larger than {self.max_bytes} bytes.")
        finally:
            await answer.aclose()
        return httpx.Response(answer.status_code, headers=answer.headers, content=bytes(body),
                              extensions=answer.extensions, request=request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def transport(settings: Settings) -> GuardedTransport:
    return GuardedTransport(allow_loopback=settings.ob_consumer_allow_http_loopback,
                            max_bytes=settings.ob_consumer_max_bytes)
