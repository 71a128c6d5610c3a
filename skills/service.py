"""The learner's skill profile: import evidence, recompute, read the profile, its history and gaps.

Every change of evidence ends in :meth:`ProfileService.recompute`, which applies the pure aggregation
rule (``skills.profile``), keeps a snapshot when the result changed and tells subscribers
(``skills.events``) once the transaction commits. The caller (request or job) commits.

The wallet home's :meth:`ProfileService.overview` is kept per process, checked on every read against
one query (``CHANGE_STAMP``): the wallet's count and latest change, the evidence's count and newest
row (evidence is only ever replaced: deleted and inserted) and the latest snapshot. Any change,
committed by any process, gives a new stamp and so a fresh computation on the next read; entries
also lapse after ``OVERVIEW_TTL_S``.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.service import AccountService
from core.errors import InvalidInput, NotFound
from core.settings import Settings
from credentials.wallet import change_stamp as wallet_stamp
from skills import corrections, events
from skills.assessment import Gap, GroupSummary, category_summaries, gap_to_role
from skills.models import BadgeImport, ExamResult, ProfileSnapshot, SelfAssessment, SkillCorrection, SkillEvidence
from skills.profile import EvidencePiece, Profile, compute_profile
from skills.sources import badges, exams, held_credentials, records, self_assessment
from skills.sources.records import ImportReport
from taxonomies.dss import LEVELS, get_taxonomy


def piece_of(row: SkillEvidence) -> EvidencePiece:
    return EvidencePiece(str(row.id), row.source, str(row.source_id), row.skill_id, row.level, row.weight,
                         row.label, row.observed_on)


@dataclass
class Overview:
    """The profile with what the wallet home shows of it, all from one computation."""

    profile: Profile
    updated_at: datetime | None
    categories: list[GroupSummary]
    gap: Gap | None


OVERVIEW_CACHE_SIZE = 1024  # people (an overview holds the profile with its evidence: some tens of KB)
OVERVIEW_TTL_S = 300.0  # a bound on staleness should a change ever escape the stamp (e.g. clocks set back)
# (person, target role, taxonomy object) -> (stamp, monotonic deadline, overview), least recent first
_overviews: OrderedDict[tuple, tuple[tuple, float, Overview]] = OrderedDict()


def forget_overviews() -> None:
    """Drop this process's cached overviews (tests; a taxonomy reload changes the key by itself)."""
    _overviews.clear()


def _change_stamp():
    """One statement (parameter ``person_id``) whose row changes whenever anything a person's profile is
    derived from does; built once, since building it costs more than running it."""
    person_id = bindparam("person_id", type_=SkillEvidence.__table__.c.person_id.type)
    evidence = SkillEvidence.person_id == person_id
    return select(*wallet_stamp(person_id),
                  select(func.count()).select_from(SkillEvidence).where(evidence).scalar_subquery(),
                  select(func.max(SkillEvidence.created_at)).where(evidence).scalar_subquery(),
                  select(func.max(ProfileSnapshot.created_at))
                  .where(ProfileSnapshot.person_id == person_id).scalar_subquery())


CHANGE_STAMP = _change_stamp()


def _role(role_id: str):
    try:
        return get_taxonomy().role(role_id)
    except KeyError:
        raise NotFound(f"No DSS role {role_id!r}.", field="role") from None


