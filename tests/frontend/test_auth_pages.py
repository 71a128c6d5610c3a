"""Sign-in and sign-up pages: full page vs htmx fragment, CSRF on forms, errors next to fields."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD, sign_up


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


async def test_successful_signin_redirects_to_the_wallet(client) -> None:
    await sign_up(client, "form@example.jp")
    client.cookies.clear()
    token = await _csrf(client)
    response = await client.post("/signin", data={"email": "form@example.jp", "password": TEST_PASSWORD,
                                                  "_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/wallet"
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
    assert response.headers["location"] == "/wallet"
