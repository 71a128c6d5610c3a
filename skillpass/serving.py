"""``skillpass serve``: the base URL follows where the server listens, and "ready" is said once it listens.

Links the platform hands out (share links, QR codes, URLs inside signed credentials, did:web ids) are built
from ``SKILLPASS_BASE_URL``. When it is not set, it becomes the address given to ``serve`` (so
``make run PORT=18100`` hands out :18100 links); when it is set and points at this machine on another port,
a warning says the links will not reach this server.
"""

from __future__ import annotations

import logging
import os
import socket
from urllib.parse import urlsplit

import click
import uvicorn
from uvicorn.supervisors import Multiprocess

BASE_URL_VARIABLE = "SKILLPASS_BASE_URL"
ANY_ADDRESS = {"0.0.0.0", "::", ""}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

log = logging.getLogger("skillpass.serve")


def listen_url(host: str, port: int) -> str:
    """The URL a browser on this machine uses for ``host:port`` (an any-address bind is reached on loopback)."""
    host = "127.0.0.1" if host in ANY_ADDRESS else host
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _effective_port(parts) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def base_url_mismatch(base_url: str, host: str, port: int) -> str | None:
    """Why ``base_url`` will not reach a server listening on ``host:port``, or None when it will (or may).

    A base URL on another host is taken to be a proxy in front of this server and is not questioned;
    one on this machine (loopback or the bound host) must name the same port.
    """
    parts = urlsplit(base_url)
    local = LOOPBACK | ({host} - ANY_ADDRESS) | ({socket.gethostname()} if host in ANY_ADDRESS else set())
    if (parts.hostname or "") not in local or _effective_port(parts) == port:
        return None
    return (f"{BASE_URL_VARIABLE}={base_url} points at port {_effective_port(parts)} of this machine, but "
            f"the server listens on {listen_url(host, port)}: share links, QR codes and credentials will not "
            "reach it. "
            f"Unset {BASE_URL_VARIABLE} to follow --host/--port, or set it to the public URL.")


def base_url_for(host: str, port: int, environ: dict[str, str]) -> tuple[str, str | None]:
    """The base URL the server will use, and the warning to give about it (if any)."""
    configured = environ.get(BASE_URL_VARIABLE, "").strip()
    if not configured:
        return listen_url(host, port), None
    return configured, base_url_mismatch(configured, host, port)


def ready_line(host: str, port: int, base_url: str) -> str:
    line = f"skillpass ready on {listen_url(host, port)}/"
    return line if base_url.rstrip("/") == listen_url(host, port) else f"{line}  (links use {base_url})"


class ReadyServer(uvicorn.Server):
    """A uvicorn server that prints the ready line once its socket listens (not before: start-up can fail)."""

    def __init__(self, config: uvicorn.Config, ready: str) -> None:
        super().__init__(config)
        self.ready = ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            click.echo(self.ready)


def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app on ``host:port`` with ``workers`` processes."""
    base_url, warning = base_url_for(host, port, dict(os.environ))
    os.environ[BASE_URL_VARIABLE] = base_url  # read by each worker's settings (get_settings)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    config = uvicorn.Config("skillpass.app:create_app", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", access_log=False)
    ready = ready_line(host, port, base_url)
    if workers > 1:
        # the supervisor binds the socket the workers share: it listens (and queues) from here on
        sock = config.bind_socket()
        click.echo(ready)
        Multiprocess(config, sockets=[sock]).run()
    else:
        ReadyServer(config, ready).run()