class ProfileService:
    """Evidence and profile of one person at a time, on one session (the caller commits)."""

    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def evidence(self, person_id: uuid.UUID) -> list[EvidencePiece]:
        rows = await self.session.execute(select(SkillEvidence).where(SkillEvidence.person_id == person_id))
        return [piece_of(row) for row in rows.scalars()]

    async def latest_snapshot(self, person_id: uuid.UUID) -> ProfileSnapshot | None:
        rows = await self.session.execute(
            select(ProfileSnapshot).where(ProfileSnapshot.person_id == person_id)
            .order_by(ProfileSnapshot.created_at.desc()).limit(1))
        return rows.scalar_one_or_none()

    async def recompute(self, person_id: uuid.UUID, reason: str) -> Profile:
        """Apply the rule to all evidence; keep a snapshot (and notify) when the profile changed."""
        await self.session.flush()
        profile = compute_profile(await self.evidence(person_id))
        latest = await self.latest_snapshot(person_id)
        summary = profile.summary()
        if latest is None or latest.items != summary:
            self.session.add(ProfileSnapshot(person_id=person_id, reason=reason, items=summary,
                                             evidence_count=profile.evidence_count))
            events.changed_on_commit(self.session, person_id)
        return profile

    async def profile(self, person_id: uuid.UUID) -> tuple[Profile, datetime | None]:
        """The current profile (wallet credentials synced first) and when it last changed."""
        if await held_credentials.sync_wallet(self.session, self.settings, person_id):
            profile = await self.recompute(person_id, "wallet")
            await self.session.flush()
        else:
            profile = compute_profile(await self.evidence(person_id))
        latest = await self.latest_snapshot(person_id)
        return profile, latest.created_at if latest else None

    async def history(self, person_id: uuid.UUID) -> list[ProfileSnapshot]:
        rows = await self.session.execute(
            select(ProfileSnapshot).where(ProfileSnapshot.person_id == person_id)
            .order_by(ProfileSnapshot.created_at))
        return list(rows.scalars())

    async def summaries(self, person_id: uuid.UUID) -> dict[str, list[GroupSummary]]:
        profile, _ = await self.profile(person_id)
        return category_summaries(profile, get_taxonomy())

    async def gap(self, person_id: uuid.UUID, role_id: str) -> Gap:
        role = _role(role_id)
        profile, _ = await self.profile(person_id)
        return gap_to_role(profile, role, get_taxonomy())

    async def overview(self, person_id: uuid.UUID, role_id: str | None) -> Overview:
        """Profile, category summaries and the gap to ``role_id`` (None: no gap) from one sync and one
        computation, where calling ``profile``, ``summaries`` and ``gap`` would each do both; served
        from this process's cache while the person's ``CHANGE_STAMP`` is the same (see the module)."""
        tx = get_taxonomy()
        key = (person_id, role_id, id(tx))
        stamp = await self._stamp(person_id)
        hit = _overviews.get(key)
        if hit is not None and hit[0] == stamp and hit[1] > time.monotonic():
            _overviews.move_to_end(key)
            return hit[2]
        profile, updated_at = await self.profile(person_id)
        gap = gap_to_role(profile, _role(role_id), tx) if role_id else None
        view = Overview(profile, updated_at, category_summaries(profile, tx)["categories"], gap)
        # Kept only when nothing changed meanwhile: not another process's commit, and not this request's
        # own sync (its writes could still be rolled back); the next read then computes again.
        if await self._stamp(person_id) == stamp:
            _overviews[key] = (stamp, time.monotonic() + OVERVIEW_TTL_S, view)
            _overviews.move_to_end(key)
            while len(_overviews) > OVERVIEW_CACHE_SIZE:
                _overviews.popitem(last=False)
        return view

    async def _stamp(self, person_id: uuid.UUID) -> tuple[Any, ...]:
        return tuple((await self.session.execute(CHANGE_STAMP, {"person_id": person_id})).one())

    async def import_records(self, person_id: uuid.UUID, data: bytes, filename: str) -> ImportReport:
        report = await records.import_records(self.session, person_id, data, filename)
        await self.recompute(person_id, "records")
        return report

    async def delete_record(self, person_id: uuid.UUID, record_id: uuid.UUID) -> None:
        await records.delete_record(self.session, person_id, record_id)
        await self.recompute(person_id, "records")

    async def correct_skill(self, person_id: uuid.UUID, record_id: uuid.UUID, skill_id: str,
                            level: str | None) -> SkillCorrection:
        """The learner's correction of a skill read in one of their records (``level`` None: reject)."""
        correction = await corrections.correct(self.session, person_id, record_id, skill_id, level)
        await self.recompute(person_id, "correction")
        return correction

    async def undo_correction(self, person_id: uuid.UUID, record_id: uuid.UUID, skill_id: str) -> None:
        await corrections.undo(self.session, person_id, record_id, skill_id)
        await self.recompute(person_id, "correction")

    async def add_exam_result(self, person_id: uuid.UUID, exam: str, taken_on: date, passed: bool,
                              score: float | None) -> ExamResult:
        result = await exams.add_exam_result(self.session, person_id, exam, taken_on, passed, score)
        await self.recompute(person_id, "exam")
        return result

    async def delete_exam_result(self, person_id: uuid.UUID, result_id: uuid.UUID) -> None:
        await exams.delete_exam_result(self.session, person_id, result_id)
        await self.recompute(person_id, "exam")

    async def set_self_level(self, person_id: uuid.UUID, skill_id: str,
                             level: str | None) -> SelfAssessment | None:
        row = await self_assessment.set_self_level(self.session, person_id, skill_id, level)
        await self.recompute(person_id, "self_assessment")
        return row

    async def set_self_levels(self, person_id: uuid.UUID, levels: dict[str, str | None]) -> None:
        """Several of the person's own levels at once (one category's form; None clears), one recompute;
        a bad level refuses them all before any is written."""
        if any(level is not None and level not in LEVELS for level in levels.values()):
            raise InvalidInput(f"level must be one of {', '.join(LEVELS)}", field="level")
        for skill_id, level in levels.items():
            await self_assessment.set_self_level(self.session, person_id, skill_id, level)
        await self.recompute(person_id, "self_assessment")

    async def import_badge(self, person_id: uuid.UUID, data: bytes, media_type: str, *,
                           assertion: dict | None = None, badge_class: dict | None = None) -> BadgeImport:
        person = await AccountService(self.session).get_person(person_id)
        row = await badges.import_badge(self.session, person_id, person.email, data, media_type,
                                        assertion=assertion, badge_class=badge_class)
        await self.recompute(person_id, "ob2_badge")
        return row

    async def delete_badge(self, person_id: uuid.UUID, badge_id: uuid.UUID) -> None:
        await badges.delete_badge(self.session, person_id, badge_id)
        await self.recompute(person_id, "ob2_badge")
