"""Pathways: define one (a provider's own achievements), a learner's progress on each, and the award.

A learner holds a step when a credential of that achievement, issued here, is in their wallet, counts
for them (``credentials.wallet.counts_for_holder``) and is active. A pathway is complete when every
step without a group is held and every group has one held step. ``award_completed`` runs on every
wallet change (``credentials.events.wallet_changed``, wired in ``skillpass.wiring``): for each
completed pathway without an award it first inserts the award row (unique per pathway and person) and
only then issues the pathway's badge with the provider's key, so a second or concurrent event finds
the row (or fails on the constraint) and never issues twice. The badge is an ordinary issued
credential: revoking it goes through ``credentials.revocation`` like any other, and a revoked award is
not issued again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.models import Person
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials import events
from credentials.achievements import AchievementService
from credentials.issuance import IssuanceService, IssueRequest
from credentials.models import Achievement, CredentialState, HeldCredential, IssuedCredential
from credentials.pathways.models import Pathway, PathwayAward, PathwayStep
from credentials.wallet import counts_for_holder
from taxonomies.dss import get_taxonomy

MAX_STEPS = 50


@dataclass(frozen=True)
class StepIn:
    achievement_id: uuid.UUID
    group_name: str = ""


@dataclass(frozen=True)
class PathwayIn:
    name_ja: str
    name_en: str
    badge_achievement_id: uuid.UUID
    steps: list[StepIn]
    description_ja: str = ""
    description_en: str = ""
    ordered: bool = True
    role_id: str | None = None


@dataclass
class StepView:
    step: PathwayStep
    achievement: Achievement
    held: bool


@dataclass
class PathwayProgress:
    pathway: Pathway
    steps: list[StepView]
    done: int  # units (ungrouped steps and groups) with a held step
    units: int
    award: PathwayAward | None = None
    award_state: str | None = None  # the pathway badge's state (active, revoked, ...)

    @property
    def complete(self) -> bool:
        return self.units > 0 and self.done == self.units


def _check(data: PathwayIn) -> None:
    errors = []
    for name in ("name_ja", "name_en"):
        value = getattr(data, name).strip()
        if not value or len(value) > 200:
            errors.append({"field": name, "message": "Between 1 and 200 characters."})
    if not data.steps or len(data.steps) > MAX_STEPS:
        errors.append({"field": "steps", "message": f"Between 1 and {MAX_STEPS} achievements."})
    ids = [s.achievement_id for s in data.steps]
    if len(set(ids)) != len(ids):
        errors.append({"field": "steps", "message": "Each achievement once."})
    if data.badge_achievement_id in ids:
        errors.append({"field": "badge_achievement_id",
                       "message": "The pathway's badge cannot be one of its steps."})
    if any(len(s.group_name) > 100 for s in data.steps):
        errors.append({"field": "steps", "message": "A group name has at most 100 characters."})
    if data.role_id:
        try:
            get_taxonomy().role(data.role_id)
        except KeyError:
            errors.append({"field": "role_id", "message": "No such DSS role."})
    if errors:
        raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)


async def create_pathway(session: AsyncSession, settings: Settings, org_id: uuid.UUID,
                         data: PathwayIn) -> Pathway:
    """A new pathway of the organization's own achievements (another's achievement: 404 naming the field)."""
    _check(data)
    achievements = AchievementService(session, settings)
    try:
        await achievements.get(org_id, data.badge_achievement_id)
    except NotFound:
        raise NotFound("No such achievement in this organization.", field="badge_achievement_id") from None
    for step in data.steps:
        try:
            await achievements.get(org_id, step.achievement_id)
        except NotFound:
            raise NotFound("No such achievement in this organization.", field="steps") from None
    pathway = Pathway(org_id=org_id, name_ja=data.name_ja.strip(), name_en=data.name_en.strip(),
                      description_ja=data.description_ja.strip(), description_en=data.description_en.strip(),
                      ordered=data.ordered, role_id=data.role_id or None,
                      badge_achievement_id=data.badge_achievement_id)
    session.add(pathway)
    await session.flush()
    for n, step in enumerate(data.steps):
        session.add(PathwayStep(pathway_id=pathway.id, achievement_id=step.achievement_id, position=n,
                                group_name=step.group_name.strip()))
    await session.flush()
    return pathway


Steps = list[tuple[PathwayStep, Achievement]]


async def steps_of(session: AsyncSession, pathway_ids: list[uuid.UUID]) -> dict[uuid.UUID, Steps]:
    rows = await session.execute(
        select(PathwayStep, Achievement).join(Achievement, Achievement.id == PathwayStep.achievement_id)
        .where(PathwayStep.pathway_id.in_(pathway_ids)).order_by(PathwayStep.position))
    found: dict[uuid.UUID, Steps] = {p: [] for p in pathway_ids}
    for step, achievement in rows.all():
        found[step.pathway_id].append((step, achievement))
    return found


async def list_pathways(session: AsyncSession, org_id: uuid.UUID) -> list[tuple[Pathway, Steps]]:
    rows = await session.execute(select(Pathway).where(Pathway.org_id == org_id).order_by(Pathway.created_at))
    pathways = list(rows.scalars())
    steps = await steps_of(session, [p.id for p in pathways])
    return [(p, steps[p.id]) for p in pathways]


async def get_pathway(session: AsyncSession, org_id: uuid.UUID, pathway_id: uuid.UUID) -> Pathway:
    pathway = await session.get(Pathway, pathway_id)
    if pathway is None or pathway.org_id != org_id:
        raise NotFound("No such pathway in this organization.", field="pathway_id")
    return pathway


async def held_achievements(session: AsyncSession, person_id: uuid.UUID) -> set[uuid.UUID]:
    """Achievements the person holds through an active credential issued here that counts for them."""
    rows = await session.execute(
        select(HeldCredential, IssuedCredential.achievement_id)
        .join(IssuedCredential, IssuedCredential.id == HeldCredential.credential_id)
        .where(HeldCredential.person_id == person_id, IssuedCredential.state == CredentialState.active))
    return {achievement_id for held, achievement_id in rows.all() if counts_for_holder(held)}


def progress_of(pathway: Pathway, steps: Steps, held: set[uuid.UUID]) -> PathwayProgress:
    views = [StepView(step, achievement, achievement.id in held) for step, achievement in steps]
    units: dict[str, bool] = {}
    for view in views:
        key = f"group:{view.step.group_name}" if view.step.group_name else f"step:{view.step.id}"
        units[key] = units.get(key, False) or view.held
    return PathwayProgress(pathway, views, sum(units.values()), len(units))


async def _progress(session: AsyncSession, person_id: uuid.UUID,
                    pathways: list[Pathway]) -> list[PathwayProgress]:
    held = await held_achievements(session, person_id)
    steps = await steps_of(session, [p.id for p in pathways])
    return [progress_of(p, steps[p.id], held) for p in pathways]


async def learner_pathways(session: AsyncSession, person_id: uuid.UUID, *,
                           target_role: str | None = None) -> list[PathwayProgress]:
    """Pathways relevant to the learner: one of its steps held, its badge held, or aligned to the
    learner's target role; with progress and the award (and the badge's state), most advanced first."""
    held = await held_achievements(session, person_id)
    awarded = select(PathwayAward.pathway_id).where(PathwayAward.person_id == person_id)
    relevant = [Pathway.id.in_(awarded)]
    if held:
        with_step = select(PathwayStep.pathway_id).where(PathwayStep.achievement_id.in_(held))
        relevant.append(Pathway.id.in_(with_step))
    if target_role:
        relevant.append(Pathway.role_id == target_role)
    rows = await session.execute(select(Pathway).where(or_(*relevant)).order_by(Pathway.created_at))
    pathways = list(rows.scalars())
    found = await _progress(session, person_id, pathways)
    awards = await session.execute(
        select(PathwayAward, IssuedCredential.state)
        .outerjoin(IssuedCredential, IssuedCredential.id == PathwayAward.credential_id)
        .where(PathwayAward.person_id == person_id))
    by_pathway = {a.pathway_id: (a, state) for a, state in awards.all()}
    for item in found:
        item.award, item.award_state = by_pathway.get(item.pathway.id, (None, None))
    return sorted(found, key=lambda p: (-(p.done / p.units if p.units else 0), p.pathway.created_at))


async def _claim_award(session: AsyncSession, pathway_id: uuid.UUID,
                       person_id: uuid.UUID) -> PathwayAward | None:
    """Insert the award row first; the unique constraint turns a second or concurrent completion away."""
    if await session.scalar(select(PathwayAward.id).where(PathwayAward.pathway_id == pathway_id,
                                                         PathwayAward.person_id == person_id)):
        return None
    award = PathwayAward(pathway_id=pathway_id, person_id=person_id)
    try:
        async with session.begin_nested():
            session.add(award)
            await session.flush()
    except IntegrityError:
        return None
    return award


async def award_completed(session: AsyncSession, settings: Settings,
                          person_id: uuid.UUID) -> list[PathwayAward]:
    """Issue the badge of every pathway the person has just completed (each at most once)."""
    held = await held_achievements(session, person_id)
    if not held:
        return []
    candidates = select(PathwayStep.pathway_id).where(PathwayStep.achievement_id.in_(held))
    pathways = list((await session.execute(select(Pathway).where(Pathway.id.in_(candidates)))).scalars())
    person = await session.get(Person, person_id)
    awarded = []
    for item in await _progress(session, person_id, pathways):
        if not item.complete:
            continue
        award = await _claim_award(session, item.pathway.id, person_id)
        if award is None:
            continue
        credential = await IssuanceService(session, settings).issue(item.pathway.org_id, IssueRequest(
            achievement_id=item.pathway.badge_achievement_id, recipient_email=person.email,
            recipient_name=person.display_name, lang=person.lang if person.lang in ("ja", "en") else "ja"))
        award.credential_id = credential.id
        await session.flush()
        awarded.append(award)
    return awarded


async def on_wallet_changed(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> None:
    await award_completed(session, settings, person_id)


def connect() -> None:
    """Award pathway badges on every wallet change (idempotent; called from ``skillpass.wiring``)."""
    events.subscribe(on_wallet_changed)


async def export_awards(session: AsyncSession, person_id: uuid.UUID) -> list[dict[str, str | None]]:
    """The pathways the person completed and the badge each issued (their part of ``accounts.erasure``)."""
    rows = await session.execute(
        select(PathwayAward, Pathway).join(Pathway, Pathway.id == PathwayAward.pathway_id)
        .where(PathwayAward.person_id == person_id))
    return [{"pathway_ja": p.name_ja, "pathway_en": p.name_en, "awarded_at": a.created_at.isoformat(),
             "credential_id": str(a.credential_id) if a.credential_id else None} for a, p in rows.all()]


async def delete_awards(session: AsyncSession, person_id: uuid.UUID) -> None:
    await session.execute(delete(PathwayAward).where(PathwayAward.person_id == person_id))
