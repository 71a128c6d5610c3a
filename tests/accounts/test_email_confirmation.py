"""Email confirmation end to end: real mail (a local SMTP server, or .eml files in the outbox), the one-time
link, what an unconfirmed account may not do (receive or claim credentials, create organizations), the
rate limits, and the pages."""

from __future__ import annotations

import asyncio
import email
import email.policy
import uuid
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update

from accounts.confirmation import resend_confirmation
from accounts.models import EmailConfirmation, MailOutbox, Person
from accounts.outbox import deliver_committed, deliver_due
from accounts.service import AccountService
from core.db import utcnow
from credentials.models import HeldCredential
from tests.conftest import (
    TEST_PASSWORD,
    confirm_email,
    confirmation_token,
    create_org,
    csrf_headers,
    mailed_token,
    outbox_files,
    sign_up,
)
from tests.credentials.conftest import issue, new_achievement, new_provider
from tests.smtp_server import smtp_server

INVALID = "This confirmation link cannot be used"


def _with_smtp(settings, server, **changes):
    """The test settings, sending through ``server``. (The tests call the service with them: a second app in
    one process would get another advanced-alchemy engine key than the one the batch runner reads.)"""
    return type(settings).model_validate({**settings.model_dump(), "smtp_host": server.host, "smtp_port": server.port,
                                          "smtp_starttls": False, **changes})


async def _held(db, email_address: str) -> list[HeldCredential]:
    db.expire_all()
    person = (await db.execute(select(Person).where(Person.email == email_address))).scalar_one()
    return list((await db.execute(select(HeldCredential).where(HeldCredential.person_id == person.id))).scalars())


async def test_sign_up_sends_a_real_mail_whose_link_confirms_the_address(client, settings, db, caplog) -> None:
    with smtp_server(username="mailer", password="smtp-secret-pw") as server:
        mail_settings = _with_smtp(settings, server, smtp_username="mailer", smtp_password="smtp-secret-pw")
        person = await AccountService(db, mail_settings).sign_up("Mei@example.jp", TEST_PASSWORD, "Mei", "en")
        assert server.messages == []  # nothing leaves before the commit
        await db.commit()
        assert await deliver_committed(db, mail_settings) == 1
    assert person.email_confirmed_at is None
    assert server.logins == [("mailer", "smtp-secret-pw")]
    [(sender, recipients, raw)] = server.messages
    assert recipients == ["mei@example.jp"] and "no-reply@" in sender
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = message.get_body(("plain",)).get_content()
    assert message.get_content_charset() == "utf-8"
    assert text.index("Thank you for signing up") < text.index("ご登録いただき")  # her language first
    assert "smtp-secret-pw" not in raw.decode("utf-8", "replace") and "smtp-secret-pw" not in caplog.text
    token = confirmation_token(raw, "mei@example.jp")
    assert len(token) >= 43  # 256 bits, URL-safe base64
    assert (await confirm_email(client, token)) == {"email_confirmed": True, "claimed_credentials": 0}
    await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                      json={"email": "mei@example.jp", "password": TEST_PASSWORD})
    assert (await client.get("/api/v1/me")).json()["person"]["email_confirmed"] is True
    assert (await client.get("/api/v1/auth/me")).json()["person"]["email_confirmed"] is True


async def test_outbox_mode_writes_a_utf8_eml_with_japanese_first_and_stores_only_a_hash(client, db) -> None:
    before = outbox_files(client)
    await sign_up(client, "Hana@Example.jp", "花", "ja", confirm=False)
    [path] = outbox_files(client) - before
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert "メールアドレスの確認" in message["Subject"] and "confirm your email address" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert text.index("ご登録いただき") < text.index("Thank you")
    assert "http://testserver.local/account/confirm?token=" in text and "48" in text
    token = mailed_token(client, "hana@example.jp", before)
    stored = list((await db.execute(select(EmailConfirmation))).scalars())
    assert len(stored) == 1 and stored[0].token_hash != token and token not in stored[0].token_hash
    assert stored[0].expires_at - stored[0].created_at == timedelta(hours=48)


async def test_a_token_works_once_and_wrong_or_expired_ones_read_the_same(client, db) -> None:
    before = outbox_files(client)
    await sign_up(client, "once@example.jp", confirm=False)
    token = mailed_token(client, "once@example.jp", before)
    headers = await csrf_headers(client)
    for bad in ("not-a-token", token[:-2] + "xx"):
        wrong = await client.post("/api/v1/auth/confirm", headers=headers, json={"token": bad, "password": TEST_PASSWORD})
        assert wrong.status_code == 422 and wrong.json()["field"] == "token" and INVALID in wrong.json()["detail"]
    await confirm_email(client, token)
    again = await client.post("/api/v1/auth/confirm", headers=headers, json={"token": token, "password": TEST_PASSWORD})
    assert again.status_code == 422 and INVALID in again.json()["detail"]

    before = outbox_files(client)
    await sign_up(client, "late@example.jp", confirm=False)
    late = mailed_token(client, "late@example.jp", before)
    await db.execute(update(EmailConfirmation).values(expires_at=utcnow() - timedelta(minutes=1))
                     .where(EmailConfirmation.used_at.is_(None)))
    await db.commit()
    expired = await client.post("/api/v1/auth/confirm", headers=headers, json={"token": late, "password": TEST_PASSWORD})
    assert expired.status_code == 422 and INVALID in expired.json()["detail"]
    assert (await client.get("/api/v1/auth/me")).json()["person"]["email_confirmed"] is False


