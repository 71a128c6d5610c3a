"""Helpers of the page tests: sign in, CSRF tokens for forms, a provider that issues credentials,
and the two shapes a page can answer with (full page, or the htmx fragment)."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.db import utcnow
from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.issuance import IssuanceService, IssueRequest
from credentials.models import IssuedCredential
from tests.conftest import TEST_PASSWORD, sign_up, verify_org

HTML = {"accept": "text/html"}
PROVIDER_SLUG = "test-academy"
ACHIEVEMENT = {
    "name_ja": "Python バックエンド API 実践", "name_en": "Back-end APIs in Python",
    "description_ja": "Python で Web API を設計・実装・テストできる。",
    "description_en": "Designs, builds and tests web APIs in Python.",
    "criteria_ja": "最終課題に合格", "criteria_en": "Passed the final project",
    "alignments": [{"skill_id": "v2-backend", "level": "b"}, {"skill_id": "v2-web-app-basics", "level": "c"}],
}


def htmx(target: str) -> dict[str, str]:
    """Headers htmx sends when it swaps the element with id ``target``."""
    return {"hx-request": "true", "hx-target": target, **HTML}


def assert_full_page(response) -> None:
    assert response.status_code == 200, response.text[:500]
    assert "<html" in response.text and "</html>" in response.text


def assert_fragment(response, status: int = 200) -> None:
    assert response.status_code == status, response.text[:500]
    assert "<html" not in response.text and "<body" not in response.text
    assert response.text.strip(), "empty fragment"


async def csrf_token(client: AsyncTestClient) -> str:
    """The CSRF token a form carries (any page sets the cookie)."""
    if not client.cookies.get("skillpass_csrf"):
        await client.get("/signin", headers=HTML)
    return client.cookies.get("skillpass_csrf", "")


async def learner(client: AsyncTestClient, email: str = "hanako@example.jp", lang: str = "en") -> None:
    """Sign up (which signs in) a learner; the language cookie follows the account's language."""
    await sign_up(client, email, name="山田 花子" if lang == "ja" else "Hanako Yamada", lang=lang)
    client.cookies.set("lang", lang)


async def issue_badges(db: AsyncSession, settings: Settings, email: str,
                       formats: tuple[str, ...] = ("ldp",), *, verified: bool = True) -> list[IssuedCredential]:
    """A provider (verified by a platform admin unless ``verified`` is false) issues one credential per
    format to ``email`` (delivered to that person's wallet)."""
    accounts = AccountService(db)
    org = await accounts.org_by_slug(PROVIDER_SLUG)
    if org is None:
        admin = await accounts.sign_up("admin@test-academy.example.jp", TEST_PASSWORD, "Admin", "ja")
        admin.email_confirmed_at = utcnow()  # arranged, as for a demo account: not what is tested here
        org = await accounts.create_org("provider", PROVIDER_SLUG, "テストアカデミー", "Test Academy", admin_id=admin.id)
        if verified:
            await db.flush()
            await verify_org(db, org.id)
    achievement = await AchievementService(db, settings).create(org.id, dict(ACHIEVEMENT))
    issued = [await IssuanceService(db, settings).issue(
        org.id, IssueRequest(achievement_id=achievement.id, recipient_email=email, recipient_name="Hanako",
                             format=fmt, lang="en")) for fmt in formats]
    await db.commit()
    return issued


async def held_ids(client: AsyncTestClient) -> list[str]:
    response = await client.get("/api/v1/me/credentials")
    assert response.status_code == 200, response.text
    return [h["id"] for h in response.json()]


def form(token: str, **fields: Any) -> dict[str, Any]:
    return {"_csrf_token": token, **fields}
