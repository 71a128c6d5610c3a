"""Canonical N-Quads and SHA-256 hashes of JSON-LD documents (fast path; pyld kept as reference)."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from typing import Any

from credentials.vc.errors import ContextRefused, JsonLdError
from credentials.vc.jsonld_rdf import to_quads
from credentials.vc.rdfc import canonicalize_quads

_CONFIG_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CONFIG_CACHE_SIZE = 1024


def canonicalize(document: Any) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document, in safe mode (see jsonld_rdf)."""
    try:
        return canonicalize_quads(to_quads(document))
    except (JsonLdError, ContextRefused):
        raise
    except RecursionError:
        raise JsonLdError("document nesting too deep") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise JsonLdError(f"invalid JSON-LD: {exc}") from None


def canonicalize_pyld(document: Any) -> str:
    """Reference canonicalization with pyld (URDNA2015) over the bundled contexts; used by tests."""
    from pyld import jsonld

    from credentials.vc.loader import document_loader

    return jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                       "documentLoader": document_loader})


def sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def document_hash(document: Any) -> bytes:
    """SHA-256 of the canonical form of a document."""
    return sha256(canonicalize(document))


def config_hash(proof_config: dict) -> bytes:
    """SHA-256 of a canonical proof configuration, cached: one per (created, method, suite, context)."""
    key = json.dumps(proof_config, sort_keys=True, separators=(",", ":"))
    hit = _CONFIG_CACHE.get(key)
    if hit is not None:
        _CONFIG_CACHE.move_to_end(key)
        return hit
    digest = document_hash(proof_config)
    _CONFIG_CACHE[key] = digest
    if len(_CONFIG_CACHE) > _CONFIG_CACHE_SIZE:
        _CONFIG_CACHE.popitem(last=False)
    return digest
