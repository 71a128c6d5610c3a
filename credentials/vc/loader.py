"""Bundled JSON-LD contexts and an offline document loader: unknown URLs are refused, never fetched."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from credentials.vc.errors import ContextRefused

DATA_DIR = Path(__file__).parent / "data"
CONTEXTS_DIR = DATA_DIR / "contexts"


@lru_cache(maxsize=1)
def context_files() -> dict[str, str]:
    """Map of context URL -> bundled file name."""
    return json.loads((CONTEXTS_DIR / "contexts.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _load(url: str) -> Any:
    return json.loads((CONTEXTS_DIR / context_files()[url]).read_text(encoding="utf-8"))


def is_bundled(url: str) -> bool:
    """True when url names a bundled context."""
    return url in context_files()


def get_context(url: str) -> Any:
    """Return the parsed bundled context document for url (shared object: do not mutate)."""
    if not isinstance(url, str) or url not in context_files():
        raise ContextRefused(f"refusing to load JSON-LD context {url!r}: not a bundled context (no network access)")
    return _load(url)


def document_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader over the bundled contexts only.

    The 'static' tag lets pyld keep resolved contexts in its shared cache across calls.
    """
    try:
        document = get_context(url)
    except ContextRefused as exc:
        from pyld.jsonld import JsonLdError as PyldError

        raise PyldError(str(exc), "jsonld.LoadDocumentError", {"url": url}, code="loading document failed") from exc
    return {"contextUrl": None, "documentUrl": url, "document": document, "tag": "static"}
