"""Goals and progress: the target role's progress figure and its history, milestones, a weekly streak.

How the figure is computed: the target role has a requirement (a level a-d) on every current-version
DSS skill item it names; an item counts as met when the profile holds it at that level or higher,
whatever backs it (the same rule as the gap page, ``skills.assessment.gap_result``). The figure is
met / required, as a whole percent rounded down (so 100 % means every requirement is met).

Milestones and the chart are read from profile snapshots (one per change of the profile), so they
carry the date the profile first showed them (a JST calendar day, as the pages show times). The streak counts ISO weeks (Monday to Sunday) with at
least one dated learning record, exam result, imported badge or wallet credential. A streak whose last
active week is the previous one still counts: the current week is not over, so nothing is "lost" until
it is (motivating, never nagging). The learner can hide the streak and milestones
(``ProgressSettings.show_motivation``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.db import local_day, utcnow
from core.settings import Settings
from credentials.wallet import WalletService, counts_for_holder
from skills.consent import learner_settings
from skills.models import BadgeImport, ExamResult, LearningRecordRow, ProfileSnapshot
from skills.progress_models import ProgressSettings
from skills.service import ProfileService
from taxonomies.dss import Role, Taxonomy, get_taxonomy, level_rank

PROFILE_VERSION = "2.0"
CORE_LEVELS = ("a", "b")  # a role's core needs: the items it requires at its two highest levels
BACKED = ("verified", "evidenced")  # a category is reached with evidence beyond the learner's own word
CHART_POINTS = 24  # the chart shows the last change of each day, for the most recent days


@dataclass(frozen=True)
class Figure:
    met: int
    required: int

    @property
    def percent(self) -> int:
        return self.met * 100 // self.required if self.required else 0


@dataclass(frozen=True)
class Milestone:
    kind: str  # first_verified | category_reached | core_met
    on: date
    subject_id: str = ""  # the category or role it names
    name_ja: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive active ISO weeks up to this week (or the last one, while this one runs)
    longest: int
    active_weeks: int
    this_week: bool  # already active this week


@dataclass
class ProgressView:
    role: Role | None
    figure: Figure | None
    core: Figure | None
    history: list[tuple[date, int]] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    streak: Streak | None = None
    show_motivation: bool = True


def _level(item: Mapping | object) -> str | None:
    return item.get("level") if isinstance(item, Mapping) else getattr(item, "level", None)


def role_figure(items: Mapping[str, object], role: Role, taxonomy: Taxonomy, *,
                levels: Iterable[str] | None = None) -> Figure:
    """Met / required over the role's requirements on current-version items (``levels``: only those
    required at these levels). ``items`` maps skill id to a profile item or a snapshot entry."""
    wanted = set(levels) if levels is not None else None
    met = required = 0
    for skill in taxonomy.skill_items(PROFILE_VERSION):
        need = role.requirements.get(skill.id)
        if need is None or (wanted is not None and need.level not in wanted):
            continue
        required += 1
        held = _level(items[skill.id]) if skill.id in items else None
        if held is not None and level_rank(held) >= level_rank(need.level):
            met += 1
    return Figure(met, required)


def history(snapshots: Iterable[ProfileSnapshot], role: Role, taxonomy: Taxonomy) -> list[tuple[date, int]]:
    """The figure after the last change of each day (oldest first), the most recent CHART_POINTS days."""
    by_day: dict[date, int] = {}
    for snap in sorted(snapshots, key=lambda s: s.created_at):
        by_day[local_day(snap.created_at)] = role_figure(snap.items, role, taxonomy).percent
    return sorted(by_day.items())[-CHART_POINTS:]


def milestones(snapshots: Iterable[ProfileSnapshot], taxonomy: Taxonomy, role: Role | None) -> list[Milestone]:
    """The first date each milestone showed in the profile's history, oldest first."""
    categories = {c.id: c for c in taxonomy.categories(PROFILE_VERSION)}
    category_of = {s.id: s.category_id for s in taxonomy.skill_items(PROFILE_VERSION)}
    found: dict[tuple[str, str], Milestone] = {}
    for snap in sorted(snapshots, key=lambda s: s.created_at):
        on = local_day(snap.created_at)
        statuses = {skill_id: item.get("status") for skill_id, item in snap.items.items()}
        if ("first_verified", "") not in found and "verified" in statuses.values():
            found[("first_verified", "")] = Milestone("first_verified", on)
        for skill_id, status in statuses.items():
            cat = categories.get(category_of.get(skill_id, ""))
            if cat is not None and status in BACKED and ("category_reached", cat.id) not in found:
                found[("category_reached", cat.id)] = Milestone("category_reached", on, cat.id,
                                                                 cat.name_ja, cat.name_en)
        if role is not None and ("core_met", role.id) not in found:
            core = role_figure(snap.items, role, taxonomy, levels=CORE_LEVELS)
            if core.required and core.met == core.required:
                found[("core_met", role.id)] = Milestone("core_met", on, role.id, role.name_ja, role.name_en)
    return sorted(found.values(), key=lambda m: (m.on, m.kind, m.subject_id))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_streak(days: Iterable[date], today: date) -> Streak:
    """Streaks of ISO weeks with activity; weeks are compared by their Monday, so a streak runs across
    a year's end (ISO week 52/53 to week 1) like any other."""
    weeks = {_monday(d) for d in days if d <= today}
    this_week = _monday(today)
    start = this_week if this_week in weeks else this_week - timedelta(weeks=1)
    current = 0
    while start - timedelta(weeks=current) in weeks:
        current += 1
    longest = run = 0
    previous: date | None = None
    for monday in sorted(weeks):
        run = run + 1 if previous is not None and monday - previous == timedelta(weeks=1) else 1
        longest = max(longest, run)
        previous = monday
    return Streak(current, longest, len(weeks), this_week in weeks)


