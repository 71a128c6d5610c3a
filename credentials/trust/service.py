"""The trust registry on the database: which issuers are trusted (our verified organisations with
every DID they have held, the platform, imported registries), imports and refreshes of registries,
and the signed list of our own trusted issuers.

Registries are read from files (or, when ``settings.trust_registry_fetch`` is on, downloaded by
``refresh``); nothing here is fetched while answering a request.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization
from core.db import utcnow
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.issuers import IssuerService, did_web, key_did, may_issue
from credentials.models import Issuer, IssuerKey
from credentials.trust.dcc import parse_dcc
from credentials.trust.errors import RegistryFormatError
from credentials.trust.evaluate import SKILLPASS, Trust, TrustEntry, evaluate, issuer_of, kind_of
from credentials.trust.models import TrustRegistry, TrustRegistryEntry
from credentials.trust.trustlist import build_trust_list, read_trust_list

MAX_FETCH_BYTES = 5_000_000
FETCH_TIMEOUT_S = 10.0
PUBLISHED_DAYS = 30
RESIGN_AFTER = timedelta(days=1)
PLATFORM_NAMES = ("skillpass", "skillpass")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# Signed published lists by content: re-signed when the trusted issuers or the key change, or daily.
_published: dict[str, tuple[datetime, dict]] = {}


def _utc(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)


def _parse_until(document: dict) -> datetime | None:
    try:
        return _utc(datetime.fromisoformat(str(document["validUntil"]).replace("Z", "+00:00")))
    except (KeyError, ValueError):
        return None


class TrustService:
    """Trust entries and registries on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self._entries: list[TrustEntry] | None = None

    async def entries(self) -> list[TrustEntry]:
        """Every known issuer, most authoritative first: ours (platform, organisations), then registries."""
        if self._entries is None:
            self._entries = [*await self._own_entries(), *await self._registry_entries()]
        return self._entries

    async def _own_entries(self) -> list[TrustEntry]:
        issuers = list((await self.session.execute(select(Issuer))).scalars())
        keys = list((await self.session.execute(select(IssuerKey).order_by(IssuerKey.created_at))).scalars())
        owners = [i.org_id for i in issuers if i.org_id is not None]
        orgs = {o.id: o for o in (await self.session.execute(
            select(Organization).where(Organization.id.in_(owners)))).scalars()} if owners else {}
        entries: list[TrustEntry] = []
        for issuer in sorted(issuers, key=lambda i: i.org_id is not None):
            dids = [issuer.did, did_web(self.settings, issuer.slug),
                    *(key_did(k) for k in keys if k.issuer_id == issuer.id)]
            if issuer.org_id is None:
                entries.extend(TrustEntry(did, *PLATFORM_NAMES, SKILLPASS, state="platform")
                               for did in dict.fromkeys(dids))
                continue
            org = orgs.get(issuer.org_id)
            if org is None:
                continue
            state = getattr(org, "verification_state", None) or "unverified"
            card = {"id": str(org.id), "slug": org.slug, "name_ja": org.name_ja, "name_en": org.name_en}
            # A non-provider's issuer only signs endorsements (credentials.issuers.may_issue): say so.
            scope = () if may_issue(org) else ("endorsement",)
            entries.extend(TrustEntry(did, org.name_ja, org.name_en, SKILLPASS, trusted=state == "verified",
                                      state=state, org=card, url=org.url, scope=scope)
                           for did in dict.fromkeys(dids))
        return entries

    async def _registry_entries(self) -> list[TrustEntry]:
        now = utcnow()
        rows = await self.session.execute(
            select(TrustRegistryEntry, TrustRegistry).join(TrustRegistry)
            .order_by(TrustRegistry.name, TrustRegistryEntry.did))
        # An expired signed list vouches for nobody until it is refreshed.
        return [TrustEntry(e.did, e.name_ja, e.name_en, r.name, state="listed", scope=tuple(e.scope or ()),
                           url=e.url)
                for e, r in rows.all() if _utc(r.valid_until) is None or _utc(r.valid_until) > now]

    async def evaluate(self, credential: dict) -> Trust:
        """The trust verdict for one credential (a presentation's credentials are evaluated one by one)."""
        did, names = issuer_of(credential)
        return evaluate(did, names, await self.entries(), kind_of(credential))

    async def registries(self) -> list[TrustRegistry]:
        return list((await self.session.execute(select(TrustRegistry).order_by(TrustRegistry.name))).scalars())

    async def import_dcc(self, name: str, path_or_bytes: str | Path | bytes, *, source: str | None = None) -> TrustRegistry:
        """Replace the registry ``name`` by the issuers of a DCC legacy registry file."""
        data, source = _read(path_or_bytes, source)
        entries = parse_dcc(data, _registry_name(name))
        return await self._replace(name, "dcc", source, None, None, entries)

    async def import_trust_list(self, name: str, data: str | Path | bytes | dict, pinned: str, *,
                                source: str | None = None) -> TrustRegistry:
        """Replace the registry ``name`` by the issuers of a signed trust list from the pinned operator."""
        if isinstance(data, dict):
            document, source = data, source or "(document)"
        else:
            raw, source = _read(data, source)
            try:
                document = json.loads(raw)
            except ValueError as exc:
                raise RegistryFormatError(f"The trust list is not JSON: {exc}", field="file") from None
        resolver = await IssuerService(self.session, self.settings).resolver()
        entries = read_trust_list(document, pinned, registry=_registry_name(name), resolver=resolver)
        return await self._replace(name, "trust-list", source, pinned, _parse_until(document), entries)

    async def _replace(self, name: str, kind: str, source: str, pinned: str | None, valid_until: datetime | None,
                       entries: list[TrustEntry]) -> TrustRegistry:
        async with self.session.begin_nested():
            found = await self.session.execute(select(TrustRegistry).where(TrustRegistry.name == name))
            registry = found.scalar_one_or_none()
            if registry is None:
                registry = TrustRegistry(name=name, kind=kind, source=source)
                self.session.add(registry)
                await self.session.flush()
            else:
                await self.session.execute(delete(TrustRegistryEntry).where(TrustRegistryEntry.registry_id == registry.id))
            registry.kind, registry.source, registry.pinned = kind, source, pinned
            registry.valid_until, registry.imported_at, registry.entry_count = valid_until, utcnow(), len(entries)
            self.session.add_all(TrustRegistryEntry(registry_id=registry.id, did=e.did, name_ja=e.name_ja[:500],
                                                    name_en=e.name_en[:500], url=e.url, scope=list(e.scope))
                                 for e in entries)
            await self.session.flush()
        self._entries = None
        return registry

    async def refresh(self, name: str | None = None) -> list[TrustRegistry]:
        """Re-read each registry (or the one named) from its recorded source; a bad source changes nothing."""
        registries = [r for r in await self.registries() if name is None or r.name == name]
        if name is not None and not registries:
            raise NotFound(f"No trust registry named {name!r}.")
        done = []
        for registry in registries:
            data = await self._fetch(registry.source)
            if registry.kind == "dcc":
                done.append(await self.import_dcc(registry.name, data, source=registry.source))
            else:
                done.append(await self.import_trust_list(registry.name, data, registry.pinned or "",
                                                         source=registry.source))
        return done

    async def _fetch(self, source: str) -> bytes:
        parts = urlsplit(source)
        if parts.scheme not in ("http", "https"):
            return _read(source, source)[0]
        if not self.settings.trust_registry_fetch:
            raise InvalidInput(f"{source} is a URL and downloading registries is off "
                               "(SKILLPASS_TRUST_REGISTRY_FETCH=true turns it on).", field="source")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK:
            raise InvalidInput(f"{source}: registries are downloaded over https only.", field="source")
        return await download(source)

    async def published_list(self) -> dict:
        """Our verified organisations' issuer DIDs and names as a trust list signed by the platform."""
        listed = [e for e in await self.entries() if e.registry == SKILLPASS and e.trusted and e.state == "verified"]
        issuers = IssuerService(self.session, self.settings)
        key, method = await issuers.signing_key(await issuers.platform())
        digest = hashlib.sha256(json.dumps([method, self.settings.base_url, *[
            (e.did, e.name_ja, e.name_en, e.url) for e in listed]], ensure_ascii=False).encode()).hexdigest()
        now = utcnow()
        hit = _published.get(digest)
        if hit is not None and now - hit[0] < RESIGN_AFTER:
            return hit[1]
        document = build_trust_list(listed, key, method, now, now + timedelta(days=PUBLISHED_DAYS),
                                    name="skillpass verified organisations")
        _published.clear()
        _published[digest] = (now, document)
        return document


