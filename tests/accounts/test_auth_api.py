"""Sign-up, sign-in, sign-out, CSRF refusal and sign-in rate limiting through the JSON API."""

from __future__ import annotations

from tests.conftest import TEST_PASSWORD, csrf_headers, sign_up


async def test_sign_up_confirm_sign_in_and_me_shows_the_person(client) -> None:
    person = await sign_up(client, "aki@example.jp", "秋山 明", "ja")
    assert person["email"] == "aki@example.jp" and "password_hash" not in person
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["person"]["display_name"] == "秋山 明"


async def test_sign_up_refuses_short_password_and_answers_a_known_email_as_a_new_one(client) -> None:
    headers = await csrf_headers(client)
    short = await client.post("/api/v1/auth/signup", headers=headers,
                              json={"email": "x@example.jp", "password": "short", "display_name": "X"})
    assert short.status_code == 422
    assert short.headers["content-type"].startswith("application/problem+json")
    assert short.json()["errors"][0]["field"] == "password"
    await sign_up(client, "dup@example.jp")
    client.cookies.clear()
    again = await client.post("/api/v1/auth/signup", headers=await csrf_headers(client),
                              json={"email": "DUP@example.jp", "password": TEST_PASSWORD, "display_name": "Y",
                                    "accept_terms": True})
    assert again.status_code == 202 and again.json() == {"status": "confirmation_sent", "email": "dup@example.jp"}


async def test_sign_in_and_sign_out(client) -> None:
    await sign_up(client, "sato@example.jp")
    client.cookies.clear()
    headers = await csrf_headers(client)
    wrong = await client.post("/api/v1/auth/signin", headers=headers,
                              json={"email": "sato@example.jp", "password": "wrong-password"})
    assert wrong.status_code == 401
    assert (await client.get("/api/v1/me")).status_code == 401
    ok = await client.post("/api/v1/auth/signin", headers=headers,
                           json={"email": "sato@example.jp", "password": TEST_PASSWORD})
    assert ok.status_code == 200
    assert (await client.get("/api/v1/me")).status_code == 200
    out = await client.post("/api/v1/auth/signout", headers=await csrf_headers(client))
    assert out.status_code == 200
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_cookie_bearing_post_without_csrf_token_is_refused(client) -> None:
    await sign_up(client, "csrf@example.jp")
    refused = await client.post("/api/v1/auth/signout")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert (await client.get("/api/v1/me")).status_code == 200  # still signed in


async def test_sign_in_is_rate_limited_per_email(client, settings) -> None:
    await sign_up(client, "limit@example.jp")
    client.cookies.clear()
    headers = await csrf_headers(client)
    for _ in range(settings.login_attempts):
        r = await client.post("/api/v1/auth/signin", headers=headers,
                              json={"email": "limit@example.jp", "password": "not-the-password"})
        assert r.status_code == 401
    blocked = await client.post("/api/v1/auth/signin", headers=headers,
                                json={"email": "limit@example.jp", "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    other = await client.post("/api/v1/auth/signin", headers=headers,
                              json={"email": "someone-else@example.jp", "password": "x" * 12})
    assert other.status_code == 401  # the limit is per email, not global


async def test_password_is_stored_hashed_with_argon2(client, db) -> None:
    from sqlalchemy import select

    from accounts.models import Person

    await sign_up(client, "hash@example.jp")
    person = (await db.execute(select(Person).where(Person.email == "hash@example.jp"))).scalar_one()
    assert person.password_hash.startswith("$argon2")
    assert TEST_PASSWORD not in person.password_hash


async def test_only_admin_of_an_organization_cannot_delete_the_account(client, db) -> None:
    from accounts.service import AccountService
    from core.errors import Conflict
    from tests.conftest import create_org

    person = await sign_up(client, "solo-admin@example.jp")
    await create_org(client, "employer", "solo-org")
    accounts = AccountService(db)
    import uuid

    person_id = uuid.UUID(person["id"])
    try:
        await accounts.delete_person(person_id)
        raised = False
    except Conflict as exc:
        raised = "only administrator" in exc.detail
    assert raised
    assert (await accounts.export_person(person_id))["memberships"][0]["role"] == "admin"
    learner = await sign_up(client, "plain-learner@example.jp")
    await accounts.delete_person(uuid.UUID(learner["id"]))
    await db.commit()
    assert await accounts.person_by_email("plain-learner@example.jp") is None


async def test_signing_in_gives_a_new_session_id_and_the_old_one_is_dead(client) -> None:
    await sign_up(client, "fixation@example.jp")
    planted = client.cookies.get("skillpass_session")  # an id someone else could know
    client.cookies.clear()
    client.cookies.set("skillpass_session", planted)
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": "fixation@example.jp", "password": TEST_PASSWORD})
    assert response.status_code == 200
    fresh = response.cookies.get("skillpass_session")
    assert fresh and fresh != planted
    client.cookies.clear()
    client.cookies.set("skillpass_session", fresh)
    assert (await client.get("/api/v1/me")).status_code == 200
    client.cookies.clear()
    client.cookies.set("skillpass_session", planted)
    assert (await client.get("/api/v1/me")).status_code == 401  # the old id no longer signs anyone in