def _credential_day(document: dict, fallback: datetime) -> date:
    """The JST day the credential says it was issued (``validFrom``, or VCDM 1.1's ``issuanceDate``)."""
    for key in ("validFrom", "issuanceDate"):
        value = document.get(key)
        if isinstance(value, str):
            try:
                return local_day(datetime.fromisoformat(value.replace("Z", "+00:00")))
            except ValueError:
                continue
    return local_day(fallback)


async def activity_days(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> list[date]:
    """The dates of the learner's dated records, exams, imported badges and wallet credentials that count."""
    days: list[date] = []
    for column, owner in ((LearningRecordRow.completion_date, LearningRecordRow.person_id),
                          (ExamResult.taken_on, ExamResult.person_id)):
        rows = await session.execute(select(column).where(owner == person_id, column.is_not(None)))
        days.extend(rows.scalars())
    badges = await session.execute(select(BadgeImport.issued_on)
                                   .where(BadgeImport.person_id == person_id, BadgeImport.issued_on.is_not(None)))
    days.extend(local_day(d) for d in badges.scalars())
    for held in await WalletService(session, settings).list_for_person(person_id):
        if counts_for_holder(held):
            days.append(_credential_day(held.document or {}, held.created_at))
    return days


async def show_motivation(session: AsyncSession, person_id: uuid.UUID) -> bool:
    found = await session.get(ProgressSettings, person_id)
    return True if found is None else found.show_motivation


async def set_show_motivation(session: AsyncSession, person_id: uuid.UUID, show: bool) -> None:
    """Keep the learner's choice to show or hide the streak and milestones."""
    found = await session.get(ProgressSettings, person_id)
    if found is None:
        session.add(ProgressSettings(person_id=person_id, show_motivation=show))
    else:
        found.show_motivation = show
        found.updated_at = utcnow()
    await session.flush()


async def progress_view(session: AsyncSession, settings: Settings, person_id: uuid.UUID, *,
                        today: date | None = None) -> ProgressView:
    """Everything the progress page shows, for the learner's target role (none set: no figure)."""
    taxonomy = get_taxonomy()
    profiles = ProfileService(session, settings)
    profile, _ = await profiles.profile(person_id)
    snapshots = await profiles.history(person_id)
    role_id = (await learner_settings(session, person_id)).target_role
    role = taxonomy.role(role_id) if role_id else None
    view = ProgressView(role=role, figure=None, core=None, show_motivation=await show_motivation(session, person_id))
    if role is not None:
        view.figure = role_figure(profile.items, role, taxonomy)
        view.core = role_figure(profile.items, role, taxonomy, levels=CORE_LEVELS)
        view.history = history(snapshots, role, taxonomy)
    if view.show_motivation:
        view.milestones = milestones(snapshots, taxonomy, role)
        view.streak = weekly_streak(await activity_days(session, settings, person_id), today or local_day(utcnow()))
    return view


async def export_settings(session: AsyncSession, person_id: uuid.UUID) -> dict[str, object]:
    """The person's progress setting (their part of ``accounts.erasure``)."""
    return {"show_motivation": await show_motivation(session, person_id)}


async def delete_settings(session: AsyncSession, person_id: uuid.UUID) -> None:
    found = await session.get(ProgressSettings, person_id)
    if found is not None:
        await session.delete(found)
