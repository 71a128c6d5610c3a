"""Sign-in, sign-up, confirmation and password reset pages: full page vs htmx fragment, CSRF on forms, errors
next to fields, Japanese and English."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.conftest import TEST_PASSWORD, sign_up
from tests.frontend.helpers import HTML


async def _csrf(client) -> str:
    await client.get("/signin")
    return client.cookies.get("skillpass_csrf")


async def test_signin_page_is_a_full_page_with_a_csrf_field(client) -> None:
    response = await client.get("/signin")
    assert response.status_code == 200
    assert "<html" in response.text and 'name="_csrf_token"' in response.text
    assert 'for="f-email"' in response.text  # labelled controls


async def test_form_post_without_csrf_token_is_refused(client) -> None:
    await client.get("/signin")
    response = await client.post("/signin", data={"email": "a@example.jp", "password": "x"},
                                 headers={"accept": "text/html"})
    assert response.status_code == 403
    assert "<html" in response.text


async def test_wrong_password_rerenders_only_the_form_for_htmx(client) -> None:
    token = await _csrf(client)
    response = await client.post(
        "/signin", data={"email": "nobody@example.jp", "password": "wrong-password", "_csrf_token": token},
        headers={"hx-request": "true", "hx-target": "signin_form"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="signin_form"' in response.text
    assert 'role="alert"' in response.text


async def test_successful_signin_redirects_a_new_learner_to_the_first_run_path(client) -> None:
    await sign_up(client, "form@example.jp")
    client.cookies.clear()
    token = await _csrf(client)
    response = await client.post("/signin", data={"email": "form@example.jp", "password": TEST_PASSWORD,
                                                  "_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/welcome"  # not onboarded yet
    me = await client.get("/api/v1/me")
    assert me.status_code == 200


async def test_signup_errors_are_shown_next_to_each_field_in_the_chosen_language(client) -> None:
    client.cookies.set("lang", "en")
    await client.get("/signup")
    token = client.cookies.get("skillpass_csrf")
    response = await client.post("/signup", data={"email": "not-an-email", "password": "short", "display_name": "",
                                                  "_csrf_token": token, "lang": "en"})
    assert response.status_code == 422  # as the API answers the same input
    assert 'id="e-email"' in response.text and 'id="e-password"' in response.text
    assert "Use at least 10 characters." in response.text


async def test_language_switch_is_kept_on_the_account(client) -> None:
    await sign_up(client, "lang@example.jp", lang="ja")
    page_ja = await client.get("/")
    assert 'lang="ja"' in page_ja.text
    token = client.cookies.get("skillpass_csrf")
    switched = await client.post("/lang", data={"lang": "en", "next": "/", "_csrf_token": token},
                                 follow_redirects=False)
    assert switched.status_code == 303
    client.cookies.delete("lang")  # the account keeps the choice even without the cookie
    page_en = await client.get("/")
    assert 'lang="en"' in page_en.text and "Skill wallet" in page_en.text


async def test_open_redirects_are_not_followed(client) -> None:
    await sign_up(client, "redir@example.jp")
    client.cookies.clear()
    token = await _csrf(client)
    response = await client.post("/signin", data={"email": "redir@example.jp", "password": TEST_PASSWORD,
                                                  "next": "//evil.example", "_csrf_token": token},
                                 follow_redirects=False)
    assert response.headers["location"] == "/welcome"  # the own landing (a new learner), not the other site


async def test_password_reset_pages_in_japanese_from_sign_in_to_a_new_password(app, client) -> None:
    from tests.accounts.test_password_reset import reset_token
    from tests.conftest import outbox_files

    await sign_up(client, "reset-ja@example.jp", lang="ja")
    async with AsyncTestClient(app=app) as browser:
        browser.cookies.set("lang", "ja")
        signin = await browser.get("/signin", headers=HTML)
        assert 'href="/password-reset"' in signin.text and "パスワードをお忘れですか？" in signin.text
        asked = await browser.get("/password-reset", headers=HTML)
        assert asked.status_code == 200 and "再設定メールを送る" in asked.text and 'name="_csrf_token"' in asked.text
        no_csrf = await browser.post("/password-reset", data={"email": "reset-ja@example.jp"})
        assert no_csrf.status_code == 403
        before = outbox_files(browser)
        sent = await browser.post("/password-reset", headers={**HTML, "HX-Request": "true",
                                                              "HX-Target": "reset_request_form"},
                                  data={"email": "reset-ja@example.jp", "_csrf_token": browser.cookies.get("skillpass_csrf")})
        assert sent.status_code == 200 and "<html" not in sent.text
        assert "reset-ja@example.jp にメールを送りました" in sent.text and "1 時間有効" in sent.text
        token = reset_token(browser, "reset-ja@example.jp", before)

        shown = await browser.get(f"/account/reset?token={token}", headers=HTML)
        assert shown.status_code == 200 and "新しいパスワード" in shown.text
        assert shown.headers["referrer-policy"] == "no-referrer" and shown.headers["cache-control"] == "no-store"
        assert (await browser.get("/api/v1/auth/me")).status_code == 401  # showing the form changes nothing
        csrf = browser.cookies.get("skillpass_csrf")
        short = await browser.post("/account/reset", headers=HTML,
                                   data={"token": token, "new_password": "short", "_csrf_token": csrf})
        assert short.status_code == 422 and 'id="e-new_password"' in short.text  # as the API
        assert "パスワードは10文字以上にしてください。" in short.text and f'value="{token}"' in short.text
        done = await browser.post("/account/reset", headers=HTML,
                                  data={"token": token, "new_password": "new-page-password", "_csrf_token": csrf})
        assert done.status_code == 200 and "新しいパスワードを設定し、reset-ja@example.jp を確認しました" in done.text
        assert 'href="/welcome">はじめの 3 ステップへ' in done.text  # signed in, first-run path not done yet
        assert (await browser.get("/api/v1/auth/me")).json()["person"]["email"] == "reset-ja@example.jp"
        reused = await browser.post("/account/reset", headers=HTML,
                                    data={"token": token, "new_password": "new-page-password", "_csrf_token": csrf})
        assert reused.status_code == 422 and "この再設定リンクは使えません" in reused.text
    assert (await client.get("/api/v1/auth/me")).status_code == 401  # the other session ended


async def test_confirm_page_in_english_asks_for_the_sign_up_password(client) -> None:
    from tests.conftest import mailed_token, outbox_files

    before = outbox_files(client)
    await sign_up(client, "confirm-en@example.jp", lang="en", confirm=False)
    token = mailed_token(client, "confirm-en@example.jp", before)
    client.cookies.clear()
    client.cookies.set("lang", "en")
    shown = await client.get(f"/account/confirm?token={token}", headers=HTML)
    assert "The password you chose at sign-up" in shown.text and "Forgot the password you chose?" in shown.text
    assert 'href="/password-reset"' in shown.text and "If you did not sign up" in shown.text
    csrf = client.cookies.get("skillpass_csrf")
    wrong = await client.post("/account/confirm", headers=HTML,
                              data={"token": token, "password": "not-my-password", "_csrf_token": csrf})
    assert wrong.status_code == 422 and 'id="e-password"' in wrong.text  # as the API
    assert "This is not the password chosen at sign-up." in wrong.text and f'value="{token}"' in wrong.text
    done = await client.post("/account/confirm", headers=HTML,
                             data={"token": token, "password": TEST_PASSWORD, "_csrf_token": csrf})
    assert done.status_code == 200 and "confirm-en@example.jp is confirmed." in done.text


async def test_reset_request_page_in_english_reads_the_same_for_an_unknown_address(client) -> None:
    await sign_up(client, "page-known@example.jp")
    client.cookies.clear()
    client.cookies.set("lang", "en")
    await client.get("/password-reset", headers=HTML)
    pages = {}
    for email in ("page-known@example.jp", "page-unknown@example.jp"):
        answer = await client.post("/password-reset", headers=HTML,
                                   data={"email": email, "_csrf_token": client.cookies.get("skillpass_csrf")})
        assert answer.status_code == 200
        pages[email] = answer.text.replace(email, "ADDRESS")
    assert pages["page-known@example.jp"] == pages["page-unknown@example.jp"]
    assert "If the address has an account" in pages["page-known@example.jp"]


async def test_signing_up_from_the_sign_in_page_comes_back_to_where_it_was_asked_for(client) -> None:
    """A third-party application sends a learner with no account to /signin?next=<its consent page>:
    sign-up keeps ``next``, and the confirmation (in the same browser) offers to continue there."""
    from tests.conftest import mailed_token, outbox_files

    wanted = "/oauth/ob/authorize?client_id=abc&scope=x"
    shown = await client.get("/signin", params={"next": wanted}, headers=HTML)
    assert 'href="/signup?next=/oauth/ob/authorize%3Fclient_id%3Dabc%26scope%3Dx"' in shown.text
    form = await client.get("/signup", params={"next": wanted}, headers=HTML)
    assert f'name="next" value="{wanted.replace("&", "&amp;")}"' in form.text
    outside = await client.get("/signup", params={"next": "//evil.example/x"}, headers=HTML)
    assert 'name="next" value="//evil' not in outside.text  # no open redirect
    before = outbox_files(client)
    sent = await client.post("/signup", headers=HTML, data={
        "display_name": "次の人", "email": "next@example.jp", "password": TEST_PASSWORD, "lang": "ja",
        "accept_terms": "yes", "next": wanted, "_csrf_token": client.cookies.get("skillpass_csrf")})
    assert sent.status_code == 200, sent.text
    token = mailed_token(client, "next@example.jp", before)
    await client.get(f"/account/confirm?token={token}", headers=HTML)
    done = await client.post("/account/confirm", headers=HTML, data={
        "token": token, "password": TEST_PASSWORD, "_csrf_token": client.cookies.get("skillpass_csrf")})
    assert done.status_code == 200, done.text
    assert f'href="{wanted.replace("&", "&amp;")}" data-next' in done.text and "中断したところから続ける" in done.text
    assert (await client.get("/api/v1/auth/me")).json()["person"]["email"] == "next@example.jp"
