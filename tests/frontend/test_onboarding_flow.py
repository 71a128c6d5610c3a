"""The first-run path: the confirmation page leads to it; a goal becomes the target role ("explore": none);
an unknown role is refused; finishing or skipping is remembered."""

from __future__ import annotations

from sqlalchemy import select

from skills.models import LearnerSettings
from tests.frontend.helpers import HTML, csrf_token, learner
from taxonomies.dss import get_taxonomy


async def _settings(db) -> LearnerSettings | None:
    db.expire_all()
    return (await db.execute(select(LearnerSettings))).scalar_one_or_none()


async def test_goal_then_what_to_add_then_done_is_remembered(client, db) -> None:
    await learner(client, "welcome@example.jp", lang="ja")
    role = next(r for r in get_taxonomy().roles() if not r.extension)
    first = (await client.get("/welcome", headers=HTML)).text
    assert "目標を選ぶ" in first and role.name_ja in first and "まずは見てみる" in first and "スキップする" in first
    assert role.name_en not in first or role.name_en == role.name_ja

    unknown = await client.post("/welcome/goal", headers=HTML, data={"goal": "no-such-role",
                                                                     "_csrf_token": await csrf_token(client)})
    assert unknown.status_code == 422 and "一覧から目標を選んでください。" in unknown.text
    assert await _settings(db) is None

    chosen = await client.post("/welcome/goal", headers=HTML, data={"goal": role.id,
                                                                    "_csrf_token": await csrf_token(client)},
                               follow_redirects=False)
    assert chosen.status_code in (302, 303) and chosen.headers["location"] == "/welcome?step=add"
    assert (await _settings(db)).target_role == role.id
    add = (await client.get("/welcome?step=add", headers=HTML)).text
    for link in ('href="/wallet/credentials/import"', 'href="/wallet/records"', 'href="/wallet/exams"',
                 'href="/wallet/assess"'):
        assert link in add, link

    done = await client.post("/welcome/finish", headers=HTML, data={"then": "profile",
                                                                    "_csrf_token": await csrf_token(client)},
                             follow_redirects=False)
    assert done.headers["location"] == "/wallet/profile"
    finished_at = (await _settings(db)).onboarded_at
    assert finished_at is not None
    assert "スキップする" not in (await client.get("/welcome", headers=HTML)).text
    await client.post("/welcome/finish", headers=HTML, data={"_csrf_token": await csrf_token(client)})
    assert (await _settings(db)).onboarded_at == finished_at  # the first time is kept


async def test_explore_keeps_no_target_role_and_skip_goes_to_the_wallet(client, db) -> None:
    await learner(client, "explorer@example.jp", lang="en")
    await client.post("/welcome/goal", headers=HTML, data={"goal": "explore", "_csrf_token": await csrf_token(client)})
    settings = await _settings(db)
    assert settings.target_role is None and settings.onboarded_at is None
    skipped = await client.post("/welcome/finish", headers=HTML, data={"then": "wallet",
                                                                       "_csrf_token": await csrf_token(client)},
                                follow_redirects=False)
    assert skipped.headers["location"] == "/wallet" and (await _settings(db)).onboarded_at is not None