async def test_upkeep_deletes_confirmation_links_that_can_do_nothing_once_out_of_the_resend_window(engine, db) -> None:
    """Expired or used links go (they only say who signed up when); a live one stays, and so does any
    link of the last hour, which the resend limit counts."""
    from accounts.confirmation import RESEND_WINDOW, sweep_lapsed_links

    person = await AccountService(db).sign_up("sweep@example.jp", TEST_PASSWORD, "掃除", "ja")
    now, old = utcnow(), utcnow() - RESEND_WINDOW - timedelta(minutes=1)
    rows = {"expired": dict(created_at=old, expires_at=now - timedelta(minutes=1)),
            "used": dict(created_at=old, expires_at=now + timedelta(hours=1), used_at=old),
            "live": dict(created_at=old, expires_at=now + timedelta(hours=1)),
            "recent_expired": dict(created_at=now - timedelta(minutes=5), expires_at=now - timedelta(minutes=1))}
    for name, times in rows.items():
        db.add(EmailConfirmation(person_id=person.id, email="sweep@example.jp", token_hash=name.ljust(64, "0"), **times))
    await db.commit()
    assert await sweep_lapsed_links(engine) == 2
    left = (await db.execute(select(EmailConfirmation.token_hash).where(EmailConfirmation.person_id == person.id)
                             .execution_options(populate_existing=True))).scalars().all()
    assert sorted(h.rstrip("0") for h in left) == ["live", "recent_expired"]


async def test_an_unconfirmed_account_claims_and_receives_nothing_until_it_confirms(client, app, db) -> None:
    provider = await new_provider(client, "conf-academy")
    achievement = await new_achievement(client, provider)
    early = await issue(client, provider, achievement["id"], email="rin@example.jp")
    assert early.status_code == 201, early.text
    async with AsyncTestClient(app=app) as learner:
        before = outbox_files(learner)
        await sign_up(learner, "rin@example.jp", "Rin", confirm=False)
        later = await issue(client, provider, achievement["id"], email="rin@example.jp")
        assert later.status_code == 201, later.text
        assert await _held(db, "rin@example.jp") == []  # neither claimed at sign-up nor delivered
        token = mailed_token(learner, "rin@example.jp", before)
        assert (await confirm_email(learner, token))["claimed_credentials"] == 2
        held = await _held(db, "rin@example.jp")
        assert {str(h.credential_id) for h in held} == {early.json()["id"], later.json()["id"]}
        after = await issue(client, provider, achievement["id"], email="rin@example.jp")
        assert after.status_code == 201
        assert len(await _held(db, "rin@example.jp")) == 3  # confirmed: delivered straight away


async def test_organization_creation_needs_a_confirmed_email(client) -> None:
    await sign_up(client, "noconf@example.jp", confirm=False)
    response = await client.post("/api/v1/orgs", headers=await csrf_headers(client),
                                 json={"kind": "provider", "slug": "too-soon", "name_ja": "早すぎ", "name_en": "Too soon"})
    assert response.status_code == 403
    assert "Confirm your email address" in response.json()["detail"]


async def test_organization_creation_is_rate_limited_per_account(client, app) -> None:
    await sign_up(client, "founder@example.jp")
    for n in range(3):
        await create_org(client, "employer", f"founded-{n}")
    fourth = await client.post("/api/v1/orgs", headers=await csrf_headers(client),
                               json={"kind": "employer", "slug": "founded-3", "name_ja": "四", "name_en": "Four"})
    assert fourth.status_code == 429
    assert 23 * 3600 < int(fourth.headers["retry-after"]) <= 24 * 3600 + 1
    async with AsyncTestClient(app=app) as other:  # the limit is the account's, not the platform's
        await sign_up(other, "other-founder@example.jp")
        await create_org(other, "employer", "founded-by-other")


async def test_concurrent_organization_creations_stop_at_the_limit(client) -> None:
    await sign_up(client, "racer@example.jp")
    headers = await csrf_headers(client)

    async def create(n: int) -> int:
        response = await client.post("/api/v1/orgs", headers=headers, json={
            "kind": "employer", "slug": f"race-{n}", "name_ja": f"競争{n}", "name_en": f"Race {n}"})
        return response.status_code

    statuses = await asyncio.gather(*(create(n) for n in range(6)))
    assert sorted(statuses) == [201, 201, 201, 429, 429, 429], statuses


