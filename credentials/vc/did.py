"""DID / controller-document resolution: did:key offline, did:web and https documents via a local
registry, an offline documents map, or (opt-in) HTTPS with short timeouts and a cache."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any, Callable
from urllib.parse import unquote

from credentials.vc.errors import KeyError_, ResolutionError
from credentials.vc.keys import PublicKey, did_key_document, public_key_from_method

MAX_DOCUMENT_BYTES = 1_000_000
HTTP_TIMEOUT_S = 3.0
CACHE_TTL_S = 300.0

Fetcher = Callable[[str], Any]


@lru_cache(maxsize=1024)
def _did_key_document(did: str) -> dict:
    """did:key documents are pure functions of the DID: cache them (callers never mutate them)."""
    return did_key_document(did)


def did_web_url(did: str) -> str:
    """The HTTPS URL of a did:web DID document."""
    parts = did.split(":")
    if len(parts) < 3 or parts[0] != "did" or parts[1] != "web" or not parts[2]:
        raise ResolutionError(f"invalid did:web identifier {did!r}")
    host = unquote(parts[2])
    if "/" in host or "@" in host:
        raise ResolutionError(f"invalid did:web host in {did!r}")
    path = "/".join(unquote(p) for p in parts[3:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


class HttpFetcher:
    """GET JSON over HTTPS with short timeouts, a size cap and a small TTL cache (opt-in network)."""

    def __init__(self, timeout: float = HTTP_TIMEOUT_S, ttl: float = CACHE_TTL_S, client: Any = None) -> None:
        self.timeout = timeout
        self.ttl = ttl
        self.client = client
        self.cache: dict[str, tuple[float, Any]] = {}

    def __call__(self, url: str) -> Any:
        hit = self.cache.get(url)
        if hit and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        if not url.startswith("https://"):
            raise ResolutionError(f"refusing to fetch non-HTTPS URL {url!r}")
        import httpx

        try:
            client = self.client or httpx.Client(timeout=httpx.Timeout(self.timeout), follow_redirects=False)
            response = client.get(url, headers={"Accept": "application/did+json, application/json"})
            if response.status_code != 200:
                raise ResolutionError(f"GET {url} returned HTTP {response.status_code}")
            if len(response.content) > MAX_DOCUMENT_BYTES:
                raise ResolutionError(f"document at {url} is too large")
            document = json.loads(response.content)
        except ResolutionError:
            raise
        except Exception as exc:  # network errors, timeouts, bad JSON
            raise ResolutionError(f"could not fetch {url}: {exc}") from None
        self.cache[url] = (time.monotonic(), document)
        return document


class Resolver:
    """Resolves DIDs, controller documents and status list credentials.

    Order: did:key (computed) -> the registry (the platform's own issuers) -> the documents map
    (URL -> parsed JSON, for offline verification) -> the HTTP fetcher if one is configured.
    """

    def __init__(self, *, registry: dict[str, Any] | None = None, documents: dict[str, Any] | None = None,
                 fetcher: Fetcher | None = None) -> None:
        self.registry: dict[str, Any] = dict(registry or {})
        self.documents: dict[str, Any] = dict(documents or {})
        self.fetcher = fetcher

    def register(self, url: str, document: Any) -> None:
        """Add a document (a DID document of one of our issuers, a status list) to the local registry."""
        self.registry[url] = document

    def fetch(self, url: str) -> Any:
        """Return the JSON document for url (no fragment), or raise ResolutionError."""
        if not isinstance(url, str) or not url:
            raise ResolutionError("empty URL")
        if url.startswith("did:key:"):
            try:
                return _did_key_document(url)
            except KeyError_ as exc:
                raise ResolutionError(f"cannot resolve {url}: {exc}") from None
        for source in (self.registry, self.documents):
            if url in source:
                return source[url]
        if self.fetcher is None:
            raise ResolutionError(f"cannot resolve {url!r}: not in the local registry or documents map "
                                  "(network resolution is off)")
        target = did_web_url(url) if url.startswith("did:web:") else url
        if not (target.startswith("https://")):
            raise ResolutionError(f"cannot resolve {url!r}: unsupported DID method or URL scheme")
        return self.fetcher(target)

    def verification_method(self, vm_id: str, purpose: str) -> tuple[dict, PublicKey, str]:
        """Find vm_id, check that its controller authorises it for purpose; return (method, key, controller)."""
        if not isinstance(vm_id, str) or not vm_id:
            raise ResolutionError("proof has no verificationMethod")
        base = vm_id.split("#", 1)[0]
        document = self.fetch(base)
        if not isinstance(document, dict):
            raise ResolutionError(f"document for {base} is not a JSON object")
        method = _find_method(document, vm_id)
        if method is None and document.get("id") == vm_id:
            method = document
        if method is None:
            raise ResolutionError(f"verification method {vm_id} not found in {base}")
        controller_id = method.get("controller")
        if not isinstance(controller_id, str):
            raise ResolutionError(f"verification method {vm_id} has no controller")
        controller = document if document.get("id") == controller_id else self.fetch(controller_id.split("#")[0])
        if not isinstance(controller, dict) or controller.get("id") != controller_id:
            raise ResolutionError(f"controller document {controller_id} does not match the verification method")
        if not _authorises(controller, vm_id, purpose):
            raise ResolutionError(f"verification method {vm_id} is not authorised for {purpose} by {controller_id}")
        try:
            key = public_key_from_method(method)
        except KeyError_ as exc:
            raise ResolutionError(str(exc)) from None
        return method, key, controller_id


def _absolute(ref: str, doc_id: str) -> str:
    return doc_id + ref if ref.startswith("#") else ref


def _find_method(document: dict, vm_id: str) -> dict | None:
    doc_id = document.get("id", "")
    for rel in ("verificationMethod", "assertionMethod", "authentication", "capabilityInvocation",
                "capabilityDelegation", "publicKey"):
        entries = document.get(rel)
        for entry in entries if isinstance(entries, list) else [entries] if entries else []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and _absolute(entry["id"], doc_id) == vm_id:
                return {**entry, "id": vm_id, "controller": _absolute(entry.get("controller", doc_id), doc_id)}
    return None


def _authorises(controller: dict, vm_id: str, purpose: str) -> bool:
    doc_id = controller.get("id", "")
    entries = controller.get(purpose)
    for entry in entries if isinstance(entries, list) else [entries] if entries else []:
        ref = entry.get("id") if isinstance(entry, dict) else entry
        if isinstance(ref, str) and _absolute(ref, doc_id) == vm_id:
            return True
    return False


def load_documents_map(path: str) -> dict[str, Any]:
    """Read a URL -> file map (like interop-fixtures/documents.json); paths are relative to the map file."""
    from pathlib import Path

    map_path = Path(path)
    mapping = json.loads(map_path.read_text(encoding="utf-8"))
    documents: dict[str, Any] = {}
    for url, file in mapping.items():
        if url.startswith("$") or not isinstance(file, str):
            continue
        documents[url] = json.loads((map_path.parent / file).read_text(encoding="utf-8"))
    return documents
