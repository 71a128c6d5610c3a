"""Issue 17's journey in a real browser: the employer finds a pseudonymous candidate and asks to hear from them,
the learner shares in the wallet, the employer sees exactly the shared data, shortlists and marks the hire,
the learner confirms, and the trends page shows the outcome cell suppressed below k and as a number at k.

The other hired people are seeded through the domain functions on the live server's database."""

from __future__ import annotations

import asyncio
import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from tests.browser.conftest import DEMO_PASSWORD, LIVE

pytestmark = pytest.mark.browser

EMPLOYER = "hr@demo.skillpass.jp"
LEARNER = "taro@demo.skillpass.jp"  # discoverable; his name is not consented to employers
LEARNER_NAME = "佐藤 太郎"
ROLE = "ds-data-science-professional"  # his target role
POSTING = "Data Scientist (demand forecasting)"


def run(work):
    """Run ``work(session, settings)`` on the live server's database and commit."""
    from core.db import make_engine
    from core.settings import Settings

    async def main():
        folder = LIVE["data_dir"]
        settings = Settings(environment="development", database_url=f"sqlite+aiosqlite:///{folder}/skillpass.db",
                            data_dir=folder, base_url="http://127.0.0.1", database_pool=False)
        engine = make_engine(settings)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                result = await work(session, settings)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API holds this thread's event loop
        return pool.submit(asyncio.run, main()).result()


async def verify_employer(session, settings) -> dict:
    """The demo employer verified by the demo platform admin (only verified employers may ask)."""
    from accounts.service import AccountService
    from accounts.verification import OrgVerificationService
    from matching.models import JobPosting
    from skillpass.demo import DEMO_ADMIN

    accounts = AccountService(session)
    org, admin = await accounts.org_by_slug("sakura-dx"), await accounts.person_by_email(DEMO_ADMIN)
    if org.verification_state == "unverified":
        await OrgVerificationService(session).request(org.id, admin.id, "7000012050002", "sakura-dx.example.jp")
        await OrgVerificationService(session).approve(org.id, admin.id, "verified for the contact journey")
    posting = (await session.execute(select(JobPosting).where(JobPosting.org_id == org.id,
                                                              JobPosting.title == POSTING))).scalar_one()
    learner = await accounts.person_by_email(LEARNER)
    return {"org_id": org.id, "posting_id": posting.id, "learner_id": learner.id}


def seed_hires(ids: dict, count: int):
    """``count`` other people with the same target role, shortlisted, hired and confirming, through the domain."""
    async def work(session, settings) -> None:
        from accounts.service import AccountService
        from matching.contact import outcomes, shortlists
        from skills.consent import update_learner_settings

        for _ in range(count):
            person = await AccountService(session).sign_up(f"hired-{uuid.uuid4().hex[:8]}@example.jp", DEMO_PASSWORD,
                                                           "採用された人", "ja", confirmed=True)
            await update_learner_settings(session, person.id, {"discoverable": True, "target_role": ROLE,
                                                               "employer_parts": ["skills"]})
            await session.flush()
            await shortlists.add(session, ids["org_id"], ids["posting_id"], person.id, None)
            hire = await outcomes.mark_hired(session, ids["org_id"], ids["posting_id"], person.id, None)
            await outcomes.confirm(session, settings, person.id, hire.id)

    run(work)


def role_cell(tab):
    tab.goto("/trends", "trends-outcomes")
    return tab.page.locator(f"table[data-outcomes=role] tr[data-cell={ROLE}]")


