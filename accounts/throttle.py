"""Sign-in rate limiting: failed attempts per (email, client address) within a time window."""

from __future__ import annotations

import hashlib

from litestar.stores.base import Store

from core.errors import RateLimited


class LoginThrottle:
    """Counts failures in a Litestar store (the database-backed store in the app)."""

    def __init__(self, store: Store, attempts: int, window_seconds: int) -> None:
        self.store = store
        self.attempts = attempts
        self.window = window_seconds

    @staticmethod
    def _key(email: str, client: str) -> str:
        return hashlib.sha256(f"{email.strip().lower()}|{client}".encode()).hexdigest()

    async def check(self, email: str, client: str) -> None:
        raw = await self.store.get(self._key(email, client))
        if raw is not None and int(raw) >= self.attempts:
            raise RateLimited("Too many failed sign-in attempts. Try again in a few minutes.",
                              extra={"retry_after": self.window})

    async def failed(self, email: str, client: str) -> None:
        key = self._key(email, client)
        raw = await self.store.get(key)
        await self.store.set(key, str(int(raw or 0) + 1), expires_in=self.window)

    async def succeeded(self, email: str, client: str) -> None:
        await self.store.delete(self._key(email, client))
