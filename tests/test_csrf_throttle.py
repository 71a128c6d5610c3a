"""Login CSRF (a session-bound token, needed even without cookies), throttles that hold under
concurrency (per account and per address), and a share link's self-declared levels."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import httpx
from litestar.testing import AsyncTestClient

from tests.conftest import TEST_PASSWORD, csrf_headers, sign_up
from tests.skills.factories import ob3_credential
from tests.skills.helpers import hold_credential, learner, send

HTML = {"accept": "text/html"}


@asynccontextmanager
async def concurrent_client(settings):
    """A client whose requests really run at the same time (the test client runs them one by one), on
    an app with the production pool (5 + 5 on PostgreSQL), with a pre-session's CSRF token."""
    from skillpass.app import create_app

    app = create_app(settings.model_copy(update={"database_pool": True, "database_pool_size": 5,
                                                 "database_max_overflow": 5}))
    # no batch runner: the session's app runs one already
    app.on_startup[:] = [hook for hook in app.on_startup if getattr(hook, "__name__", "") != "start_jobs"]
    app.on_shutdown[:] = [hook for hook in app.on_shutdown if getattr(hook, "__name__", "") != "stop_jobs"]
    async with app.lifespan():  # start-up and shut-down in this event loop (the pool's connections live here)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as live:
            live.headers["x-csrftoken"] = (await live.get("/api/v1/auth/csrf")).json()["csrf_token"]
            yield live


# --- login CSRF ---------------------------------------------------------------------------------


async def test_a_cookieless_cross_site_sign_in_or_sign_up_is_refused(client) -> None:
    await sign_up(client, "attacker@example.jp")
    client.cookies.clear()  # the victim's browser: no cookie for us, a form posted from another site
    form = {"email": "attacker@example.jp", "password": TEST_PASSWORD}
    assert (await client.post("/signin", data=form, headers=HTML)).status_code == 403
    assert (await client.post("/api/v1/auth/signin", json=form)).status_code == 403
    signup = {**form, "email": "new@example.jp", "display_name": "X", "lang": "en"}
    assert (await client.post("/signup", data=signup, headers=HTML)).status_code == 403
    assert (await client.post("/api/v1/auth/signup", json=signup)).status_code == 403
    assert not client.cookies.get("skillpass_session")


async def test_the_token_is_bound_to_the_session_that_was_given_it(app, client) -> None:
    await sign_up(client, "attacker@example.jp")
    client.cookies.clear()
    attacker_token = (await client.get("/api/v1/auth/csrf")).json()["csrf_token"]
    client.cookies.clear()
    async with AsyncTestClient(app=app) as victim:
        await victim.get("/signin", headers=HTML)  # the victim has a pre-session of their own
        assert victim.cookies.get("skillpass_session")
        forged = await victim.post("/api/v1/auth/signin", headers={"x-csrftoken": attacker_token},
                                   json={"email": "attacker@example.jp", "password": TEST_PASSWORD})
        assert forged.status_code == 403
        # and the cookie is not what is trusted: a planted cookie with the attacker's token does not help
        victim.cookies.set("skillpass_csrf", attacker_token)
        forged = await victim.post("/api/v1/auth/signin", headers={"x-csrftoken": attacker_token},
                                   json={"email": "attacker@example.jp", "password": TEST_PASSWORD})
        assert forged.status_code == 403


