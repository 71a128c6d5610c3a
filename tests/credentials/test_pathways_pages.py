"""Pathway pages: the provider console creates one through the same rule as the API (errors next to
their fields, nothing stored), and the learner sees progress, then the received (or revoked) badge."""

from __future__ import annotations

from sqlalchemy import func, select

from credentials.issuance import IssuanceService
from credentials.pathways.models import Pathway
from credentials.revocation import change_state
from tests.conftest import TEST_PASSWORD, csrf_headers
from tests.credentials.test_pathways import LEARNER, badges_of, issue, make_pathway, provider
from tests.frontend.helpers import HTML, csrf_token, form, learner


async def sign_in(client, email: str) -> None:
    answer = await client.post("/api/v1/auth/signin", json={"email": email, "password": TEST_PASSWORD},
                               headers=await csrf_headers(client))
    assert answer.status_code == 200, answer.text


async def test_console_creates_a_pathway_and_refuses_what_the_api_refuses(client, db, settings):
    org, admin, made = await provider(db, settings)
    await sign_in(client, admin.email)
    client.cookies.set("lang", "ja")
    base = f"/provider/{org.id}/pathways"
    page = await client.get(base, headers=HTML)
    assert page.status_code == 200 and "新しい学習パス" in page.text
    token = await csrf_token(client)
    # the badge among the steps: 422 with the field's error in Japanese, nothing stored
    bad = await client.post(base, headers=HTML, data=form(token, name_ja="入門", name_en="Starter",
                                                           steps=[str(made[0].id), str(made[2].id)],
                                                           badge_achievement_id=str(made[2].id)))
    assert bad.status_code == 422
    assert "ステップに含めていない自組織の証明書を選んでください。" in bad.text
    assert await db.scalar(select(func.count()).select_from(Pathway)) == 0
    good = await client.post(base, headers=HTML, follow_redirects=False, data=form(
        token, name_ja="入門", name_en="Starter", steps=[str(made[0].id), str(made[1].id)],
        **{f"group_{made[1].id}": "応用"}, ordered="on", badge_achievement_id=str(made[2].id), role_id="se-backend"))
    assert good.status_code == 303
    [pathway] = (await db.execute(select(Pathway))).scalars().all()
    assert (pathway.name_en, pathway.role_id, pathway.ordered) == ("Starter", "se-backend", True)
    listed = await client.get(base, headers=HTML)
    assert f'data-pathway="{pathway.id}"' in listed.text and "グループ: 応用" in listed.text


async def test_learner_sees_progress_then_the_badge_and_its_revocation(client, db, settings):
    await learner(client, LEARNER)
    org, _, made = await provider(db, settings)
    await make_pathway(db, settings, org, made)
    empty = await client.get("/wallet/pathways", headers=HTML)
    assert "No related pathways yet" in empty.text
    await issue(db, settings, org.id, made[0].id)
    page = await client.get("/wallet/pathways", headers=HTML)
    assert 'data-done="1" data-units="2"' in page.text and "1 of 2 steps done" in page.text
    await issue(db, settings, org.id, made[1].id)
    page = await client.get("/wallet/pathways", headers=HTML)
    assert 'data-done="2"' in page.text and 'data-award="active"' in page.text
    assert "Pathway badge received" in page.text
    [badge] = await badges_of(db, made[2].id)
    await change_state(IssuanceService(db, settings), org.id, badge.id, "revoke", None)
    await db.commit()
    page = await client.get("/wallet/pathways", headers=HTML)
    assert 'data-award="revoked"' in page.text and "The issuer revoked the pathway badge" in page.text
