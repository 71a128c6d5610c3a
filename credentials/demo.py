"""Demo data: issuers for the demo providers, their achievements aligned to DSS ver.2.0 (one a
micro-credential with credits, level and result descriptions), badges for the demo learners (one of them
revoked, one with the learner's results), an endorsement by the verified demo employer of a provider's
achievement, a CLR 2.0 transcript in a learner's wallet and one public badge page. Idempotent:
achievements are found by name, credentials are issued with fixed Idempotency-Keys, the endorsement,
transcript and public page are made only when missing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from core.settings import Settings
from credentials import endorsements, public_badges
from credentials.achievements import AchievementService
from credentials.clr.models import ClrTranscript
from credentials.clr.service import issue_transcript
from credentials.issuance import IssuanceService, IssueRequest
from credentials.issuers import IssuerService
from credentials.models import Achievement, Endorsement, HeldCredential

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
        ("ml-micro", "機械学習モデル開発 マイクロクレデンシャル", "Machine Learning Model Development Micro-credential",
         [("v2-machine-learning", "b"), ("v2-math-stats-visualization", "b")]),
    ],
    # unverified (see skillpass/demo.py): its badge verifies but its issuer is not recognised
    "shinjuku-coding-dojo": [
        ("python", "Python入門ブートキャンプ", "Python Bootcamp for Beginners",
         [("v2-backend", "d"), ("v2-web-app-basics", "d")]),
    ],
}

# The micro-credential detail of an achievement (credentials.achievements.check_micro), by (slug, key)
MICRO = {
    ("kansai-data-school", "ml-micro"): {
        "achievement_type": "MicroCredential", "credits_available": 2, "credit_unit": "tani", "workload_hours": 90,
        "level_framework": "eqf", "qualification_level": 5, "field_of_study": "データサイエンス / Data science",
        "instruction_language": "ja",
        "result_descriptions": [
            {"key": "grade", "name_ja": "成績評価", "name_en": "Grade", "result_type": "LetterGrade",
             "value_min": "D", "value_max": "S", "allowed_values": ["D", "C", "B", "A", "S"]},
            {"key": "score", "name_ja": "最終試験の得点", "name_en": "Final exam score", "result_type": "Percent",
             "value_min": "0", "value_max": "100"},
            {"key": "pass", "name_ja": "修了判定", "name_en": "Completion", "result_type": "Status"},
            {"key": "project", "name_ja": "実践課題（ルーブリック）", "name_en": "Applied project (rubric)",
             "result_type": "RubricCriterionLevel", "required_level": "basic",
             "levels": [{"key": "basic", "name_ja": "基礎", "name_en": "Basic"},
                        {"key": "proficient", "name_ja": "熟達", "name_en": "Proficient"},
                        {"key": "advanced", "name_ja": "卓越", "name_en": "Advanced"}]},
        ],
    },
}
# The learner's own results, by (slug, key, email)
RESULTS = {
    ("kansai-data-school", "ml-micro", "hanako@demo.skillpass.jp"): [
        {"key": "grade", "value": "A"}, {"key": "score", "value": "86"}, {"key": "pass", "status": "Completed"},
        {"key": "project", "level": "proficient"}],
    ("kansai-data-school", "ml-micro", "kenji@demo.skillpass.jp"): [
        {"key": "grade", "value": "B"}, {"key": "score", "value": "74"}, {"key": "pass", "status": "Completed"},
        {"key": "project", "level": "basic"}],
}
# (endorser slug, provider slug, achievement key, comment ja, comment en): the endorser must be verified
ENDORSEMENTS = [
    ("sakura-dx", "tokyo-digital-academy", "web",
     "当社の新卒・中途エンジニア研修の修了水準として、この講座の修了者を採用選考で評価しています。",
     "We value this course's graduates in hiring: it matches the level our engineering onboarding expects."),
]
# (provider slug, learner email, lang): a CLR 2.0 transcript of the learner's badges from that provider
# (Kenji: the browser tests walk Hanako's wallet from its newest badge)
TRANSCRIPTS = [("kansai-data-school", "kenji@demo.skillpass.jp", "ja")]
# (learner email, provider slug, achievement key): a held badge shown on a public badge page (without the name)
PUBLIC_BADGES = [("hanako@demo.skillpass.jp", "tokyo-digital-academy", "web")]

# (provider slug, achievement key, learner email, lang, revoked)
AWARDS = [
    ("tokyo-digital-academy", "web", "hanako@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "cloud", "hanako@demo.skillpass.jp", "ja", False),
    ("kansai-data-school", "ds", "hanako@demo.skillpass.jp", "ja", False),
    ("kansai-data-school", "ml-micro", "hanako@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "security", "taro@demo.skillpass.jp", "ja", False),
    ("tokyo-digital-academy", "pm", "taro@demo.skillpass.jp", "ja", True),
    ("kansai-data-school", "de", "emily@demo.skillpass.jp", "en", False),
    ("kansai-data-school", "ai", "emily@demo.skillpass.jp", "en", False),
    ("kansai-data-school", "ds", "kenji@demo.skillpass.jp", "ja", False),
    ("kansai-data-school", "ml-micro", "kenji@demo.skillpass.jp", "ja", False),
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
        **MICRO.get((org.slug, key), {}),
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
    for endorser, slug, key, comment_ja, comment_en in ENDORSEMENTS:
        await _endorsement(session, settings, orgs[endorser], await _achievement(achievements, orgs[slug], key),
                           {"ja": comment_ja, "en": comment_en})
    for slug, key, email, lang, revoked in AWARDS:
        org = orgs[slug]
        achievement = await _achievement(achievements, org, key)
        person = people[email]
        request = IssueRequest(achievement_id=achievement.id, recipient_email=email,
                               recipient_name=person.display_name, lang=lang, suspendable=False,
                               results=RESULTS.get((slug, key, email), []))
        credential = await issuance.issue_once(org.id, request, f"demo:{slug}:{key}:{email}")
        if revoked and credential.state != "revoked":
            await issuance.change_state(org.id, credential.id, "revoke", "デモ: 受講記録の誤りにより失効")
    for slug, email, lang in TRANSCRIPTS:
        found = await session.execute(select(ClrTranscript.id).where(
            ClrTranscript.org_id == orgs[slug].id, ClrTranscript.recipient_email == email).limit(1))
        if found.first() is None:
            await issue_transcript(session, settings, orgs[slug].id, email, lang)
    for email, slug, key in PUBLIC_BADGES:
        await _public_badge(session, settings, people[email], await _achievement(achievements, orgs[slug], key))


async def _endorsement(session: AsyncSession, settings: Settings, endorser: Organization, achievement: Achievement,
                       comments: dict[str, str]) -> None:
    """Once, and only when the endorser may endorse (a verified organization: a test may load unverified orgs)."""
    if not endorsements.may_endorse(endorser):
        return
    found = await session.execute(select(Endorsement.id).where(
        Endorsement.endorser_org_id == endorser.id, Endorsement.achievement_id == achievement.id).limit(1))
    if found.first() is None:
        await endorsements.endorse(session, settings, endorser.id, achievement_id=achievement.id, issuer_org_id=None,
                                   comments=comments)


async def _public_badge(session: AsyncSession, settings: Settings, person: Person, achievement: Achievement) -> None:
    """The learner's accepted badge of this achievement made public once (left alone if she turned it off
    and on again: only missing pages are made)."""
    ach_url = f"{settings.base_url.rstrip('/')}/achievements/{achievement.id}"
    for held in (await session.execute(select(HeldCredential).where(HeldCredential.person_id == person.id))).scalars():
        subject = (held.document or {}).get("credentialSubject") or {}
        if isinstance(subject, dict) and (subject.get("achievement") or {}).get("id") == ach_url:
            if held.offer_state == "accepted" and await public_badges.public_badge_of(session, person.id, held.id) is None:
                await public_badges.set_public(session, settings, person.id, held.id, public=True)
            return