def _registry_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("A registry needs a name (up to 200 characters).", field="name")
    return name


def _read(path_or_bytes: str | Path | bytes, source: str | None) -> tuple[bytes, str]:
    if isinstance(path_or_bytes, bytes):
        return path_or_bytes, source or "(upload)"
    path = Path(path_or_bytes)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FETCH_BYTES + 1)
    except OSError as exc:
        raise RegistryFormatError(f"Cannot read {path}: {exc.strerror or exc}", field="file") from None
    if len(data) > MAX_FETCH_BYTES:
        raise RegistryFormatError(f"{path} is larger than {MAX_FETCH_BYTES} bytes.", field="file")
    return data, source or str(path.resolve())


async def download(url: str) -> bytes:
    """GET a registry file: short timeout, no redirects, at most MAX_FETCH_BYTES."""
    import httpx

    try:
        async with httpx.AsyncClient(timeout=httpx.Timeout(FETCH_TIMEOUT_S), follow_redirects=False) as client:
            async with client.stream("GET", url, headers={"Accept": "application/json"}) as response:
                if response.status_code != 200:
                    raise RegistryFormatError(f"GET {url} returned HTTP {response.status_code}.", field="source")
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_FETCH_BYTES:
                        raise RegistryFormatError(f"{url} is larger than {MAX_FETCH_BYTES} bytes.", field="source")
                    chunks.append(chunk)
                return b"".join(chunks)
    except httpx.HTTPError as exc:
        raise RegistryFormatError(f"Cannot download {url}: {exc}", field="source") from None


__all__ = ["TrustService", "download"]
