"""Account pre-hijacking closed, and password reset by mail, over HTTP: confirming needs the sign-up
password; a reset link (one use, 1 hour) sets a new password, confirms the address and ends every
other session; asking for one answers alike for known and unknown addresses."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes, policy

from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from accounts.models import PasswordReset, Person
from core.db import utcnow
from tests.conftest import TEST_PASSWORD, csrf_headers, mailed_token, outbox_files, sign_up

ATTACKER_PASSWORD = "attacker-chose-this"
VICTIM_PASSWORD = "victim-new-password"


def _new_mails(client, email: str, before: set) -> list[str]:
    texts = []
    for path in sorted(outbox_files(client) - before):
        if f"To: {email}".encode() in path.read_bytes():
            texts.append(message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content())
    return texts


def reset_token(client, email: str, before: set) -> str:
    mails = _new_mails(client, email, before)
    assert len(mails) == 1, mails
    found = re.search(r"https?://\S+/account/reset\?token=([A-Za-z0-9_-]+)", mails[0])
    assert found, mails[0]
    return found.group(1)


async def ask_reset(client, email: str, lang: str = "en"):
    return await client.post("/api/v1/auth/password-reset", headers=await csrf_headers(client),
                             json={"email": email, "lang": lang})


async def set_password(client, token: str, new_password: str = VICTIM_PASSWORD):
    return await client.post("/api/v1/auth/password-reset/confirm", headers=await csrf_headers(client),
                             json={"token": token, "new_password": new_password})


async def sign_in(client, email: str, password: str):
    return await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                             json={"email": email, "password": password})


async def test_pre_hijack_victim_cannot_confirm_resets_by_mail_and_the_attacker_is_out(app, db) -> None:
    async with AsyncTestClient(app=app) as attacker, AsyncTestClient(app=app) as victim:
        before = outbox_files(attacker)
        signed_up = await attacker.post("/api/v1/auth/signup", headers=await csrf_headers(attacker), json={
            "email": "victim@example.jp", "password": ATTACKER_PASSWORD, "display_name": "Victim", "lang": "en",
            "accept_terms": True})
        assert signed_up.status_code == 202
        assert (await sign_in(attacker, "victim@example.jp", ATTACKER_PASSWORD)).status_code == 200
        assert (await attacker.get("/api/v1/auth/me")).json()["person"]["email_confirmed"] is False
        token = mailed_token(attacker, "victim@example.jp", before)

        # The victim opens the mail's link: without the attacker's password it confirms nothing.
        for guess in ("", TEST_PASSWORD):
            refused = await victim.post("/api/v1/auth/confirm", headers=await csrf_headers(victim),
                                        json={"token": token, "password": guess})
            assert refused.status_code == 422 and refused.json()["field"] == "password", refused.text
        assert (await victim.get("/api/v1/auth/me")).status_code == 401
        person = (await db.execute(select(Person).where(Person.email == "victim@example.jp"))).scalar_one()
        assert person.email_confirmed_at is None

        # The victim takes the address back by mail.
        before = outbox_files(victim)
        assert (await ask_reset(victim, "victim@example.jp")).status_code == 202
        done = await set_password(victim, reset_token(victim, "victim@example.jp", before))
        assert done.status_code == 200, done.text
        assert done.json()["email"] == "victim@example.jp" and done.json()["email_confirmed"] is True
        assert (await victim.get("/api/v1/auth/me")).json()["person"]["email_confirmed"] is True  # signed in

        # The attacker's session is dead and their password no longer works; the old link neither.
        assert (await attacker.get("/api/v1/auth/me")).status_code == 401
        assert (await attacker.post("/api/v1/orgs", headers=await csrf_headers(attacker), json={
            "kind": "employer", "slug": "stolen-co", "name_ja": "盗", "name_en": "Stolen"})).status_code in (401, 403)
        attacker.cookies.clear()
        assert (await sign_in(attacker, "victim@example.jp", ATTACKER_PASSWORD)).status_code == 401
        late = await attacker.post("/api/v1/auth/confirm", headers=await csrf_headers(attacker),
                                   json={"token": token, "password": ATTACKER_PASSWORD})
        assert late.status_code == 422 and late.json()["field"] == "token"
        victim.cookies.clear()
        assert (await sign_in(victim, "victim@example.jp", VICTIM_PASSWORD)).status_code == 200


async def test_a_wrong_password_leaves_the_confirmation_token_usable(client) -> None:
    before = outbox_files(client)
    await sign_up(client, "keep@example.jp", confirm=False)
    token = mailed_token(client, "keep@example.jp", before)
    client.cookies.clear()
    wrong = await client.post("/api/v1/auth/confirm", headers=await csrf_headers(client),
                              json={"token": token, "password": "not-the-password"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "password"
    right = await client.post("/api/v1/auth/confirm", headers=await csrf_headers(client),
                              json={"token": token, "password": TEST_PASSWORD})
    assert right.status_code == 200 and right.json()["email_confirmed"] is True


async def test_wrong_confirmation_passwords_are_throttled_like_code_entry(client) -> None:
    before = outbox_files(client)
    await sign_up(client, "slow@example.jp", confirm=False)
    token = mailed_token(client, "slow@example.jp", before)
    client.cookies.clear()
    headers = await csrf_headers(client)
    statuses = [(await client.post("/api/v1/auth/confirm", headers=headers,
                                   json={"token": token, "password": f"guess-{n:06d}"})).status_code for n in range(31)]
    assert statuses == [422] * 30 + [429], statuses  # 30 per address in 10 minutes (accounts.throttle.CODE_ENTRY)


async def test_reset_answers_known_and_unknown_addresses_alike(client) -> None:
    await sign_up(client, "known@example.jp")
    client.cookies.clear()
    before = outbox_files(client)
    known = await ask_reset(client, " Known@Example.jp ")
    unknown = await ask_reset(client, "nobody@example.jp")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == {"status": "mail_sent", "email": "known@example.jp"}
    assert unknown.json() == {"status": "mail_sent", "email": "nobody@example.jp"}
    assert set(known.headers.keys()) == set(unknown.headers.keys())
    assert "set-cookie" not in known.headers  # no session changed
    assert "/account/reset?token=" in _new_mails(client, "known@example.jp", before)[0]
    (note,) = _new_mails(client, "nobody@example.jp", before)
    assert "no account has this address" in note and "token=" not in note
    assert (await client.get("/api/v1/auth/me")).status_code == 401


async def test_a_reset_token_works_once_for_an_hour_and_is_stored_as_a_hash(client, db) -> None:
    await sign_up(client, "once-reset@example.jp")
    before = outbox_files(client)
    await ask_reset(client, "once-reset@example.jp")
    token = reset_token(client, "once-reset@example.jp", before)
    rows = list((await db.execute(select(PasswordReset))).scalars())
    assert len(rows) == 1 and token not in rows[0].token_hash and len(rows[0].token_hash) == 64
    assert timedelta(minutes=59) < rows[0].expires_at - rows[0].created_at <= timedelta(hours=1)

    short = await set_password(client, token, "short")
    assert short.status_code == 422 and short.json()["field"] == "new_password"  # the link still works
    assert (await set_password(client, token)).status_code == 200
    again = await set_password(client, token, "yet-another-password")
    assert again.status_code == 422 and again.json()["field"] == "token"
    for bad in ("not-a-token", token[:-2] + "xx"):
        assert (await set_password(client, bad)).json()["detail"] == again.json()["detail"]

    before = outbox_files(client)
    await ask_reset(client, "once-reset@example.jp")
    late = reset_token(client, "once-reset@example.jp", before)
    await db.execute(update(PasswordReset).where(PasswordReset.used_at.is_(None))
                     .values(expires_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    expired = await set_password(client, late, "expired-password-1")
    assert expired.status_code == 422 and expired.json()["field"] == "token"
    client.cookies.clear()
    assert (await sign_in(client, "once-reset@example.jp", VICTIM_PASSWORD)).status_code == 200


async def test_reset_requests_are_throttled_per_email_and_per_address(client) -> None:
    statuses = [(await ask_reset(client, "flood@example.jp")).status_code for _ in range(4)]
    assert statuses == [202, 202, 202, 429], statuses  # 3 per email per hour, known or not
    limited = await ask_reset(client, "flood@example.jp")
    assert 0 < int(limited.headers["retry-after"]) <= 3600
    statuses = [(await ask_reset(client, f"other-{n}@example.jp")).status_code for n in range(26)]
    assert statuses == [202] * 25 + [429], statuses  # 30 per address per hour (this address asked 5 times)


async def test_a_reset_ends_the_owners_other_sessions_but_not_api_keys(app, client) -> None:
    from tests.conftest import create_api_key, create_org, verify_org_through_app

    await sign_up(client, "owner@example.jp")
    org = await create_org(client, "provider", "owner-academy")
    await verify_org_through_app(client, org["id"])
    key = await create_api_key(client, org["id"])
    async with AsyncTestClient(app=app) as laptop:
        before = outbox_files(laptop)
        await ask_reset(laptop, "owner@example.jp")
        assert (await set_password(laptop, reset_token(laptop, "owner@example.jp", before))).status_code == 200
        assert (await laptop.get("/api/v1/auth/me")).status_code == 200  # the resetting browser is signed in
    assert (await client.get("/api/v1/auth/me")).status_code == 401  # the other one is not
    client.cookies.clear()
    assert (await client.get(f"/api/v1/orgs/{org['id']}", headers={"x-api-key": key})).status_code == 200


async def test_upkeep_deletes_expired_reset_links_and_keeps_live_ones(client, engine, db) -> None:
    from accounts import upkeep

    await sign_up(client, "sweep@example.jp")
    for _ in range(2):
        await ask_reset(client, "sweep@example.jp")
    first = (await db.execute(select(PasswordReset.id).order_by(PasswordReset.created_at))).scalars().first()
    await db.execute(update(PasswordReset).where(PasswordReset.id == first)
                     .values(expires_at=utcnow() - timedelta(seconds=1)))
    await db.commit()
    await upkeep.run_once(engine, client.app.state["settings"])
    left = list((await db.execute(select(PasswordReset.id))).scalars())
    assert len(left) == 1 and first not in left
