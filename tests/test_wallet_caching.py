"""What the wallet page keeps between requests (issue 11) and that every change still shows at once:
the per-process profile overview (``skills.service.ProfileService.overview``) follows a revocation, an
organisation suspended or reinstated, and new evidence; an unchanged session is not written again on
every page view, yet a changed one is, and an unchanged one is rewritten once its window has passed."""

from __future__ import annotations

import re

from accounts.service import AccountService
from accounts import sessions
from accounts.verification import OrgVerificationService
from credentials.issuance import IssuanceService
from skills.service import ProfileService
from tests.conftest import VERIFY_ADMIN_EMAIL
from tests.frontend.helpers import HTML, PROVIDER_SLUG, assert_full_page, issue_badges, learner

SESSION_COOKIE = "skillpass_session"


def counts(page: str) -> tuple[int, int, int]:
    """(verified, evidenced, self-declared) skill items in the wallet home's counts line."""
    found = re.search(r"Skill items: (\d+) verified, (\d+) evidenced, (\d+) self-declared", page)
    assert found, page[:2000]
    return int(found[1]), int(found[2]), int(found[3])


async def wallet(client) -> str:
    response = await client.get("/wallet", headers=HTML)
    assert_full_page(response)
    return response.text


async def test_a_revocation_shows_on_the_next_wallet_page(client, db, settings) -> None:
    await learner(client, lang="en")
    issued, = await issue_badges(db, settings, "hanako@example.jp")
    for _ in range(2):  # the second view is served from the cached overview
        page = await wallet(client)
        assert counts(page) == (2, 0, 0) and "Valid · vetted issuer" in page
    org = await AccountService(db).org_by_slug(PROVIDER_SLUG)
    await IssuanceService(db, settings).change_state(org.id, issued.id, "revoke", "issued in error")
    await db.commit()
    page = await wallet(client)
    assert "not verified" in page and "Valid · vetted issuer" not in page
    assert "No skills yet" in page  # the revoked badge no longer backs any skill


async def test_an_organisation_suspended_then_reinstated_changes_trust_on_the_wallet_page(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    assert counts(await wallet(client)) == (2, 0, 0)
    accounts = AccountService(db)
    org = await accounts.org_by_slug(PROVIDER_SLUG)
    admin = await accounts.person_by_email(VERIFY_ADMIN_EMAIL)
    await OrgVerificationService(db).suspend(org.id, admin.id, "corporate number withdrawn")
    await db.commit()
    page = await wallet(client)
    assert counts(page) == (0, 2, 0) and "Signature valid · issuer not recognised" in page
    await OrgVerificationService(db).reinstate(org.id, admin.id, "number confirmed again")
    await db.commit()
    page = await wallet(client)
    assert counts(page) == (2, 0, 0) and "Valid · vetted issuer" in page


async def test_the_overview_is_kept_until_the_profile_changes(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    person = await AccountService(db).person_by_email("hanako@example.jp")
    profiles = ProfileService(db, settings)
    first = await profiles.overview(person.id, None)
    assert await profiles.overview(person.id, None) is first  # nothing changed: the same computation
    assert (await profiles.overview(person.id, "de-ux-ui-designer")).gap is not None  # keyed by role too
    await profiles.set_self_level(person.id, "v2-sre", "c")
    await db.commit()
    changed = await profiles.overview(person.id, None)
    assert changed is not first and changed.profile.items["v2-sre"].status == "self_declared"
    assert counts(await wallet(client)) == (2, 0, 1)


async def test_an_unchanged_session_is_not_written_again_until_its_window_passes(client, monkeypatch) -> None:
    await learner(client, lang="en")
    assert (await client.get("/wallet", headers=HTML)).status_code == 200
    again = await client.get("/wallet", headers=HTML)
    assert again.status_code == 200
    assert SESSION_COOKIE not in again.headers.get("set-cookie", "")  # read, unchanged: not stored again
    window = sessions._window()
    monkeypatch.setattr(sessions, "_window", lambda: window + 1)
    later = await client.get("/wallet", headers=HTML)
    assert SESSION_COOKIE in later.headers.get("set-cookie", "")  # rewritten: expiry and cookie renewed
    after = await client.get("/wallet", headers=HTML)
    assert SESSION_COOKIE not in after.headers.get("set-cookie", "")
    assert "Hanako Yamada" in after.text  # still signed in from the stored session


async def test_signing_out_after_unwritten_views_still_ends_the_session(client) -> None:
    await learner(client, lang="en")
    for _ in range(3):
        assert (await client.get("/wallet", headers=HTML)).status_code == 200
    stolen = client.cookies.get(SESSION_COOKIE)
    out = await client.post("/api/v1/auth/signout", headers={"x-csrftoken": client.cookies.get("skillpass_csrf", "")})
    assert out.status_code == 200, out.text
    client.cookies.set(SESSION_COOKIE, stolen)  # the old id is gone from the store, not only from the browser
    assert (await client.get("/wallet", headers=HTML)).status_code == 401


async def test_a_signed_in_wallet_view_takes_one_database_connection(client, settings) -> None:
    """The session is read on the request's own connection (accounts.sessions), not on a second one."""
    from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
    from sqlalchemy import event

    await learner(client, lang="en")
    await wallet(client)
    engine = client.app.plugins.get(SQLAlchemyPlugin).config[0].get_engine()
    checkouts: list[int] = []

    def counted(*_args) -> None:
        checkouts.append(1)

    event.listen(engine.sync_engine, "checkout", counted)
    try:
        await wallet(client)
    finally:
        event.remove(engine.sync_engine, "checkout", counted)
    # SQLite keeps sessions in files (core.kvstore): the page's own connection is the only one there too
    assert len(checkouts) == 1
