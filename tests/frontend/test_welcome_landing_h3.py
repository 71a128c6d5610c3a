"""A learner's sign-ins land on the first-run path (/welcome) until they finish or skip it, then on the
wallet; a provider's or employer's console is not replaced; a safe ``next`` still wins. Through the real
sign-in form."""

from __future__ import annotations

import uuid

from tests.conftest import TEST_PASSWORD, create_org, sign_up

HTML = {"accept": "text/html"}


async def _sign_in(client, email: str, next_path: str | None = None) -> str:
    """Sign in through the form page's own token and return where the form sends the browser."""
    for name in ("skillpass_session", "skillpass_csrf"):
        client.cookies.delete(name)
    form_page = await client.get("/signin", headers=HTML)
    assert 'id="signin_form"' in form_page.text
    form = {"email": email, "password": TEST_PASSWORD, "_csrf_token": client.cookies.get("skillpass_csrf")}
    if next_path is not None:
        form["next"] = next_path
    response = await client.post("/signin", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def _post(client, path: str, data: dict) -> str:
    response = await client.post(path, data={**data, "_csrf_token": client.cookies.get("skillpass_csrf")},
                                 headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_every_sign_in_lands_on_welcome_until_it_is_skipped(client) -> None:
    await sign_up(client, "first@example.jp", lang="ja")
    assert await _sign_in(client, "first@example.jp") == "/welcome"
    assert await _sign_in(client, "first@example.jp") == "/welcome"  # not done yet: offered again
    page = await client.get("/welcome", headers=HTML)
    assert page.status_code == 200 and "目標を選ぶ" in page.text
    assert await _post(client, "/welcome/finish", {"then": "wallet"}) == "/wallet"  # skipped
    assert await _sign_in(client, "first@example.jp") == "/wallet"


async def test_a_finished_path_lands_on_the_wallet_after_the_goal(client) -> None:
    await sign_up(client, "goal@example.jp")
    assert await _sign_in(client, "goal@example.jp") == "/welcome"
    assert await _post(client, "/welcome/goal", {"goal": "explore"}) == "/welcome?step=add"
    assert await _sign_in(client, "goal@example.jp") == "/welcome"  # a goal alone is not the end of it
    assert await _post(client, "/welcome/finish", {"then": "profile"}) == "/wallet/profile"
    assert await _sign_in(client, "goal@example.jp") == "/wallet"


async def test_a_safe_next_wins_over_welcome(client) -> None:
    await sign_up(client, "next@example.jp")
    assert await _sign_in(client, "next@example.jp", "/wallet/credentials") == "/wallet/credentials"
    assert await _sign_in(client, "next@example.jp", "//evil.example/") == "/welcome"


async def test_providers_and_employers_keep_their_console(client) -> None:
    await sign_up(client, "teacher@example.jp")
    org_id = (await create_org(client, "provider", f"provider-{uuid.uuid4().hex[:6]}"))["id"]
    assert await _sign_in(client, "teacher@example.jp") == f"/provider/{org_id}"
    await sign_up(client, "hr@example.jp")
    employer_id = (await create_org(client, "employer", f"employer-{uuid.uuid4().hex[:6]}"))["id"]
    assert await _sign_in(client, "hr@example.jp") == f"/employer/{employer_id}"


async def test_a_password_reset_offers_welcome_only_until_it_is_done(app, client) -> None:
    from litestar.testing import AsyncTestClient

    from tests.accounts.test_password_reset import reset_token
    from tests.conftest import outbox_files

    await sign_up(client, "reset-welcome@example.jp")
    for onboarded in (False, True):
        async with AsyncTestClient(app=app) as browser:
            await browser.get("/password-reset", headers=HTML)
            before = outbox_files(browser)
            await browser.post("/password-reset", headers=HTML, data={
                "email": "reset-welcome@example.jp", "_csrf_token": browser.cookies.get("skillpass_csrf")})
            token = reset_token(browser, "reset-welcome@example.jp", before)
            await browser.get(f"/account/reset?token={token}", headers=HTML)
            done = await browser.post("/account/reset", headers=HTML, data={
                "token": token, "new_password": f"new-password-{onboarded}",
                "_csrf_token": browser.cookies.get("skillpass_csrf")})
            assert done.status_code == 200 and 'href="/wallet"' in done.text
            assert ('href="/welcome"' in done.text) is not onboarded
            if not onboarded:
                assert await _post(browser, "/welcome/finish", {}) == "/wallet"
