"""Organisation verification end to end through the API: an organization asks, a platform admin decides,
every change is in the audit log and runs the hooks; the 法人番号 check digit; the domain proof fetched
from a local server."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from accounts import corporate_number, hooks
from accounts.models import OrgVerificationEvent, Organization
from accounts.service import AccountService
from accounts.verification import DomainFetcher, OrgVerificationService
from core.errors import Conflict, InvalidInput
from tests.conftest import TEST_PASSWORD, create_api_key, create_org, csrf_headers, sign_up, verify_org

NTA = "7000012050002"  # 国税庁 (National Tax Agency), as published on its corporate number site
ADMIN_EMAIL = "ops@skillpass.example.jp"


# -- 法人番号 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [NTA, "4011001098993", "2120901007402", "７０００-０１２０-５０００２", " 7000 0120 50002 "])
def test_published_corporate_numbers_pass_in_any_form(raw: str) -> None:
    assert corporate_number.parse(raw) == corporate_number.normalize(raw)
    assert corporate_number.parse(raw).isascii() and len(corporate_number.parse(raw)) == 13


@pytest.mark.parametrize("raw", ["8000012050002", "7000012050003", "700001205000", "70000120500021", "７０００一", ""])
def test_wrong_corporate_numbers_fail(raw: str) -> None:
    assert corporate_number.parse(raw) is None


def test_check_digit_follows_the_published_example() -> None:
    assert corporate_number.check_digit("123456789012") == 7  # the worked example: 9 − (74 mod 9)


# -- the API, end to end -------------------------------------------------------------------------

async def sign_in(client, email: str) -> None:
    client.cookies.clear()
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text


async def platform_admin(db) -> None:
    await AccountService(db).sign_up(ADMIN_EMAIL, TEST_PASSWORD, "Operator", "en", is_admin=True)
    await db.commit()


async def provider(client, email: str, slug: str) -> str:
    client.cookies.clear()
    await sign_up(client, email)
    return (await create_org(client, "provider", slug))["id"]


async def ask(client, org_id: str, number: str = NTA, domain: str = "academy.example.jp"):
    return await client.post(f"/api/v1/orgs/{org_id}/verification", headers=await csrf_headers(client),
                             json={"corporate_number": number, "domain": domain, "gbiz_id": "gbiz-123"})


async def decide(client, org_id: str, action: str, **body):
    return await client.post(f"/api/v1/admin/organizations/{org_id}/{action}", headers=await csrf_headers(client),
                             json=body)


async def test_request_then_admin_approves_with_audit_rows(client, db) -> None:
    await platform_admin(db)
    org_id = await provider(client, "owner@academy.example.jp", "academy")
    first = await client.get(f"/api/v1/orgs/{org_id}/verification")
    assert first.status_code == 200 and first.json()["state"] == "unverified"
    assert (await client.get(f"/api/v1/orgs/{org_id}")).json()["verification_state"] == "unverified"

    asked = await ask(client, org_id, number="７０００-０１２０-５０００２", domain="https://Academy.Example.JP/")
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["state"] == "pending" and body["request"]["corporate_number"] == NTA
    assert body["request"]["domain"] == "academy.example.jp" and len(body["request"]["domain_token"]) >= 24
    assert body["request"]["domain_check"] == "manual_review"  # outbound requests are off by default
    assert body["request"]["proof_url"] == "https://academy.example.jp/.well-known/skillpass-verification.txt"

    await sign_in(client, ADMIN_EMAIL)
    pending = await client.get("/api/v1/admin/organizations", params={"state": "pending"})
    assert [item["org"]["id"] for item in pending.json()] == [org_id]
    approved = await decide(client, org_id, "approve", note="登記と一致")
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "verified"
    detail = (await client.get(f"/api/v1/admin/organizations/{org_id}")).json()
    assert [(e["action"], e["from_state"], e["to_state"]) for e in detail["audit"]] == [
        ("approve", "pending", "verified"), ("request", "unverified", "pending")]
    assert detail["audit"][0]["actor_email"] == ADMIN_EMAIL and detail["audit"][0]["note"] == "登記と一致"
    assert detail["request"]["decided_by"] is not None
    rows = (await db.execute(select(OrgVerificationEvent).where(OrgVerificationEvent.org_id == uuid.UUID(org_id))))
    assert len(list(rows.scalars())) == 2
    assert (await db.get(Organization, uuid.UUID(org_id))).verification_state == "verified"


async def test_reject_needs_a_reason_and_returns_to_unverified(client, db) -> None:
    await platform_admin(db)
    org_id = await provider(client, "owner@reject.example.jp", "reject-me")
    assert (await ask(client, org_id)).status_code == 200
    await sign_in(client, ADMIN_EMAIL)
    missing = await decide(client, org_id, "reject", note="  ")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "reason"
    rejected = await decide(client, org_id, "reject", reason="法人番号が登記と一致しません")
    assert rejected.status_code == 200 and rejected.json()["state"] == "unverified"
    assert rejected.json()["request"]["note"] == "法人番号が登記と一致しません"
    # the organization may ask again
    await sign_in(client, "owner@reject.example.jp")
    assert (await ask(client, org_id)).json()["state"] == "pending"


async def test_suspend_and_reinstate_and_wrong_transitions_are_409(client, db) -> None:
    await platform_admin(db)
    org_id = await provider(client, "owner@suspend.example.jp", "suspend-me")
    await sign_in(client, ADMIN_EMAIL)
    early = await decide(client, org_id, "approve")
    assert early.status_code == 409 and "unverified" in early.json()["detail"]
    await verify_org(db, org_id)
    assert (await decide(client, org_id, "suspend")).status_code == 422
    suspended = await decide(client, org_id, "suspend", reason="なりすましの疑い")
    assert suspended.json()["state"] == "suspended"
    twice = await decide(client, org_id, "suspend", reason="again")
    assert twice.status_code == 409 and "suspended" in twice.json()["detail"]
    reinstated = await decide(client, org_id, "reinstate")
    assert reinstated.json()["state"] == "verified"
    assert (await decide(client, org_id, "reject", reason="x")).status_code == 409
    assert (await decide(client, org_id, "delete")).status_code == 404


async def test_non_admins_get_403_and_org_b_cannot_see_a(client, db) -> None:
    org_a = await provider(client, "a@example.jp", "provider-a")
    assert (await ask(client, org_a)).status_code == 200
    org_b = await provider(client, "b@example.jp", "provider-b")
    assert (await client.get(f"/api/v1/orgs/{org_a}/verification")).status_code == 403
    assert (await ask(client, org_a)).status_code == 403
    assert (await client.get(f"/api/v1/orgs/{org_b}/verification")).status_code == 200
    assert (await client.get("/api/v1/admin/organizations")).status_code == 403
    assert (await client.get(f"/api/v1/admin/organizations/{org_a}")).status_code == 403
    assert (await decide(client, org_b, "approve")).status_code == 403
    client.cookies.clear()
    assert (await client.get("/api/v1/admin/organizations")).status_code == 401


async def test_api_keys_cannot_ask_or_read_verification(client) -> None:
    org_id = await provider(client, "keys@example.jp", "key-school")
    key = await create_api_key(client, org_id)
    client.cookies.clear()
    assert (await client.get(f"/api/v1/orgs/{org_id}/verification", headers={"x-api-key": key})).status_code == 403
    assert (await client.get(f"/api/v1/orgs/{org_id}", headers={"x-api-key": key})).json()["verification_state"] \
        == "unverified"


async def test_invalid_corporate_number_and_domain_are_422_naming_the_field(client) -> None:
    org_id = await provider(client, "typo@example.jp", "typo-school")
    wrong = await ask(client, org_id, number="7000012050003")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "corporate_number"
    both = await ask(client, org_id, number="123", domain="localhost")
    assert {e["field"] for e in both.json()["errors"]} == {"corporate_number", "domain"}
    assert (await client.get(f"/api/v1/orgs/{org_id}/verification")).json()["state"] == "unverified"


async def test_hooks_run_with_old_and_new_state_in_the_transaction(db) -> None:
    seen: list[tuple[str, str, str]] = []

    async def record(session, org, old, new) -> None:
        seen.append((org.slug, old, new))

    hooks.on_org_verification_changed("test-record", record)
    try:
        accounts = AccountService(db)
        admin = await accounts.sign_up(ADMIN_EMAIL, TEST_PASSWORD, "Operator", "en", is_admin=True)
        org = await accounts.create_org("employer", "hook-corp", "フック株式会社", "Hook Corp", admin_id=admin.id)
        service = OrgVerificationService(db)
        await service.request(org.id, admin.id, NTA, "hook.example.jp")
        await service.approve(org.id, admin.id)
        await service.suspend(org.id, admin.id, "test")
        with pytest.raises(Conflict):
            await service.approve(org.id, admin.id)
        with pytest.raises(InvalidInput):
            await service.reinstate(org.id, admin.id, "x" * 2001)
    finally:
        hooks._org_verification_hooks.pop("test-record", None)
    assert seen == [("hook-corp", "unverified", "pending"), ("hook-corp", "pending", "verified"),
                    ("hook-corp", "verified", "suspended")]


# -- the domain proof, against a local server ------------------------------------------------------

@pytest.fixture
def domain_server() -> Iterator[tuple[str, dict[str, tuple[int, bytes, dict[str, str]]]]]:
    """An HTTP server on 127.0.0.1 answering each path from ``routes`` (status, body, headers)."""
    routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body, headers = routes.get(self.path, (404, b"not found", {}))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", routes
    server.shutdown()
    server.server_close()


async def requested(db, settings, method: str = "token"):
    accounts = AccountService(db)
    owner = await accounts.sign_up("owner@dojo.example.jp", TEST_PASSWORD, "Owner", "ja")
    org = await accounts.create_org("provider", "dojo", "道場", "Dojo", admin_id=owner.id)
    service = OrgVerificationService(db, settings.model_copy(update={"org_domain_check_fetch": True}))
    row = await service.request(org.id, owner.id, NTA, "dojo.example.jp", domain_method=method)
    return service, org, row


async def test_domain_token_right_passes_and_wrong_fails(db, settings, domain_server) -> None:
    base, routes = domain_server
    service, org, row = await requested(db, settings)
    assert row.domain_check is None  # fetching is on: nothing checked yet
    fetcher = DomainFetcher(base=base, timeout=2)
    path = "/.well-known/skillpass-verification.txt"
    routes[path] = (200, b"someone-else's-token\n", {})
    assert (await service.check_domain(org.id, fetcher)).startswith("failed")
    routes[path] = (200, f"{row.domain_token}\n".encode(), {})
    assert await service.check_domain(org.id, fetcher) == "passed"
    del routes[path]
    assert "404" in await service.check_domain(org.id, fetcher)
    routes[path] = (302, b"", {"location": "http://evil.example.net/token"})
    assert "another host" in await service.check_domain(org.id, fetcher)
    routes[path] = (200, row.domain_token.encode() + b"\n" + b"x" * 70_000, {})
    assert "larger" in await service.check_domain(org.id, fetcher)
    history = await service.history(org.id)
    assert history[0][0].action == "domain_check" and history[0][1] is None  # the system, no person


async def test_did_web_document_proves_the_domain(db, settings, domain_server) -> None:
    base, routes = domain_server
    service, org, _ = await requested(db, settings, method="did_web")
    fetcher = DomainFetcher(base=base, timeout=2)
    routes["/.well-known/did.json"] = (200, json.dumps({"id": "did:web:other.example.jp"}).encode(), {})
    assert (await service.check_domain(org.id, fetcher)).startswith("failed")
    routes["/.well-known/did.json"] = (200, json.dumps({"id": "did:web:dojo.example.jp"}).encode(), {})
    assert await service.check_domain(org.id, fetcher) == "passed"


async def test_without_the_setting_nothing_is_fetched(db, settings, domain_server) -> None:
    base, routes = domain_server
    service, org, row = await requested(db, settings)
    routes["/.well-known/skillpass-verification.txt"] = (200, row.domain_token.encode(), {})
    off = OrgVerificationService(db, settings)
    assert await off.check_domain(org.id, DomainFetcher(base=base)) == "manual_review"


# -- demo data -------------------------------------------------------------------------------------

async def test_demo_providers_are_verified_the_dojo_is_not_and_a_second_load_changes_nothing(db) -> None:
    from credentials.models import Achievement
    from skillpass.demo import DEMO_ADMIN, DEMO_VERIFIED, load_demo

    await load_demo(db)
    await db.commit()
    accounts = AccountService(db)
    states = {slug: (await accounts.org_by_slug(slug)).verification_state
              for slug in ("tokyo-digital-academy", "kansai-data-school", "shinjuku-coding-dojo")}
    assert states == {"tokyo-digital-academy": "verified", "kansai-data-school": "verified",
                      "shinjuku-coding-dojo": "unverified"}
    assert all(corporate_number.is_valid(number) for number, _ in DEMO_VERIFIED.values())
    assert (await accounts.person_by_email(DEMO_ADMIN)).is_admin
    dojo = await accounts.org_by_slug("shinjuku-coding-dojo")
    dojo_badges = (await db.execute(select(Achievement).where(Achievement.org_id == dojo.id))).scalars().all()
    assert len(dojo_badges) == 1
    tokyo = await accounts.org_by_slug("tokyo-digital-academy")
    trail = [(event.action, email) for event, email in await OrgVerificationService(db).history(tokyo.id)]
    assert trail == [("approve", DEMO_ADMIN), ("request", "provider@demo.skillpass.jp")]
    events = len((await db.execute(select(OrgVerificationEvent))).scalars().all())

    again = await load_demo(db)
    await db.commit()
    assert again["created"] == 0
    assert len((await db.execute(select(OrgVerificationEvent))).scalars().all()) == events
