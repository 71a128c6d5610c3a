"""Test set-up that `make test` runs first: reports what the suite can use, prepares PostgreSQL.

``python tests/setup_env.py --postgres URL`` exits 0 when the server answers (creating the database if
needed) and 1 when it does not.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "node"


async def ensure_database(url: str) -> None:
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    base, _, name = dsn.rpartition("/")
    admin = await asyncpg.connect(base + "/postgres", timeout=5)
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def install_node_client() -> None:
    """Test-only: the third-party OpenID4VCI client (tests/node, exact versions from package-lock.json)."""
    npm = shutil.which("npm")
    if shutil.which("node") is None or npm is None:
        print("node for the third-party wallet tests: missing (they skip)")
        return
    if not (NODE_DIR / "node_modules" / ".package-lock.json").exists():
        subprocess.run([npm, "ci", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"], check=True)
    print(f"node for the third-party wallet tests: found ({NODE_DIR / 'node_modules'})")


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--postgres":
        try:
            asyncio.run(ensure_database(argv[1]))
        except Exception as exc:  # noqa: BLE001 - any failure means PostgreSQL is not usable
            print(f"PostgreSQL not usable: {exc}")
            return 1
        return 0
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    print(f"chromium for browser tests: {'found' if shutil.which('chromium') else 'missing (browser tests skip)'}"
          f" ({chromium})")
    install_node_client()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
