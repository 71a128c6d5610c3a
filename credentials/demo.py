"""Demo data: issuers for the demo providers, their achievements aligned to DSS ver.2.0, badges
for the demo learners (one of them revoked). Idempotent: achievements are found by name, credentials
are issued with fixed Idempotency-Keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.issuance import IssuanceService, IssueRequest
from credentials.issuers import IssuerService
from credentials.models import Achievement

ACHIEVEMENTS = {
    "tokyo-digital-academy": [
        ("web", "Webアプリケーション開発基礎", "Web Application Development Foundations",
         [("v2-web-app-basics", "b"), ("v2-frontend", "c"), ("v2-backend", "c")]),
        ("cloud", "クラウドインフラ実践", "Cloud Infrastructure in Practice",
         [("v2-cloud-infrastructure", "b"), ("v2-sre", "c")]),
        ("security", "セキュア開発入門", "Introduction to Secure Development",
         [("v2-secure-design", "c"), ("v2-privacy", "d")]),
        ("pm", "DXプロジェクトマネジメント", "DX Project Management",
         [("v2-program-project-management", "b"), ("v2-change-management", "c")]),
    ],
    "kansai-data-school": [
        ("ds", "データサイエンス基礎", "Data Science Foundations",
         [("v2-math-stats-visualization", "b"), ("v2-machine-learning", "c")]),
        ("de", "データエンジニアリング実践", "Data Engineering in Practice",
         [("v2-data-engineering", "b"), ("v2-data-platform", "c")]),
        ("ai", "生成AI活用と AI ガバナンス", "Applying Generative AI with AI Governance",
         [("v2-ai-implementation-operations", "c"), ("v2-data-ai-governance", "c")]),
    ],
    # unverified (see skillpass/demo.py): its badge verifies but its issuer is not recognised
    "shinjuku-coding-dojo": [
        ("python", "Python入門ブートキャンプ", "Python Bootcamp for Beginners",
         [("v2-backend", "d"), ("v2-web-app-basics", "d")]),
    ],
}

# (provider slug, achievement key, learner email, lang, revoked)
AWARDS = [
    ("tokyo-digital-academy", "web", "hanako@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "cloud", "hanako@demo.skillpass.jp", "ja", False),
    ("kansai-data-school", "ds", "hanako@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "security", "taro@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "pm", "taro@demo.skillpass.jp", "ja", True),
    ("kansai-data-school", "de", "emily@demo.skillpass.jp", "en", False),
    ("kansai-data-school", "ai", "emily@demo.skillpass.jp", "en", False),
    ("kansai-data-school", "ds", "kenji@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "web", "kenji@demo.skillpass.jp", "ja", False),
    # the unverified dojo's badge waits in Emily's wallet as an offer until the dojo is verified
    ("shinjuku-coding-dojo", "python", "emily@demo.skillpass.jp", "en", False),
]


async def _achievement(service: AchievementService, org: Organization, key: str) -> Achievement:
    _, name_ja, name_en, alignments = next(a for a in ACHIEVEMENTS[org.slug] if a[0] == key)
    found = await service.session.execute(
        select(Achievement).where(Achievement.org_id == org.id, Achievement.name_en == name_en))
    existing = found.scalars().first()
    if existing is not None:
        return existing
    return await service.create(org.id, {
        "name_ja": name_ja, "name_en": name_en,
        "description_ja": f"{org.name_ja}の講座「{name_ja}」を修了し、課題に合格しました。",
        "description_en": f"Completed the {org.name_en} course \"{name_en}\" and passed its assessment.",
        "criteria_ja": "全講義への出席と最終課題の合格。", "criteria_en": "Attend every session and pass the final project.",
        "achievement_type": "Course",
        "alignments": [{"skill_id": s, "level": lv} for s, lv in alignments],
    })


async def load(session: AsyncSession, people: dict[str, Person], orgs: dict[str, Organization],
               settings: Settings | None = None) -> None:
    """Create what is missing; running it twice changes nothing (settings: the CLI's when not given)."""
    if settings is None:
        from core.settings import get_settings

        settings = get_settings()
    achievements = AchievementService(session, settings)
    issuance = IssuanceService(session, settings)
    for slug, items in ACHIEVEMENTS.items():
        await IssuerService(session, settings).for_org(orgs[slug].id)
        for key, *_ in items:
            await _achievement(achievements, orgs[slug], key)
    for slug, key, email, lang, revoked in AWARDS:
        org = orgs[slug]
        achievement = await _achievement(achievements, org, key)
        person = people[email]
        request = IssueRequest(achievement_id=achievement.id, recipient_email=email,
                               recipient_name=person.display_name, lang=lang, suspendable=False)
        credential = await issuance.issue_once(org.id, request, f"demo:{slug}:{key}:{email}")
        if revoked and credential.state != "revoked":
            await issuance.change_state(org.id, credential.id, "revoke", "デモ: 受講記録の誤りにより失効")
