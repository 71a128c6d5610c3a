"""skillpass as an OB 3.0 Service Consumer against a real Host: a second ``skillpass serve`` on the same
test database. A learner of the consumer connects it (discovery -> RFC 7591 registration -> the Host's
real sign-in and consent forms, as another learner of the Host -> our callback, state checked), pushes
two badges skillpass issued to them (Data Integrity and VC-JWT: 201, the Host's wallet holds them
verified; the same again: 304; a newer version of a badge: 200), lists what the Host holds, has an
expired access token refreshed, and disconnects (the token is revoked at the Host: a later call with it
is 401). Another learner can neither use nor see
the connection, nor finish it with its state; a wrong state changes nothing."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from accounts.models import Person
from core.db import utcnow
from credentials.models import HeldCredential
from credentials.ob_consumer.models import HostConnection
from credentials.ob_consumer.sealing import seal, unseal
from credentials.vc.keys import generate_ed25519
from credentials.vc.signing import sign_credential
from credentials.wallet import WalletService
from tests.conftest import TEST_PASSWORD, sign_up
from tests.credentials.live_server import free_port, serve_live
from tests.credentials.ob_consumer_helpers import BASE, consumer_settings, form, sign_in
from tests.credentials.test_obv3_api import EMAIL, learner_with_credentials
from tests.credentials.test_obv3_live import hidden_fields
from tests.credentials.vc.helpers_vc import badge_for
from tests.test_language_leaks import english_phrases, leaks_in

pytestmark = pytest.mark.slow
HOST_LEARNER = "taro@example.jp"
OTHER = "kenji@example.jp"


@pytest.fixture
async def world(settings, tmp_path):
    """(consumer test client, Host URL): the consumer's base URL is the Host's own (same database), so
    the badges it issues carry status lists the Host resolves locally, and our callback is a loopback URL
    the Host accepts; the Host's browser stops at the redirect, which the test hands to the consumer."""
    from skillpass.app import create_app

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    from skillpass.wiring import connect_domains

    app = create_app(consumer_settings(settings, base_url=url))
    try:
        async with serve_live(settings, tmp_path, port=port, base_url=url) as live:
            async with AsyncTestClient(app=app) as consumer:
                consumer.follow_redirects = False  # the test checks each redirect
                yield consumer, live
    finally:
        # create_app wires the domains' hooks (claim on confirmation, ...) with its settings, process-wide:
        # give them back to the suite's app, whose base URL the later tests' status lists carry
        connect_domains(settings)


async def host_browser_approves(live: str, authorize_url: str, email: str = HOST_LEARNER, *,
                                decision: str = "approve") -> httpx.Response:
    """The learner's browser at the Host: sign in there, see skillpass named on the consent page, approve."""
    async with httpx.AsyncClient(base_url=live, timeout=10.0) as browser:
        first = await browser.get(authorize_url)
        assert first.status_code == 303 and first.headers["location"].startswith("/signin?next=")
        sign_in_page = await browser.get(first.headers["location"])
        signed_in = await browser.post("/signin", data={**hidden_fields(sign_in_page.text, "/signin"),
                                                        "email": email, "password": TEST_PASSWORD})
        assert signed_in.status_code == 303, signed_in.text
        consent = await browser.get(urljoin(live, signed_in.headers["location"]))
        assert consent.status_code == 200 and "skillpass" in consent.text, consent.text[-2000:]
        fields = hidden_fields(consent.text, "/oauth/ob/authorize")
        return await browser.post("/oauth/ob/authorize", data={**fields, "decision": decision})


