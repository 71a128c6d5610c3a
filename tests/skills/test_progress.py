"""Goals and progress: the figure on a seeded profile, its history, milestones, the weekly streak and
the opt-out that hides streak and milestones (domain and page)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from accounts.service import AccountService
from core.db import local_day, utcnow
from skills import progress
from skills.consent import update_learner_settings
from skills.models import ProfileSnapshot
from skills.service import ProfileService
from taxonomies.dss import get_taxonomy
from tests.frontend.helpers import HTML, csrf_token, form, issue_badges, learner

ROLE = "se-backend"


async def _person(db, email: str) -> uuid.UUID:
    return (await AccountService(db).person_by_email(email)).id


def _required(role) -> dict[str, str]:
    items = {s.id for s in get_taxonomy().skill_items("2.0")}
    return {k: r.level for k, r in role.requirements.items() if k in items}


async def test_figure_counts_items_met_at_the_required_level(client, db, settings):
    await learner(client, "goal@example.jp")
    person = await _person(db, "goal@example.jp")
    role = get_taxonomy().role(ROLE)
    required = _required(role)
    profiles = ProfileService(db, settings)
    # one met exactly, one above what is needed, one below (not met): the rule is level >= needed
    below = next(k for k, v in required.items() if v == "a")
    exact = next(k for k, v in required.items() if v == "c")
    above = next(k for k, v in required.items() if v == "d")
    await profiles.set_self_level(person, exact, "c")
    await profiles.set_self_level(person, above, "b")
    await profiles.set_self_level(person, below, "b")
    await update_learner_settings(db, person, {"target_role": ROLE})
    await db.commit()

    view = await progress.progress_view(db, settings, person)
    assert (view.figure.met, view.figure.required) == (2, len(required))
    assert view.figure.percent == 200 // len(required)
    core = [k for k, v in required.items() if v in "ab"]
    assert (view.core.met, view.core.required) == (0, len(core))
    # the history has one point per day: the last change of the day
    assert view.history == [(local_day(utcnow()), 200 // len(required))]

    response = await client.get("/wallet/progress", headers=HTML)
    assert response.status_code == 200
    assert f'data-progress-percent="{200 // len(required)}"' in response.text
    assert f"You meet 2 of the {len(required)} items" in response.text


async def test_history_milestones_and_core_needs_met(client, db, settings):
    await learner(client, "path@example.jp")
    person = await _person(db, "path@example.jp")
    role = get_taxonomy().role(ROLE)
    core = {k: v for k, v in _required(role).items() if v in "ab"}
    profiles = ProfileService(db, settings)
    await update_learner_settings(db, person, {"target_role": ROLE})
    for skill_id, level in core.items():
        await profiles.set_self_level(person, skill_id, level)
    await db.commit()
    snaps = (await db.execute(select(ProfileSnapshot).where(ProfileSnapshot.person_id == person)
                              .order_by(ProfileSnapshot.created_at))).scalars().all()
    # spread the snapshots over days, as if learnt one item a day
    start = utcnow() - timedelta(days=len(snaps))
    for n, snap in enumerate(snaps):
        await db.execute(update(ProfileSnapshot).where(ProfileSnapshot.id == snap.id)
                         .values(created_at=start + timedelta(days=n)))
    await db.commit()

    view = await progress.progress_view(db, settings, person)
    assert len(view.history) == len(snaps)
    assert [p for _, p in view.history] == sorted(p for _, p in view.history)  # only ever rising here
    kinds = {m.kind: m for m in view.milestones}
    assert kinds["core_met"].on == local_day(start + timedelta(days=len(snaps) - 1))
    assert kinds["core_met"].subject_id == ROLE
    # self-declared only: no verified skill, no category reached with evidence
    assert "first_verified" not in kinds and "category_reached" not in kinds

    await issue_badges(db, settings, "path@example.jp")  # a trusted provider's badge backs v2-backend
    view = await progress.progress_view(db, settings, person)
    kinds = {(m.kind, m.subject_id): m for m in view.milestones}
    assert kinds[("first_verified", "")].on == local_day(utcnow())
    backed_category = get_taxonomy().skill_item("v2-backend").category_id
    assert (("category_reached", backed_category)) in kinds
    response = await client.get("/wallet/progress", headers=HTML)
    assert 'data-milestone="first_verified"' in response.text and "<svg" in response.text
    assert "Show the chart as a table" in response.text


def test_streak_runs_across_iso_weeks_and_a_year_end():
    # ISO weeks: 2026-12-28 (Mon) is week 53 of 2026, 2027-01-04 is week 1 of 2027
    days = [date(2026, 12, 14), date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 6)]
    streak = progress.weekly_streak(days, today=date(2027, 1, 7))
    assert (streak.current, streak.longest, streak.active_weeks, streak.this_week) == (4, 4, 4, True)
    # the week that is still running does not break it ...
    assert progress.weekly_streak(days, today=date(2027, 1, 12)).current == 4
    assert progress.weekly_streak(days, today=date(2027, 1, 12)).this_week is False
    # ... a whole week without learning does, and the longest run is kept
    later = progress.weekly_streak(days + [date(2027, 1, 20)], today=date(2027, 1, 21))
    assert (later.current, later.longest, later.active_weeks) == (1, 4, 5)
    # future dates (a typo in a record) are not counted
    assert progress.weekly_streak([date(2027, 3, 1)], today=date(2027, 1, 21)).active_weeks == 0


async def test_streak_from_dated_exams_and_credentials(client, db, settings):
    await learner(client, "streak@example.jp")
    person = await _person(db, "streak@example.jp")
    today = local_day(utcnow())
    profiles = ProfileService(db, settings)
    await profiles.add_exam_result(person, "FE", today - timedelta(weeks=1), True, None)
    await profiles.add_exam_result(person, "AP", today - timedelta(weeks=2), True, None)
    await db.commit()
    await issue_badges(db, settings, "streak@example.jp")  # dated today
    view = await progress.progress_view(db, settings, person)
    assert (view.streak.current, view.streak.this_week) == (3, True)
    response = await client.get("/wallet/progress", headers=HTML)
    assert 'data-streak="3"' in response.text


async def test_opt_out_hides_streak_and_milestones(client, db, settings):
    await learner(client, "quiet@example.jp", lang="ja")
    await issue_badges(db, settings, "quiet@example.jp")
    page = await client.get("/wallet/progress", headers=HTML)
    assert 'data-milestone="first_verified"' in page.text and "data-streak" in page.text
    assert "学習の継続" in page.text

    token = await csrf_token(client)
    saved = await client.post("/wallet/progress/settings", data=form(token), headers=HTML,
                              follow_redirects=False)
    assert saved.status_code == 303
    page = await client.get("/wallet/progress", headers=HTML)
    assert "data-milestone" not in page.text and "data-streak" not in page.text
    assert re.search(r'name="show_motivation"(?! checked)', page.text)
    person = await _person(db, "quiet@example.jp")
    assert (await progress.progress_view(db, settings, person)).milestones == []

    await client.post("/wallet/progress/settings", data=form(token, show_motivation="on"), headers=HTML)
    page = await client.get("/wallet/progress", headers=HTML)
    assert 'data-milestone="first_verified"' in page.text


async def test_progress_page_needs_sign_in_and_says_what_to_do_without_a_goal(client):
    response = await client.get("/wallet/progress", headers=HTML, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    await learner(client, "nogoal@example.jp")
    page = await client.get("/wallet/progress", headers=HTML)
    assert "No goal role yet" in page.text and 'href="/wallet/gap"' in page.text
    assert "data-progress-percent" not in page.text


def test_history_and_milestones_use_the_japanese_calendar_day():
    """A change at 01:00 JST on 5 December (16:00 UTC on the 4th) is dated the 5th, as the pages show it;
    a credential issued at 23:30 UTC on a Sunday counts for the Monday's week in Japan."""
    taxonomy = get_taxonomy()
    role = taxonomy.role("se-backend")
    late = ProfileSnapshot(person_id=uuid.uuid4(), version="2.0",
                           created_at=datetime(2026, 12, 4, 16, 0, tzinfo=timezone.utc),
                           items={"v2-backend": {"level": "a", "status": "verified"}})
    assert [day for day, _ in progress.history([late], role, taxonomy)] == [date(2026, 12, 5)]
    (first,) = [m for m in progress.milestones([late], taxonomy, None) if m.kind == "first_verified"]
    assert first.on == date(2026, 12, 5)
    sunday_night_utc = {"validFrom": "2026-12-06T23:30:00Z"}  # Monday 08:30 JST
    assert progress._credential_day(sunday_night_utc, datetime(2020, 1, 1, tzinfo=timezone.utc)) == date(2026, 12, 7)
