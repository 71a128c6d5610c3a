"""Demo data: a few learners, an employer and two training providers (idempotent).

Domains add their own demo data through a ``demo`` module with ``async def load(session, people, orgs)``;
each must be idempotent too.
"""

from __future__ import annotations


from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from accounts.service import AccountService
from core.modules import optional_import

DEMO_PASSWORD = "skillpass-demo"

DEMO_PEOPLE = [
    # email, display name, lang, prefecture
    ("hanako@demo.skillpass.jp", "山田 花子", "ja"),
    ("taro@demo.skillpass.jp", "佐藤 太郎", "ja"),
    ("emily@demo.skillpass.jp", "Emily Carter", "en"),
    ("kenji@demo.skillpass.jp", "鈴木 健二", "ja"),
    ("hr@demo.skillpass.jp", "採用担当 高橋", "ja"),
    ("provider@demo.skillpass.jp", "研修担当 伊藤", "ja"),
    ("academy@demo.skillpass.jp", "Academy Admin", "en"),
]

DEMO_ORGS = [
    # kind, slug, name_ja, name_en, admin email
    ("employer", "sakura-dx", "さくらDX株式会社", "Sakura DX Inc.", "hr@demo.skillpass.jp"),
    ("provider", "tokyo-digital-academy", "東京デジタルアカデミー", "Tokyo Digital Academy", "provider@demo.skillpass.jp"),
    ("provider", "kansai-data-school", "関西データスクール", "Kansai Data School", "academy@demo.skillpass.jp"),
]

DOMAIN_DEMOS = ("credentials.demo", "skills.demo", "matching.demo")


async def load_demo(session: AsyncSession) -> dict[str, int]:
    """Create what is missing; running it twice changes nothing."""
    accounts = AccountService(session)
    people: dict[str, Person] = {}
    created = 0
    for email, name, lang in DEMO_PEOPLE:
        person = await accounts.person_by_email(email)
        if person is None:
            person = await accounts.sign_up(email, DEMO_PASSWORD, name, lang)
            created += 1
        people[email] = person
    orgs: dict[str, Organization] = {}
    for kind, slug, name_ja, name_en, admin_email in DEMO_ORGS:
        org = await accounts.org_by_slug(slug)
        if org is None:
            org = await accounts.create_org(kind, slug, name_ja, name_en, admin_id=people[admin_email].id)
            created += 1
        orgs[slug] = org
    for module_name in DOMAIN_DEMOS:
        module = optional_import(module_name)
        if module is not None:
            await module.load(session, people, orgs)
    return {"people": len(people), "organizations": len(orgs), "created": created}
