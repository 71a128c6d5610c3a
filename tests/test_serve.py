"""``skillpass serve``: without SKILLPASS_BASE_URL the links follow --host/--port, a base URL on this machine
but another port is warned about, and the ready line comes once the server answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import re

import httpx
import pytest

from skillpass.serving import base_url_for, base_url_mismatch, listen_url

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def migrated_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    for command in (["db", "upgrade"], ["demo", "load"]):  # the demo learner makes a share link below
        subprocess.run([sys.executable, "-m", "skillpass", *command], cwd=ROOT, env=_env(folder, None),
                       check=True, capture_output=True, timeout=300)
    return folder


def _env(folder: Path, base_url: str | None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SKILLPASS_")}
    env.update({"DATABASE_URL": f"sqlite+aiosqlite:///{folder}/skillpass.db", "SKILLPASS_DATA_DIR": str(folder),
                "SKILLPASS_ENVIRONMENT": "development", "SKILLPASS_WARM_MODELS": "false",
                "SKILLPASS_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"})
    if base_url:
        env["SKILLPASS_BASE_URL"] = base_url
    return env


@contextmanager
def served(folder: Path, port: int, base_url: str | None) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run ``skillpass serve --port``; yield its first stdout line (read as it is printed) and the process."""
    server = subprocess.Popen([sys.executable, "-m", "skillpass", "serve", "--port", str(port)], cwd=ROOT,
                              env=_env(folder, base_url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield server.stdout.readline(), server
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_links_follow_the_port_served_on_when_no_base_url_is_set(migrated_folder) -> None:
    port = _free_port()
    with served(migrated_folder, port, None) as (ready, server):
        assert ready.strip() == f"skillpass ready on http://127.0.0.1:{port}/"
        # printed once it listens: the very next request is answered
        metadata = httpx.get(f"http://127.0.0.1:{port}/.well-known/openid-credential-issuer", timeout=5).json()
    assert metadata["credential_issuer"] == f"http://127.0.0.1:{port}"
    assert metadata["credential_endpoint"].startswith(f"http://127.0.0.1:{port}/")
    assert "warning" not in server.stderr.read()


def test_a_share_link_made_on_the_served_port_points_at_it(migrated_folder) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    browser = httpx.Client(base_url=base, timeout=10, follow_redirects=True)
    with served(migrated_folder, port, None) as (ready, _), browser:
        assert ready.startswith("skillpass ready")
        browser.get("/signin")
        signed_in = browser.post("/signin", data={"email": "hanako@demo.skillpass.jp", "password": "skillpass-demo",
                                                  "_csrf_token": browser.cookies["skillpass_csrf"]})
        assert signed_in.status_code == 200 and signed_in.url.path == "/wallet"
        created = browser.post("/wallet/share", data={"label": "port check", "parts": "skills", "days": "7",
                                                      "_csrf_token": browser.cookies["skillpass_csrf"]})
        link = re.search(r'id="new-share-url"[^>]*value="([^"]+)"', created.text).group(1)
        assert link.startswith(f"{base}/s/")
        assert httpx.get(link, timeout=10).status_code == 200  # the link a recipient gets reaches this server


def test_a_base_url_on_this_machine_but_another_port_is_warned_about(migrated_folder) -> None:
    port = _free_port()
    with served(migrated_folder, port, "http://127.0.0.1:8000") as (ready, server):
        assert ready.startswith(f"skillpass ready on http://127.0.0.1:{port}/")
        assert "links use http://127.0.0.1:8000" in ready
        metadata = httpx.get(f"http://127.0.0.1:{port}/.well-known/openid-credential-issuer", timeout=5).json()
    assert metadata["credential_issuer"] == "http://127.0.0.1:8000"  # a set base URL is kept, only warned about
    warning = server.stderr.read()
    assert "SKILLPASS_BASE_URL=http://127.0.0.1:8000 points at port 8000" in warning
    assert f"listens on http://127.0.0.1:{port}" in warning


def test_a_base_url_on_another_host_is_a_proxy_and_not_questioned() -> None:
    assert base_url_mismatch("https://skillpass.example.jp", "127.0.0.1", 8000) is None
    assert base_url_mismatch("http://localhost:8000/", "127.0.0.1", 8000) is None
    assert base_url_mismatch("http://localhost", "127.0.0.1", 8000) is not None  # port 80 is not 8000
    assert base_url_for("0.0.0.0", 18100, {}) == ("http://127.0.0.1:18100", None)
    assert base_url_for("::1", 18100, {"SKILLPASS_BASE_URL": " "}) == ("http://[::1]:18100", None)
    assert listen_url("192.168.1.20", 9000) == "http://192.168.1.20:9000"
