"""Fixtures of the credentials tests: a provider with an API key, achievements, and the test settings."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from tests.conftest import create_api_key, create_org, csrf_headers, sign_up, verify_org_through_app

SKILL = "v2-data-engineering"
ACHIEVEMENT = {
    "name_ja": "データエンジニアリング基礎", "name_en": "Data Engineering Foundations",
    "description_ja": "データ基盤の設計と運用の基礎を修了しました。",
    "description_en": "Completed the foundations of designing and running data platforms.",
    "criteria_ja": "全12回の講義と最終課題に合格すること。", "criteria_en": "Pass all 12 sessions and the final project.",
    "image": "https://example.jp/badges/data-eng.png",
    "alignments": [{"skill_id": SKILL, "level": "b"}, {"skill_id": "v2-machine-learning", "level": "c"}],
}


async def new_provider(client, slug: str = "tda", *, verified: bool = True, name_ja: str | None = None,
                       name_en: str | None = None) -> dict[str, Any]:
    """A provider organization (its admin stays signed in) with an API key; ``verified`` (the default)
    has a platform admin approve it, so that its credentials are trusted."""
    await sign_up(client, f"admin@{slug}.example.jp")
    if name_ja or name_en:
        response = await client.post("/api/v1/orgs", headers=await csrf_headers(client), json={
            "kind": "provider", "slug": slug, "name_ja": name_ja or slug, "name_en": name_en or slug})
        assert response.status_code == 201, response.text
        org = response.json()
    else:
        org = await create_org(client, "provider", slug)
    if verified:
        await verify_org_through_app(client, org["id"])
    key = await create_api_key(client, org["id"])
    return {"id": org["id"], "slug": slug, "key": key, "headers": {"x-api-key": key},
            "base": f"/api/v1/orgs/{org['id']}"}


async def api_headers(client, provider: dict[str, Any], **extra: str) -> dict[str, str]:
    """The provider's API key, plus the CSRF token whenever the client holds cookies (a signed-in admin)."""
    csrf = await csrf_headers(client) if client.cookies else {}
    return {**provider["headers"], **csrf, **extra}


async def new_achievement(client, provider: dict[str, Any], **changes: Any) -> dict[str, Any]:
    response = await client.post(f"{provider['base']}/achievements", headers=await api_headers(client, provider),
                                 json={**ACHIEVEMENT, **changes})
    assert response.status_code == 201, response.text
    return response.json()


async def issue(client, provider: dict[str, Any], achievement_id: str, email: str = "learner@example.jp",
                key: str | None = None, **changes: Any):
    headers = await api_headers(client, provider, **{"Idempotency-Key": key or str(uuid.uuid4())})
    return await client.post(f"{provider['base']}/credentials", headers=headers,
                             json={"achievement_id": achievement_id, "recipient_email": email, **changes})


async def provider_in_db(db: AsyncSession, slug: str = "db-provider"):
    org = await AccountService(db).create_org("provider", slug, f"{slug} 株式会社", slug, admin_id=None)
    await db.commit()
    return org


__all__ = ["ACHIEVEMENT", "SKILL", "api_headers", "csrf_headers", "issue", "new_achievement", "new_provider", "provider_in_db"]
