"""Routes of the trust registry: our signed trusted-issuer list (public) and the imported registries
(platform administrators)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.settings import Settings
from credentials.trust.service import TrustService

TRUST_LIST_PATH = "/.well-known/skillpass-trust-list.json"


async def provide_trust(db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> TrustService:
    return TrustService(db_session, settings)


@get(TRUST_LIST_PATH, media_type="application/vc+ld+json", tags=["credentials: public"], **access.public(),
     dependencies={"trust": Provide(provide_trust)})
async def published_trust_list(trust: NamedDependency[TrustService]) -> Response:
    """The platform's verified organisations as a trust list signed by the platform (TrustedIssuerList)."""
    return Response(await trust.published_list(), media_type="application/vc+ld+json",
                    headers={"Cache-Control": "public, max-age=300"})


@get("/api/v1/admin/trust/registries", tags=["admin"], **access.admin(),
     dependencies={"trust": Provide(provide_trust)})
async def list_registries(trust: NamedDependency[TrustService]) -> list[dict]:
    """The imported trust registries: name, kind, entry count, when imported and until when valid."""
    return [{"name": r.name, "kind": r.kind, "source": r.source, "pinned": r.pinned, "entry_count": r.entry_count,
             "imported_at": r.imported_at.isoformat() if r.imported_at else None,
             "valid_until": r.valid_until.isoformat() if r.valid_until else None}
            for r in await trust.registries()]


handlers = [published_trust_list, list_registries]
