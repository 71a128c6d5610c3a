"""Test set-up that `make test` runs first: reports what the suite can use, prepares PostgreSQL.

``python tests/setup_env.py --postgres URL`` exits 0 when the server answers (creating the database if
needed) and 1 when it does not.
"""

from __future__ import annotations

import asyncio
import shutil
import sys


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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
