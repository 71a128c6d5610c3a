"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 at a free port, keeping every message it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    host: str
    port: int
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)  # (from, to, raw message)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def smtp_server(*, username: str | None = None, password: str | None = None) -> Iterator[Received]:
    """Run the server for the ``with`` block; with ``username``, it demands AUTH (over plain TCP: local only)."""
    received = Received("127.0.0.1", _free_port())

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login.decode(), auth_data.password.decode()) == (
            username, password)
        if ok:
            received.logins.append((username, password))
        return AuthResult(success=ok)

    auth = {"authenticator": authenticate, "auth_required": True, "auth_require_tls": False} if username else {}
    controller = Controller(received, hostname=received.host, port=received.port, **auth)
    controller.start()
    try:
        yield received
    finally:
        controller.stop()