async def test_resend_is_rate_limited_and_confirming_retires_older_links(client) -> None:
    before = outbox_files(client)
    await sign_up(client, "again@example.jp", confirm=False)
    first = mailed_token(client, "again@example.jp", before)
    headers = await csrf_headers(client)
    before = outbox_files(client)
    resent = await client.post("/api/v1/auth/confirm/resend", headers=headers)
    assert resent.status_code == 202 and resent.json() == {"sent_to": "again@example.jp"}
    second = mailed_token(client, "again@example.jp", before)
    assert (await client.post("/api/v1/auth/confirm/resend", headers=headers)).status_code == 202
    limited = await client.post("/api/v1/auth/confirm/resend", headers=headers)
    assert limited.status_code == 429 and 0 < int(limited.headers["retry-after"]) <= 3601
    await confirm_email(client, second)
    old = await client.post("/api/v1/auth/confirm", headers=headers, json={"token": first, "password": TEST_PASSWORD})
    assert old.status_code == 422
    done = await client.post("/api/v1/auth/confirm/resend", headers=headers)
    assert done.status_code in (409, 429)
    client.cookies.clear()
    assert (await client.post("/api/v1/auth/confirm/resend", headers=await csrf_headers(client))).status_code == 401


async def test_a_mail_server_outage_loses_no_mail(client, settings, db) -> None:
    with smtp_server() as server:
        broken = _with_smtp(settings, server, smtp_timeout=2)
    person = await AccountService(db, broken).sign_up("offline@example.jp", TEST_PASSWORD, "Offline")
    await db.commit()
    assert await deliver_committed(db, broken) == 0  # nothing listens on that port any more
    await resend_confirmation(db, broken, person.id)
    await db.commit()
    assert await deliver_committed(db, broken) == 0
    db.expire_all()
    waiting = list((await db.execute(select(MailOutbox))).scalars())
    assert len(waiting) == 2 and all(r.attempts == 1 and r.last_error == "MailNotSent" for r in waiting)
    assert all(r.next_attempt_at > utcnow() for r in waiting)  # retried later, not in a tight loop
    with smtp_server() as server:
        back = _with_smtp(settings, server)
        assert await deliver_due(db.bind, back) == 0  # not yet its turn
        await db.execute(update(MailOutbox).values(next_attempt_at=utcnow()))
        await db.commit()
        assert await deliver_due(db.bind, back) == 2
        assert await deliver_due(db.bind, back) == 0  # sent once, then gone
    assert [recipients for _, recipients, _ in server.messages] == [["offline@example.jp"]] * 2
    assert (await db.execute(select(MailOutbox))).first() is None


async def test_pages_banner_confirm_button_and_claim_result_in_japanese(client, app) -> None:
    provider = await new_provider(client, "page-academy")
    achievement = await new_achievement(client, provider)
    for _ in range(2):
        assert (await issue(client, provider, achievement["id"], email="kaito@example.jp")).status_code == 201
    async with AsyncTestClient(app=app) as learner:
        before = outbox_files(learner)
        await sign_up(learner, "kaito@example.jp", "海斗", "ja", confirm=False)
        wallet = await learner.get("/wallet")
        assert "確認メールを kaito@example.jp に送りました" in wallet.text and 'id="confirm_banner"' in wallet.text
        token = mailed_token(learner, "kaito@example.jp", before)
        resent = await learner.post("/account/confirm/resend", headers={
            **await csrf_headers(learner), "HX-Request": "true", "HX-Target": "confirm_banner"})
        assert resent.status_code == 200 and "<html" not in resent.text and "新しい確認メール" in resent.text

        shown = await learner.get(f"/account/confirm?token={token}")
        assert shown.status_code == 200 and "メールアドレスを確認する" in shown.text
        assert shown.headers["referrer-policy"] == "no-referrer"
        assert (await learner.get("/api/v1/me")).json()["person"]["email_confirmed"] is False  # GET changes nothing
        csrf = learner.cookies.get("skillpass_csrf")
        no_csrf = await learner.post("/account/confirm", data={"token": token})
        assert no_csrf.status_code == 403
        done = await learner.post("/account/confirm", data={"token": token, "password": TEST_PASSWORD,
                                                             "_csrf_token": csrf})
        assert done.status_code == 200
        assert "証明書 2 件がウォレットに入りました" in done.text
        assert 'id="confirm_banner"' not in (await learner.get("/wallet")).text
        reused = await learner.post("/account/confirm", data={"token": token, "password": TEST_PASSWORD,
                                                               "_csrf_token": csrf})
        assert reused.status_code == 422 and "この確認リンクは使えません" in reused.text


async def test_demo_and_operator_accounts_are_confirmed(db) -> None:
    from skillpass.demo import DEMO_PEOPLE, load_demo

    await load_demo(db)
    await db.commit()
    people = (await db.execute(select(Person).where(Person.email.in_([p[0] for p in DEMO_PEOPLE])))).scalars()
    assert all(p.email_confirmed_at is not None for p in people)
    admin = await AccountService(db).sign_up(f"root-{uuid.uuid4().hex[:6]}@example.jp", "admin-password-1", "Root",
                                            is_admin=True, confirmed=True)
    assert admin.email_confirmed_at is not None
