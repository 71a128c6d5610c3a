"""Key/value stores for server-side sessions and sign-in throttling.

On PostgreSQL: advanced-alchemy's database store, shared by every server process and kept across
restarts. On SQLite: Litestar's file store under the data directory, because SQLite allows one writer
at a time and the session is saved while the request's own transaction may still hold the write lock.
"""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from advanced_alchemy.extensions.litestar.store import SQLAlchemyStore, StoreModelMixin
from litestar.stores.base import Store
from litestar.stores.file import FileStore

from core.settings import Settings


class StoreItem(StoreModelMixin):
    __tablename__ = "kv_store"


def make_store(settings: Settings, config: SQLAlchemyAsyncConfig, namespace: str) -> Store:
    if settings.is_sqlite:
        return FileStore(path=settings.data_dir / "store" / namespace, create_directories=True)
    return SQLAlchemyStore(config, model=StoreItem, namespace=namespace)
