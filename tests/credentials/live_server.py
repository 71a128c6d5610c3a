"""A real ``skillpass serve`` on the test database for third-party clients (Node wallets): the test
secrets (so issuer keys decrypt), a data dir of the test's own, and a wait until /health answers."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@asynccontextmanager
async def serve_live(settings, data_dir: Path, *, port: int, base_url: str) -> AsyncIterator[str]:
    """Serve on 127.0.0.1:``port`` with ``base_url`` written into what it signs; yields the URL to call."""
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": settings.database_url, "SKILLPASS_ENVIRONMENT": "test",
           "SKILLPASS_SECRET_KEY": settings.secret_key, "SKILLPASS_MASTER_KEY": settings.master_key,
           "SKILLPASS_BASE_URL": base_url, "SKILLPASS_DATA_DIR": str(data_dir), "SKILLPASS_WARM_MODELS": "false",
           "SKILLPASS_LOG_LEVEL": "WARNING"}
    log_path = data_dir / "server.log"
    log = log_path.open("wb")
    server = subprocess.Popen([sys.executable, "-m", "skillpass", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=log, stderr=log)
    try:
        async with httpx.AsyncClient(base_url=url, timeout=2.0) as probe:
            for _ in range(600):
                try:
                    if (await probe.get("/health")).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.05)
            else:
                raise AssertionError(log_path.read_text()[-3000:])
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
