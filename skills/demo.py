"""Demo data of the skills domain: learning records, an IPA exam, self-assessments and settings for the
four demo learners, then their profiles (idempotent: what a learner already has is left alone)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Organization, Person
from core.settings import get_settings
from skills import consent, onboarding
from skills.models import LearnerSettings
from skills.service import ProfileService
from skills.sources import exams, records, self_assessment

# email -> records, exam (id, date, passed, score), self-assessments, settings (None: never opted in)
DEMO_LEARNERS: dict[str, dict] = {
    "hanako@demo.skillpass.jp": {
        "records": [
            ("Pythonプログラミング基礎", "変数、関数、クラス、例外処理", "社内研修", 16, "2024-06-30", "88", "intermediate"),
            ("SQL基礎", "SELECT文、結合、集計、サブクエリ", "Udemy", 8, "2024-08-10", "90", "beginner"),
            ("Webアプリケーション開発基礎", "HTTP、REST API、認証の基本", "Progate", 15, "2024-09-01", "", "beginner"),
            ("AWS Cloud Practitioner Essentials", "Core AWS services and pricing", "AWS Skill Builder", 6,
             "2024-11-20", "pass", "beginner"),
            ("Docker and Kubernetes basics", "Containers, images, pods and deployments", "Coursera", 20,
             "2025-02-11", "85", "intermediate"),
            ("Git and GitHub for teams", "Branches, pull requests and code review", "Udemy", 5, "2025-03-01",
             "", "beginner"),
        ],
        "exam": ("fe", "2024-10-20", True, 720.0),
        "self": {"v2-backend": "b", "v2-software-design": "c"},
        "settings": {"discoverable": True, "prefecture": "JP-13", "target_role": "se-backend",
                     "employer_parts": ["skills", "prefecture", "target_role", "display_name"]},
    },
    "taro@demo.skillpass.jp": {
        "records": [
            ("データ分析のための統計学", "記述統計、検定、回帰分析", "gacco", 24, "2024-05-31", "82", "intermediate"),
            ("Pythonによる機械学習入門", "scikit-learnを使った回帰・分類・クラスタリング", "社内研修", 12, "2024-07-15",
             "85", "beginner"),
            ("Deep Learning Specialization", "Neural networks, CNNs and sequence models", "Coursera", 60,
             "2025-01-30", "93", "advanced"),
            ("データ可視化実践", "Tableauとmatplotlibによるダッシュボード作成", "Udemy", 10, "2025-03-15", "", "intermediate"),
        ],
        "exam": ("ap", "2024-10-20", True, 650.0),
        "self": {"v2-machine-learning": "b", "v2-data-ai-understanding": "b"},
        "settings": {"discoverable": True, "prefecture": "JP-27",
                     "target_role": "ds-data-science-professional",
                     "employer_parts": ["skills", "self_declared", "prefecture", "target_role"]},
    },
    "emily@demo.skillpass.jp": {
        "records": [
            ("UX Design Fundamentals", "User interviews, personas and journey maps", "Coursera", 18,
             "2024-09-12", "91", "beginner"),
            ("Prototyping with Figma", "Wireframes, components and usability testing", "Udemy", 8,
             "2024-12-01", "", "intermediate"),
            ("Product Management Essentials", "Roadmaps, discovery and prioritisation", "edX", 12,
             "2025-02-20", "pass", "beginner"),
        ],
        "exam": ("ip", "2024-07-05", True, 820.0),
        "self": {"v2-customer-user-understanding": "c", "v2-design-production": "b"},
        "settings": None,
    },
    "kenji@demo.skillpass.jp": {
        "records": [
            ("ビジネスモデルキャンバス演習", "新規事業の仮説検証", "グロービス", 8, "2024-04-12", "", "beginner"),
            ("プロジェクトマネジメント基礎", "WBS、スケジュール、リスク管理", "PMI日本支部", 10, "2024-06-01", "", "beginner"),
            ("業務改革とチェンジマネジメント", "業務プロセスの可視化、現場への定着", "社内研修", 14, "2024-10-10", "",
             "intermediate"),
            ("生成AI活用研修", "プロンプトエンジニアリングと業務活用", "社内研修", 4, "2025-04-01", "", "beginner"),
        ],
        "exam": ("sg", "2024-04-21", True, 780.0),
        "self": {"v2-change-management": "b"},
        "settings": {"discoverable": True, "prefecture": "JP-40", "target_role": "ba-internal-operations",
                     "employer_parts": ["skills", "prefecture", "target_role"]},
    },
}
FIELDS = ("title", "description", "provider", "hours", "completion_date", "score", "course_level")


def records_jsonl(rows: list[tuple]) -> bytes:
    lines = (json.dumps(dict(zip(FIELDS, row)), ensure_ascii=False) + "\n" for row in rows)
    return "".join(lines).encode("utf-8")


async def load_learner(profiles: ProfileService, person: Person, spec: dict) -> None:
    session = profiles.session
    if not await records.list_records(session, person.id):
        await records.import_records(session, person.id, records_jsonl(spec["records"]), "demo.jsonl")
    exam_id, taken_on, passed, score = spec["exam"]
    if not await exams.list_exam_results(session, person.id):
        await exams.add_exam_result(session, person.id, exam_id, date.fromisoformat(taken_on), passed, score)
    if not await self_assessment.list_self_levels(session, person.id):
        for skill_id, level in spec["self"].items():
            await self_assessment.set_self_level(session, person.id, skill_id, level)
    if spec["settings"] and await session.get(LearnerSettings, person.id) is None:
        await consent.update_learner_settings(session, person.id, spec["settings"])
    await onboarding.finish(session, person.id)  # has data already: signs in to the wallet, not /welcome
    await profiles.recompute(person.id, "demo")
    await profiles.profile(person.id)  # takes in wallet credentials the credentials demo issued


async def load(session: AsyncSession, people: dict[str, Person], orgs: dict[str, Organization]) -> None:
    """Add what the demo learners are missing and compute their profiles."""
    profiles = ProfileService(session, get_settings())
    for email, spec in DEMO_LEARNERS.items():
        if email in people:
            await load_learner(profiles, people[email], spec)
    await session.flush()