def test_search_request_share_shortlist_hire_confirm_and_the_outcome_cell(visit) -> None:
    from matching.trends import THRESHOLD

    ids = run(verify_employer)
    base = f"/employer/{ids['org_id']}"
    learner_id = str(ids["learner_id"])

    employer = visit(lang="ja", suffix="-employer")
    employer.sign_in(EMPLOYER)
    employer.goto(f"{base}/candidates?role_id={ROLE}", "candidate-search")
    page = employer.page
    page.locator(f"#candidate_results a[href*='{learner_id}']").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="連絡を依頼する・候補リストに追加する").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("[data-pseudonymous]")).to_be_visible()
    expect(page.get_by_text(LEARNER_NAME)).to_have_count(0)
    page.get_by_label("求人（任意）").select_option(label=POSTING)
    page.get_by_label("スキル", exact=True).check()
    page.get_by_label("メッセージ").fill("需要予測のポジションについてお話しできますか。")
    employer.snap("contact-request-filled")
    page.get_by_role("button", name="依頼を送る").click()
    expect(page.get_by_text("依頼を送りました。")).to_be_visible()
    expect(page.get_by_text("依頼への回答を待っています。")).to_be_visible()
    employer.snap("contact-request-sent")

    learner = visit(lang="ja", suffix="-learner")
    learner.sign_in(LEARNER)
    learner.goto("/wallet/contact", "wallet-contact")
    request = learner.page.locator("article", has_text="さくらDX株式会社")
    expect(request.get_by_text("需要予測のポジションについてお話しできますか。")).to_be_visible()
    request.locator("input[name=parts][value=display_name]").check()
    request.locator("input[name=parts][value=skills]").check()
    request.get_by_role("button", name=re.compile("共有して回答する")).click()
    expect(learner.page.get_by_text("共有しました。企業は共有した内容だけを見られます。")).to_be_visible()
    learner.snap("wallet-shared")
    assert not learner.axe_serious(), learner.axe_serious()

    employer.goto(f"{base}/candidates/{learner_id}/contact", "candidate-shared")
    expect(page.locator("[data-shared=display_name]")).to_have_text(LEARNER_NAME)
    assert not employer.axe_serious(), employer.axe_serious()
    page.get_by_label("求人", exact=True).select_option(label=POSTING)
    page.get_by_role("button", name="候補リストに追加").click()
    expect(page.get_by_text("候補リストに追加しました。")).to_be_visible()
    page.get_by_role("link", name=re.compile("の候補リストに入っています")).click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tr", has_text=LEARNER_NAME)
    row.get_by_role("button", name=re.compile("採用を記録")).click()
    expect(page.get_by_text("採用を記録しました。本人の確認を待っています。")).to_be_visible()
    expect(page.locator("tr", has_text=LEARNER_NAME).locator("[data-hire=pending]")).to_be_visible()
    employer.snap("shortlist-hired")
    assert not employer.errors, employer.errors

    seed_hires(ids, THRESHOLD - 2)  # with the learner's: one below k
    learner.goto("/wallet/contact", "wallet-hire")
    learner.page.get_by_role("button", name=re.compile("採用されたことを確認")).click()
    expect(learner.page.get_by_text("採用を確認しました。匿名の統計に数えられます。")).to_be_visible()
    cell = role_cell(learner)
    expect(cell.locator("[data-suppressed]")).to_be_visible()
    expect(cell.locator("[data-count]")).to_have_count(0)

    seed_hires(ids, 1)  # k people
    cell = role_cell(learner)
    expect(cell.locator("[data-count]")).to_have_text(str(THRESHOLD))
    assert not learner.errors, learner.errors
    assert not learner.axe_serious(), learner.axe_serious()


def ask_for_a_presentation(ids: dict) -> None:
    async def work(session, settings) -> None:
        from matching.contact import requests
        from matching.contact.models import ContactRequest

        open_ones = (await session.execute(select(ContactRequest).where(
            ContactRequest.org_id == ids["org_id"], ContactRequest.person_id == ids["learner_id"],
            ContactRequest.state == "open"))).scalars()
        for request in open_ones:  # another test's request still waiting: answer it first
            await requests.decline(session, ids["learner_id"], request.id)
        await session.flush()
        await requests.send_request(session, settings, ids["org_id"], None, ids["learner_id"],
                                    posting_id=ids["posting_id"], wants=["presentation"],
                                    message="Could you show us a verified badge?")

    run(work)


def test_the_learner_answers_by_presenting_a_badge_on_a_phone(visit) -> None:
    from tests.browser.conftest import PHONE

    ids = run(verify_employer)
    ask_for_a_presentation(ids)
    learner = visit(lang="en", viewport=PHONE, suffix="-learner")
    learner.sign_in(LEARNER)
    learner.goto("/wallet/contact", "wallet-contact-present")
    request = learner.page.locator("article", has_text="Could you show us a verified badge?")
    request.get_by_text("Answer by presenting a credential (verifiable presentation)").click()
    badge = request.locator("input[name=held_id]").first
    expect(badge).to_be_checked()
    ticked = request.locator(f"input[name='skills-{badge.get_attribute('value')}']")
    codes = [ticked.nth(i).get_attribute("value") for i in range(ticked.count())]
    assert codes, "the badge has skills to disclose"
    for extra in range(1, len(codes)):  # disclose only the first skill
        ticked.nth(extra).uncheck()
    learner.snap("wallet-present-chosen")
    request.get_by_role("button", name=re.compile("Present and answer")).click()
    expect(learner.page.get_by_text("You answered by presenting a credential.")).to_be_visible()
    learner.snap("wallet-presented")
    assert not learner.axe_serious(), learner.axe_serious()
    assert not learner.errors, learner.errors

    employer = visit(lang="en", suffix="-employer")
    employer.sign_in(EMPLOYER)
    employer.goto(f"/employer/{ids['org_id']}/candidates/{ids['learner_id']}/contact", "candidate-presented")
    presented = employer.page.locator("[data-presented]").first
    expect(presented.get_by_text("The presented credential is verified.")).to_be_visible()
    expect(presented.locator("[data-trust=trusted]")).to_be_visible()
    expect(presented.locator(f"[data-presented-skill='{codes[0]}']")).to_be_visible()
    for code in codes[1:]:
        expect(presented.locator(f"[data-presented-skill='{code}']")).to_have_count(0)
    expect(employer.page.get_by_text(LEARNER_NAME)).to_have_count(0)
    assert not employer.axe_serious(), employer.axe_serious()
