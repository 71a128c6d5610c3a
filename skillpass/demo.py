"""Demo data: a few learners, a verified employer, two verified training providers, one unverified provider and
a platform admin (idempotent).

Domains add their own demo data through a ``demo`` module with ``async def load(session, people, orgs)``;
each must be idempotent too.
"""

from __future__ import annotations


from sqlalchemy.ext.asyncio import AsyncSession

from accounts.confirmation import mark_confirmed
from accounts.models import Organization, Person
from accounts.service import AccountService
from accounts.verification import OrgVerificationService
from credentials import demo as credentials_demo
from matching import demo as matching_demo
from skills import demo as skills_demo

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
    ("dojo@demo.skillpass.jp", "道場主 中村", "ja"),
    ("admin@demo.skillpass.jp", "運営管理者 小林", "ja"),
]
DEMO_ADMIN = "admin@demo.skillpass.jp"  # the platform admin (reviews organisations at /admin)

DEMO_ORGS = [
    # kind, slug, name_ja, name_en, admin email
    ("employer", "sakura-dx", "さくらDX株式会社", "Sakura DX Inc.", "hr@demo.skillpass.jp"),
    ("provider", "tokyo-digital-academy", "東京デジタルアカデミー", "Tokyo Digital Academy", "provider@demo.skillpass.jp"),
    ("provider", "kansai-data-school", "関西データスクール", "Kansai Data School", "academy@demo.skillpass.jp"),
    ("provider", "shinjuku-coding-dojo", "新宿コーディング道場", "Shinjuku Coding Dojo", "dojo@demo.skillpass.jp"),
]

# Verified by the demo admin: fictional corporate numbers with valid check digits, fictional domains.
# Shinjuku Coding Dojo stays unverified so the difference shows.
DEMO_VERIFIED = {
    # A verified employer: only those may ask candidates to share (docs/employers.md).
    "sakura-dx": ("4010001234567", "sakura-dx.example.jp"),
    "tokyo-digital-academy": ("2011001234567", "tokyo-digital-academy.example.jp"),
    "kansai-data-school": ("9120001234568", "kansai-data-school.example.jp"),
}

DOMAIN_DEMOS = (credentials_demo, skills_demo, matching_demo)


async def load_demo(session: AsyncSession) -> dict[str, int]:
    """Create what is missing; running it twice changes nothing."""
    accounts = AccountService(session)
    people: dict[str, Person] = {}
    created = 0
    for email, name, lang in DEMO_PEOPLE:
        person = await accounts.person_by_email(email)
        if person is None:
            person = await accounts.sign_up(email, DEMO_PASSWORD, name, lang, confirmed=True)
            created += 1
        elif person.email_confirmed_at is None:  # loaded before email confirmation existed
            await mark_confirmed(session, person)
        people[email] = person
    orgs: dict[str, Organization] = {}
    for kind, slug, name_ja, name_en, admin_email in DEMO_ORGS:
        org = await accounts.org_by_slug(slug)
        if org is None:
            org = await accounts.create_org(kind, slug, name_ja, name_en, admin_id=people[admin_email].id)
            created += 1
        orgs[slug] = org
    people[DEMO_ADMIN].is_admin = True
    await verify_demo_orgs(session, people, orgs)
    for module in DOMAIN_DEMOS:
        await module.load(session, people, orgs)
    return {"people": len(people), "organizations": len(orgs), "created": created}


async def verify_demo_orgs(session: AsyncSession, people: dict[str, Person], orgs: dict[str, Organization]) -> None:
    """The demo providers' admins ask to be verified and the demo platform admin approves (once)."""
    service = OrgVerificationService(session)
    org_admins = {slug: email for _, slug, _, _, email in DEMO_ORGS}
    for slug, (number, domain) in DEMO_VERIFIED.items():
        org = orgs[slug]
        if org.verification_state != "unverified":
            continue
        await service.request(org.id, people[org_admins[slug]].id, number, domain)
        await service.approve(org.id, people[DEMO_ADMIN].id, "デモ: 登記簿と法人番号公表サイトで確認済み")