async def start_connecting(consumer, live: str) -> tuple[uuid.UUID, str]:
    started = await form(consumer, BASE, {"host_url": live + "/"})
    assert started.status_code == 303, started.text
    connection_id = uuid.UUID(started.headers["location"].split("/")[-2])
    link_page = await consumer.get(started.headers["location"])
    assert link_page.status_code == 200
    authorize_url = unescape(re.search(r'id="obc-authorize" href="([^"]+)"', link_page.text).group(1))
    query = parse_qs(urlsplit(authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"] and query["state"]
    assert query["redirect_uri"] == [live + BASE + "/callback"]
    return connection_id, authorize_url


def outcomes(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-outcome="(\w+)" data-status="(\d*)"', page)


async def test_connect_push_list_refresh_disconnect(world, db, settings) -> None:
    consumer, live = world
    await sign_up(consumer, HOST_LEARNER, "鈴木 太郎", "ja")
    await sign_up(consumer, OTHER, "Kenji", "en")
    await learner_with_credentials(consumer, count=2)  # EMAIL holds an LD credential and a VC-JWT
    me = await db.scalar(select(Person.id).where(Person.email == EMAIL))
    held = list((await db.execute(select(HeldCredential).where(HeldCredential.person_id == me))).scalars())
    assert len(held) == 2 and {h.format for h in held} == {"ldp", "jwt"}

    connection_id, authorize_url = await start_connecting(consumer, live)
    pending = await db.get(HostConnection, connection_id)
    assert pending.state == "pending" and pending.tokens_sealed is None and pending.client_id
    assert pending.revoke_url == live + "/oauth/ob/revoke"
    redirect = await host_browser_approves(live, authorize_url)
    assert redirect.status_code == 302
    back = urlsplit(redirect.headers["location"])
    callback = back.path + "?" + back.query

    wrong = await consumer.get(BASE + "/callback?" + back.query.replace("state=", "state=x"))
    assert wrong.status_code == 400 and "あなたが始めた接続のものではない" in wrong.text

    await sign_in(consumer, OTHER)  # the state and code are the first learner's: refused for anyone else
    assert (await consumer.get(callback)).status_code == 400
    await sign_in(consumer, EMAIL)

    done = await consumer.get(callback)
    assert done.status_code == 303 and done.headers["location"] == f"{BASE}/{connection_id}?connected=1"
    await db.refresh(pending)
    row = pending
    assert row.state == "connected" and row.state_digest is None and row.verifier_sealed is None
    tokens = unseal(row.tokens_sealed, row.id, "test-master-key-0123456789")
    assert tokens["access_token"].encode() not in row.tokens_sealed
    assert tokens["refresh_token"].encode() not in row.tokens_sealed
    assert set(row.scopes.split()) == {"https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert",
                                       "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly",
                                       "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly"}
    page = await consumer.get(f"{BASE}/{connection_id}?connected=1")
    assert page.status_code == 200 and 'id="obc-connected"' in page.text and 'id="obc-push"' in page.text

    chosen = {"held": [str(h.id) for h in held]}
    first = await form(consumer, f"{BASE}/{connection_id}/push", chosen)
    assert first.status_code == 200 and outcomes(first.text) == [("created", "201")] * 2, first.text
    host_learner = await db.scalar(select(Person.id).where(Person.email == HOST_LEARNER))
    at_host = list((await db.execute(
        select(HeldCredential).where(HeldCredential.person_id == host_learner))).scalars())
    assert len(at_host) == 2 and all(h.verified for h in at_host) and {h.format for h in at_host} == {"ldp", "jwt"}
    again = await form(consumer, f"{BASE}/{connection_id}/push", chosen)
    assert outcomes(again.text) == [("unchanged", "304")] * 2, again.text
    # A newer version of a badge (same id, signed again by its issuer) replaces the Host's copy: 200.
    key = generate_ed25519()
    badge_id = f"urn:uuid:{uuid.uuid4()}"
    wallet = WalletService(db, settings)
    older = await wallet.import_document(me, sign_credential(badge_for(key, id=badge_id), key))
    newer = await wallet.import_document(me, sign_credential(badge_for(key, id=badge_id, name="Python 上級"), key))
    await db.commit()
    assert outcomes((await form(consumer, f"{BASE}/{connection_id}/push", {"held": [str(older.id)]})).text) == [
        ("created", "201")]
    assert outcomes((await form(consumer, f"{BASE}/{connection_id}/push", {"held": [str(newer.id)]})).text) == [
        ("updated", "200")]
    replaced = list((await db.execute(select(HeldCredential).where(HeldCredential.person_id == host_learner)
                                      .execution_options(populate_existing=True))).scalars())
    assert len(replaced) == 3 and [h.document["name"] for h in replaced if h.document.get("id") == badge_id] == [
        "Python 上級"]

    listed = await consumer.get(f"{BASE}/{connection_id}/remote")
    assert listed.status_code == 200 and 'id="obc-remote-total"' in listed.text
    assert len(re.findall(r"<tr data-id=", listed.text)) == 3 and "obc-remote-next" not in listed.text

    # An expired access token: authlib refreshes it at the Host (which rotates the pair) and we keep the new one.
    await db.refresh(row)
    tokens = unseal(row.tokens_sealed, row.id, "test-master-key-0123456789")
    expired = {**tokens, "expires_at": int((utcnow() - timedelta(minutes=5)).timestamp())}
    row.tokens_sealed = seal(expired, row.id, "test-master-key-0123456789")
    await db.commit()
    refreshed = await consumer.get(f"{BASE}/{connection_id}/remote")
    assert refreshed.status_code == 200 and len(re.findall(r"<tr data-id=", refreshed.text)) == 3
    await db.refresh(row)
    renewed = unseal(row.tokens_sealed, row.id, "test-master-key-0123456789")
    assert renewed["access_token"] != tokens["access_token"] and renewed["refresh_token"] != tokens["refresh_token"]
    async with httpx.AsyncClient(base_url=live) as plain:
        old = await plain.get("/ims/ob/v3p0/credentials",
                              headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert old.status_code == 401  # rotation ended the old pair

    # Someone else signed in here sees nothing and can do nothing with it.
    await sign_in(consumer, OTHER)
    assert 'id="obc-none"' in (await consumer.get(BASE)).text
    assert (await consumer.get(f"{BASE}/{connection_id}")).status_code == 404
    assert (await consumer.get(f"{BASE}/{connection_id}/remote")).status_code == 404
    assert (await form(consumer, f"{BASE}/{connection_id}/push", chosen)).status_code == 404
    assert (await form(consumer, f"{BASE}/{connection_id}/disconnect", {})).status_code == 404
    await sign_in(consumer, EMAIL)
    exported = await consumer.get("/api/v1/me/export")
    assert exported.status_code == 200
    [kept] = exported.json()["ob_host_connections"]
    assert kept["host_url"] == live and kept["state"] == "connected" and kept["client_id"] == row.client_id
    assert renewed["access_token"] not in exported.text and renewed["refresh_token"] not in exported.text

    # Every page of it speaks only the learner's language (ja), but for the Host's own words (its name, the
    # test issuer's name, the badge names as signed).
    own = {w.lower() for w in re.findall(r"[A-Za-z]+", f"{row.host_name} SkillPass Test Issuer Python Intermediate")}
    english = english_phrases()
    for path in (BASE, f"{BASE}/{connection_id}", f"{BASE}/{connection_id}/remote"):
        shown = await consumer.get(path)
        assert shown.status_code == 200 and leaks_in(path, shown.text, "ja", english, own) == []
    assert leaks_in("push", again.text, "ja", english, own) == []

    gone = await form(consumer, f"{BASE}/{connection_id}/disconnect", {})
    assert gone.status_code == 303 and gone.headers["location"] == f"{BASE}?disconnected=revoked"
    assert await db.get(HostConnection, connection_id, populate_existing=True) is None
    async with httpx.AsyncClient(base_url=live) as plain:
        after = await plain.get("/ims/ob/v3p0/credentials",
                                headers={"Authorization": f"Bearer {renewed['access_token']}"})
        assert after.status_code == 401
    assert 'id="obc-disconnected"' in (await consumer.get(gone.headers["location"])).text


async def test_denied_then_connected_again_and_no_second_connection(world, db) -> None:
    consumer, live = world
    await sign_up(consumer, HOST_LEARNER, "鈴木 太郎", "ja")
    await sign_up(consumer, EMAIL, "Hanako", "en")
    first_id, authorize_url = await start_connecting(consumer, live)
    denied = await host_browser_approves(live, authorize_url, decision="deny")
    back = urlsplit(denied.headers["location"])
    assert parse_qs(back.query)["error"] == ["access_denied"]
    shown = await consumer.get(back.path + "?" + back.query)
    assert shown.status_code == 502 and "Access was not granted at the Host." in shown.text
    assert (await db.get(HostConnection, first_id)).state == "pending"

    second_id, authorize_url = await start_connecting(consumer, live)  # replaces the pending one
    assert second_id != first_id
    assert await db.get(HostConnection, first_id, populate_existing=True) is None
    approved = await host_browser_approves(live, authorize_url)
    back = urlsplit(approved.headers["location"])
    assert (await consumer.get(back.path + "?" + back.query)).status_code == 303
    assert (await consumer.get(back.path + "?" + back.query)).status_code == 400  # a state works once

    again = await form(consumer, BASE, {"host_url": live})
    assert again.status_code == 409 and "already connected" in again.text
    assert len((await db.execute(select(HostConnection))).scalars().all()) == 1
