"""What the OB 3.0 Service Consumer tests share: an app with the consumer on, signing in through the API,
and a tiny real HTTP server standing in for a Host that answers junk (it counts the requests it got)."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator

from tests.conftest import TEST_PASSWORD, csrf_headers

BASE = "/wallet/settings/ob-hosts"


def consumer_settings(settings, **changes):
    return settings.model_copy(update={"ob_consumer_enabled": True, "ob_consumer_allow_http_loopback": True,
                                       **changes})


async def sign_in(client, email: str) -> None:
    client.cookies.clear()
    answer = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                               json={"email": email, "password": TEST_PASSWORD})
    assert answer.status_code == 200, answer.text


async def form(client, path: str, data: dict) -> object:
    """A form post as the browser sends it (the session's CSRF token as the hidden field)."""
    token = (await csrf_headers(client))["x-csrftoken"]
    return await client.post(path, data={**data, "_csrf_token": token})


@dataclass
class FakeHost:
    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def junk_host(body: bytes | dict | Callable[[str], dict] = b"not json", *, status: int = 200, delay: float = 0.0,
              content_type: str = "application/json") -> Iterator[FakeHost]:
    """A real HTTP server on 127.0.0.1, in a thread of its own (the test client runs the app on another
    event loop and blocks this one), answering every request with ``body`` (a function of the server's
    URL: a document naming its own addresses)."""
    host = FakeHost("")
    payload = b""

    class Answer(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            host.requests.append(self.requestline)
            if delay:
                time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host.url = f"http://127.0.0.1:{server.server_address[1]}"
    answer = body(host.url) if callable(body) else body
    payload = json.dumps(answer).encode() if isinstance(answer, dict) else answer
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()