async def test_the_form_page_starts_a_pre_session_whose_token_ends_with_the_session(client) -> None:
    await sign_up(client, "hanako@example.jp")
    client.cookies.clear()
    page = await client.get("/signin", headers=HTML)
    first = client.cookies.get("skillpass_csrf")
    session_id = client.cookies.get("skillpass_session")
    assert first and session_id and f'value="{first}"' in page.text
    signed_in = await client.post("/signin", headers=HTML, follow_redirects=False,
                                  data={"email": "hanako@example.jp", "password": TEST_PASSWORD, "_csrf_token": first})
    assert signed_in.status_code in (302, 303), signed_in.text
    assert client.cookies.get("skillpass_session") != session_id  # a new session id, the form's token kept
    assert client.cookies.get("skillpass_csrf") == first
    assert (await client.post("/api/v1/auth/signout", headers={"x-csrftoken": "0" * 64})).status_code == 403
    assert (await client.post("/api/v1/auth/signout", headers={"x-csrftoken": first})).status_code == 200
    assert not client.cookies.get("skillpass_csrf")  # no session, no token
    again = await client.post("/api/v1/auth/signin", headers={"x-csrftoken": first},
                              json={"email": "hanako@example.jp", "password": TEST_PASSWORD})
    assert again.status_code == 403  # the token ended with its session


async def test_other_anonymous_pages_store_no_session_and_api_keys_need_no_token(client) -> None:
    for path in ("/", "/health", "/verify"):
        await client.get(path, headers=HTML)
    assert not client.cookies.get("skillpass_session") and not client.cookies.get("skillpass_csrf")
    verify = await client.post("/api/v1/verify", json={"credential": {}})
    assert verify.status_code in (200, 400, 422), verify.text  # no token needed, no 403
    no_key = await client.post("/api/v1/orgs/00000000-0000-0000-0000-000000000000/api-keys",
                               headers={"x-api-key": "sp_not_a_key"}, json={"name": "x"})
    assert no_key.status_code == 401 and not no_key.cookies


async def _stored_sessions(settings, db) -> set:
    """Session ids in the store: files on SQLite, ``kv_store`` rows on PostgreSQL (core.kvstore)."""
    if settings.is_sqlite:
        return {p.name for p in (settings.data_dir / "store" / "sessions").iterdir()}
    from sqlalchemy import select

    from core.kvstore import StoreItem

    table = StoreItem.__table__
    return set((await db.execute(select(table.c.key).where(table.c.namespace == "sessions"))).scalars())


async def test_new_pre_sessions_are_limited_per_address_and_a_refused_one_is_not_stored(app, settings, db) -> None:
    from accounts.throttle import PRE_SESSION

    async with AsyncTestClient(app=app) as kept:  # a visitor who got a pre-session earlier keeps using it
        token = (await kept.get("/api/v1/auth/csrf")).json()["csrf_token"]
        async with AsyncTestClient(app=app) as flood:
            statuses = []
            for _ in range(PRE_SESSION.attempts - 1):  # the kept visitor's one counted too
                flood.cookies.clear()
                statuses.append((await flood.get("/api/v1/auth/csrf")).status_code)
            assert statuses == [200] * (PRE_SESSION.attempts - 1), statuses
            stored = await _stored_sessions(settings, db)
            flood.cookies.clear()
            refused = await flood.get("/api/v1/auth/csrf")
            assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= PRE_SESSION.window
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert not refused.cookies.get("skillpass_session") and await _stored_sessions(settings, db) == stored
            flood.cookies.clear()
            assert (await flood.get("/signin", headers=HTML)).status_code == 429
            flood.cookies.set("skillpass_session", "made-up-session-id")  # a made-up id is a new session too
            assert (await flood.get("/signup", headers=HTML)).status_code == 429
        again = await kept.get("/api/v1/auth/csrf")
        assert again.status_code == 200 and again.json()["csrf_token"] == token  # nothing new stored: not counted


# --- throttles ------------------------------------------------------------------------------------


async def test_100_concurrent_wrong_passwords_are_not_all_checked(client, settings) -> None:
    await sign_up(client, "hanako@example.jp")
    async with concurrent_client(settings) as live:
        async def attempt(password: str):
            return await live.post("/api/v1/auth/signin", json={"email": "hanako@example.jp", "password": password})

        answers = await asyncio.gather(*(attempt(f"wrong-{n}-password") for n in range(100)))
        right = await attempt(TEST_PASSWORD)
    statuses = [a.status_code for a in answers]
    assert statuses.count(401) == settings.login_attempts, statuses
    assert statuses.count(429) == 100 - settings.login_attempts
    limited = next(a for a in answers if a.status_code == 429)
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(limited.headers["retry-after"]) <= settings.login_window_seconds
    assert right.status_code == 429  # the right password no longer helps


