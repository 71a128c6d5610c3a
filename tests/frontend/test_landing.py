"""After sign-in each person lands on the console of their role; several roles choose, and the choice is
remembered in this browser; a safe ``next`` still wins."""

from __future__ import annotations

import uuid

from accounts.service import AccountService
from tests.conftest import TEST_PASSWORD, create_org, sign_up

HTML = {"accept": "text/html"}


async def _sign_in(client, email: str, next_path: str | None = None) -> str:
    """Sign in through the form (a fresh pre-session) and return where it sends the browser."""
    for name in ("skillpass_session", "skillpass_csrf"):
        client.cookies.delete(name)
    await client.get("/signin", headers=HTML)
    form = {"email": email, "password": TEST_PASSWORD, "_csrf_token": client.cookies.get("skillpass_csrf")}
    if next_path is not None:
        form["next"] = next_path
    response = await client.post("/signin", data=form, headers=HTML, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def _member_of(client, db, kind: str, email: str) -> str:
    """A person founding an organization of ``kind`` (which makes them its admin member); its id."""
    await sign_up(client, email)
    return (await create_org(client, kind, f"{kind}-{uuid.uuid4().hex[:6]}"))["id"]


async def test_a_learner_lands_on_the_wallet(client) -> None:
    await sign_up(client, "learner@example.jp")
    assert await _sign_in(client, "learner@example.jp") == "/welcome"  # until the first-run path is done
    token = client.cookies.get("skillpass_csrf")
    await client.post("/welcome/finish", data={"_csrf_token": token}, headers=HTML, follow_redirects=False)
    assert await _sign_in(client, "learner@example.jp") == "/wallet"


async def test_a_provider_member_lands_on_the_provider_console(client, db) -> None:
    org_id = await _member_of(client, db, "provider", "teacher@example.jp")
    assert await _sign_in(client, "teacher@example.jp") == f"/provider/{org_id}"
    assert (await client.get(f"/provider/{org_id}", headers=HTML)).status_code == 200


async def test_an_employer_member_lands_on_the_employer_console(client, db) -> None:
    org_id = await _member_of(client, db, "employer", "recruiter@example.jp")
    assert await _sign_in(client, "recruiter@example.jp") == f"/employer/{org_id}"


async def test_a_platform_admin_lands_on_admin(client, db) -> None:
    await AccountService(db).sign_up("operator@example.jp", TEST_PASSWORD, "Operator", "en", is_admin=True)
    await db.commit()
    assert await _sign_in(client, "operator@example.jp") == "/admin"


async def test_a_safe_next_wins_and_an_unsafe_one_does_not(client, db) -> None:
    org_id = await _member_of(client, db, "provider", "next@example.jp")
    assert await _sign_in(client, "next@example.jp", "/wallet/credentials") == "/wallet/credentials"
    assert await _sign_in(client, "next@example.jp", "//evil.example/x") == f"/provider/{org_id}"
    assert await _sign_in(client, "next@example.jp", "https://evil.example/") == f"/provider/{org_id}"


async def test_several_roles_choose_and_the_choice_is_remembered(client, db) -> None:
    provider_id = await _member_of(client, db, "provider", "both@example.jp")
    employer_id = (await create_org(client, "employer", f"employer-{uuid.uuid4().hex[:6]}"))["id"]
    assert await _sign_in(client, "both@example.jp") == "/console"

    client.cookies.set("lang", "ja")
    chooser = await client.get("/console", headers=HTML)
    assert chooser.status_code == 200
    for label in ("どの画面を開きますか", "発行者コンソール", "採用コンソール", "スキルウォレット"):
        assert label in chooser.text
    for path in (f"/provider/{provider_id}", f"/employer/{employer_id}", "/wallet"):
        assert f'value="{path}"' in chooser.text

    token = client.cookies.get("skillpass_csrf")
    chosen = await client.post("/console", data={"console": f"/employer/{employer_id}", "_csrf_token": token},
                               headers=HTML, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/employer/{employer_id}"
    assert "httponly" in chosen.headers["set-cookie"].lower()
    assert await _sign_in(client, "both@example.jp") == f"/employer/{employer_id}"  # remembered

    client.cookies.set("lang", "en")
    assert "Opens after you sign in" in (await client.get("/console", headers=HTML)).text


async def test_a_console_that_is_not_ones_own_is_refused_and_a_stale_choice_ignored(client, db) -> None:
    await _member_of(client, db, "provider", "two@example.jp")
    await create_org(client, "employer", f"employer-{uuid.uuid4().hex[:6]}")
    token = client.cookies.get("skillpass_csrf")
    foreign = f"/provider/{uuid.uuid4()}"
    client.cookies.set("lang", "en")
    refused = await client.post("/console", data={"console": foreign, "_csrf_token": token}, headers=HTML,
                                follow_redirects=False)
    assert refused.status_code == 422 and "cannot open that console" in refused.text
    assert "skillpass_console" not in refused.headers.get("set-cookie", "")
    client.cookies.set("skillpass_console", foreign)  # a forged or stale cookie
    assert await _sign_in(client, "two@example.jp") == "/console"


async def test_the_chooser_needs_a_sign_in(client) -> None:
    response = await client.get("/console", headers=HTML, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
