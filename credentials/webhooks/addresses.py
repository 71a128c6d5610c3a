"""Where a webhook may be sent: https URLs whose host resolves only to public addresses (SSRF guard).

An endpoint URL is checked when it is saved and again at every delivery, and the delivery connects to
the very address that was checked (``pin``), so a name that resolves to a public address when saved and
to 169.254.169.254 later (DNS rebinding) is refused instead of followed. With
``SKILLPASS_WEBHOOKS_ALLOW_PRIVATE=true`` (tests, a local receiver) http and private addresses pass.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.errors import InvalidInput

MAX_URL = 2000
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")


class AddressRefused(Exception):
    """The URL's host is, or resolves to, an address a webhook must not reach."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to."""

    url: str
    host: str
    port: int
    address: str

    def pinned_url(self) -> str:
        """The URL with the checked address in place of the host name (the Host header keeps the name)."""
        parts = urlsplit(self.url)
        address = f"[{self.address}]" if ":" in self.address else self.address
        return parts._replace(netloc=f"{address}:{self.port}").geturl()

    def host_header(self) -> str:
        default = 443 if self.url.startswith("https:") else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


def check_url(url: str, *, allow_private: bool) -> str:
    """The URL's form (no DNS): https (http only with ``allow_private``), a host, no credentials."""
    url = (url or "").strip()
    if not url or len(url) > MAX_URL:
        raise InvalidInput("Give the endpoint's https URL.", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput("This is not a valid URL.", field="url") from exc
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise InvalidInput("The endpoint URL must use https.", field="url")
    if not parts.hostname or parts.username or parts.password:
        raise InvalidInput("Give a host name, without user name or password.", field="url")
    if port == 0:
        raise InvalidInput("This is not a valid URL.", field="url")
    try:
        refuse_host(parts.hostname, allow_private=allow_private)
    except AddressRefused as exc:
        raise InvalidInput(str(exc), field="url") from exc
    return url


def refuse_host(host: str, *, allow_private: bool) -> None:
    """Refuse local names and non-public literal addresses before any look-up."""
    if allow_private:
        return
    name = host.lower().rstrip(".")
    if name in LOCAL_NAMES or name.endswith(LOCAL_SUFFIXES) or "." not in name and ":" not in name:
        raise AddressRefused("The endpoint must be a public host name.")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return
    if not is_public(address):
        raise AddressRefused("The endpoint's address is not public.")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


async def lookup(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the system resolver)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%")[0] for info in infos]


async def resolve(url: str, *, allow_private: bool) -> Target:
    """Check the URL and look its host up; every address it resolves to must be public."""
    url = check_url(url, allow_private=allow_private)
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = await lookup(host, port)
    except (OSError, UnicodeError, ValueError) as exc:  # gaierror is an OSError; a NUL in a name ValueError
        raise AddressRefused("The endpoint's host name does not resolve.") from exc
    if not addresses:
        raise AddressRefused("The endpoint's host name does not resolve.")
    if not allow_private and not all(is_public(ipaddress.ip_address(a)) for a in addresses):
        raise AddressRefused("The endpoint's host resolves to an address that is not public.")
    return Target(url=url, host=host, port=port, address=addresses[0])


async def check_reachable(url: str, *, allow_private: bool) -> str:
    """For saving an endpoint: the form and the look-up, as a 422 on field ``url``."""
    try:
        return (await resolve(url, allow_private=allow_private)).url
    except AddressRefused as exc:
        raise InvalidInput(str(exc), field="url") from exc