async def test_one_password_across_30_emails_is_limited_per_address(client, settings) -> None:
    headers = await csrf_headers(client)
    statuses = [(await client.post("/api/v1/auth/signin", headers=headers,
                                   json={"email": f"user{n}@example.jp", "password": "Password123!"})).status_code
                for n in range(30)]
    allowed = settings.login_attempts * 4
    assert statuses[:allowed] == [401] * allowed and set(statuses[allowed:]) == {429}, statuses


async def test_a_successful_sign_in_clears_the_account_failures(client, settings) -> None:
    await sign_up(client, "hanako@example.jp")
    client.cookies.clear()
    for _ in range(settings.login_attempts - 1):
        bad = await send(client, "POST", "/api/v1/auth/signin", json={"email": "hanako@example.jp", "password": "nope-nope-nope"})
        assert bad.status_code == 401
    good = await send(client, "POST", "/api/v1/auth/signin", json={"email": "hanako@example.jp", "password": TEST_PASSWORD})
    assert good.status_code == 200, good.text
    client.cookies.clear()
    for _ in range(settings.login_attempts):
        bad = await send(client, "POST", "/api/v1/auth/signin", json={"email": "hanako@example.jp", "password": "nope-nope-nope"})
        assert bad.status_code == 401


async def test_sign_up_public_verify_and_code_entry_are_limited(client, settings) -> None:
    async with concurrent_client(settings) as live:
        body = {"email": "same@example.jp", "password": "short", "display_name": "X", "lang": "en"}  # refused: stays anonymous
        signups = await asyncio.gather(*(live.post("/api/v1/auth/signup", json=body) for _ in range(12)))
        assert [s.status_code for s in signups].count(429) == 12 - 5, [s.status_code for s in signups]

        verifies = await asyncio.gather(*(live.post("/api/v1/verify", json={"credential": {}}) for _ in range(70)))
        assert [v.status_code for v in verifies].count(429) == 10
        assert (await live.post("/verify", headers=HTML, data={"document": "{}"})).status_code == 429

        codes = await asyncio.gather(*(live.post("/api/v1/auth/confirm", json={"token": f"guess-{n}"}) for n in range(35)))
        assert [c.status_code for c in codes].count(429) == 5
        assert (await live.post("/account/confirm", headers=HTML, data={"token": "guess"})).status_code == 429


async def test_did_registration_is_limited_per_person(client) -> None:
    await sign_up(client, "hanako@example.jp")  # its link was entered before signing in: counted per address only
    statuses = [(await send(client, "POST", "/api/v1/me/dids", json={"presentation": {}})).status_code
                for _ in range(11)]
    assert statuses == [422] * 10 + [429], statuses


# --- share links ------------------------------------------------------------------------------------


async def test_a_share_link_of_skills_only_shows_no_self_declared_level(client, db) -> None:
    person_id = await learner(client)
    await hold_credential(db, person_id, ob3_credential("Data Badge", [("v2-data-platform", "c")]))
    await send(client, "PUT", "/api/v1/me/self-assessment", json={"skill_id": "v2-data-platform", "level": "a"})
    own = {i["skill_id"]: i for i in (await client.get("/api/v1/me/profile")).json()["items"]}
    assert own["v2-data-platform"]["levels"].get("self_declared") == "a"  # the learner sees it
    link = (await send(client, "POST", "/api/v1/me/share-links", json={"parts": ["skills"]})).json()
    client.cookies.clear()
    view = (await client.get(link["path"])).json()
    item = next(i for i in view["profile"]["items"] if i["skill_id"] == "v2-data-platform")
    assert "self_declared" not in item["levels"] and item["levels"] == {"verified": "c"}, item
    assert item["evidence_count"] == 1
