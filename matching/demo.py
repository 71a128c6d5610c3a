"""Demo data of the matching domain: the course catalog of the two demo providers and three published
job postings of the demo employer ``sakura-dx`` (idempotent: existing rows are left alone)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from core.db import utcnow
from matching.catalog import DEMO_CATALOG, read_catalog_file
from matching.models import Course, JobPosting

EMPLOYER = "sakura-dx"
EMPLOYER_ADMIN = "hr@demo.skillpass.jp"

DEMO_POSTINGS = [
    {"title": "バックエンドエンジニア（自社SaaS）", "lang": "ja", "prefecture": "JP-13",
     "role_id": "se-backend",
     "description": "自社SaaSのAPI開発をお任せします。Python または Go でのサーバーサイド開発経験、"
                    "RDB の設計経験、AWS 上での運用経験を歓迎します。",
     "requirements": {"v2-backend": "b", "v2-web-app-basics": "b", "v2-software-design": "c",
                      "v2-cloud-infrastructure": "c", "v2-team-development": "c"}},
    {"title": "Data Scientist (demand forecasting)", "lang": "en", "prefecture": "JP-27",
     "role_id": "ds-data-science-professional",
     "description": "Build demand-forecasting and churn models in Python, evaluate business impact with "
                    "statistics and present results to stakeholders.",
     "requirements": {"v2-machine-learning": "b", "v2-math-stats-visualization": "b",
                      "v2-data-ai-understanding": "c", "v2-data-engineering": "d"}},
    {"title": "DX推進リーダー（業務改革）", "lang": "ja", "prefecture": "JP-13",
     "role_id": "ba-internal-operations",
     "description": "社内業務プロセスの可視化と再設計、SaaS・ノーコード導入による効率化を推進し、"
                    "現場への定着まで伴走していただきます。",
     "requirements": {"v2-business-enterprise-architecture": "b", "v2-change-management": "b",
                      "v2-requirements-management": "c", "v2-service-utilization": "c",
                      "v2-program-project-management": "c"}},
]


async def load_courses(session: AsyncSession, orgs: dict[str, Organization]) -> int:
    created = 0
    for row in read_catalog_file(DEMO_CATALOG):
        org = orgs.get(row["provider"])
        if org is None:
            continue
        found = await session.execute(select(Course.id).where(Course.provider_org_id == org.id,
                                                              Course.key == row["key"]))
        if found.first() is not None:
            continue
        session.add(Course(provider_org_id=org.id, key=row["key"], title_ja=row["title_ja"],
                           title_en=row["title_en"], hours=float(row["hours"]),
                           price_jpy=int(row["price_jpy"]),
                           language=row["language"], mode=row["mode"], url=row.get("url"),
                           alignments=row["alignments"]))
        created += 1
    return created


async def load_postings(session: AsyncSession, people: dict[str, Person],
                        orgs: dict[str, Organization]) -> int:
    org = orgs.get(EMPLOYER)
    if org is None:
        return 0
    created = 0
    for spec in DEMO_POSTINGS:
        found = await session.execute(select(JobPosting.id).where(JobPosting.org_id == org.id,
                                                                  JobPosting.title == spec["title"]))
        if found.first() is not None:
            continue
        admin = people.get(EMPLOYER_ADMIN)
        session.add(JobPosting(
            org_id=org.id, title=spec["title"], description=spec["description"], lang=spec["lang"],
            prefecture=spec["prefecture"], role_id=spec["role_id"], status="published", published_at=utcnow(),
            requirements=[{"skill_id": s, "level": level} for s, level in spec["requirements"].items()],
            created_by=admin.id if admin else None))
        created += 1
    return created


async def load(session: AsyncSession, people: dict[str, Person], orgs: dict[str, Organization]) -> None:
    """Add the demo catalog and postings that are missing."""
    await load_courses(session, orgs)
    await load_postings(session, people, orgs)
    await session.flush()
