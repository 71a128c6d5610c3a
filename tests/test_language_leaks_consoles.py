"""The language-leak test on the pages tests/test_language_leaks.py leaves out: every provider, employer and
admin console page, and every learner or public page that takes a path parameter (a held credential, a share
page, a public badge, a job, a claim page, DSS items, an issuer, an endorsement), with every learner page again
in this fuller world and the skill searches given a word of the other language. One world is seeded through the API and the
domain services (a verified provider with achievements, a credential, an offer, a batch, a webhook, a pathway
and an endorsement; a verified employer with a posting, a contact request, a shortlist and a presentation
request; a platform admin; a learner holding the badge, with a share link and a public badge page), then
each page is opened in ja and in en by the role that may open it. Fails on a page that is not a 200 HTML page
and on every string of the other language (the same rule as tests/test_language_leaks.py)."""

from __future__ import annotations

import re
import uuid
import warnings
from contextlib import AsyncExitStack
from urllib.parse import quote

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from accounts.service import AccountService
from core.db import utcnow
from credentials.batches import CSV_COLUMNS
from credentials.deps import stop_jobs
from credentials.models import PublicBadge
from credentials.pathways import service as pathways
from credentials.webhooks.service import WebhookService
from matching.search import holder_of
from tests.conftest import TEST_PASSWORD, create_api_key, csrf_headers, sign_up, verify_org_through_app
from tests.frontend.helpers import ACHIEVEMENT, HTML, csrf_token, held_ids
from tests.test_language_leaks import english_phrases, leaks_in, split_reported

# Not pages: files, machine documents and protocol endpoints (their content types are checked elsewhere).
NOT_PAGES = re.compile(r"^/(api|schema|static|health|\.well-known|ims|oid4vci|oid4vp|oauth|credentials/status)\b"
                       r"|\.(png|svg|json|jwt|csv)$|/image$|/(export|credential)\.")
# JSON-LD documents: a DSS version's concept scheme whatever the Accept header; an achievement's URL sends
# a browser on to its page (/achievements/{id}/about, checked here on its own); the page of what another
# Open Badges Host holds asks that Host (tests/credentials/test_ob_consumer_live.py checks its language), and
# that Host's OAuth redirect is a protocol endpoint (its refusal page: tests/credentials/test_ob_consumer.py).
DOCUMENTS = {"/achievements/{achievement_id:uuid}", "/dss/{version:str}",
             "/wallet/settings/ob-hosts/{connection_id:uuid}/remote", "/wallet/settings/ob-hosts/callback"}
# The test's own data, entered in the reader's language, except what has no second language: the emails,
# which the pages show as entered (ASCII, and so already outside both checks), and the webhook's address.
NAMES = {"ja": {"learner": "山田 花子", "provider": "研修担当", "employer": "採用担当", "admin": "運用担当",
                "posting": "バックエンドエンジニア", "comment": "業界団体として推薦します。",
                "purpose": "データエンジニア職の選考のため", "message": "面談をお願いできますか。"},
         "en": {"learner": "Hanako Yamada", "provider": "Training lead", "employer": "Recruiter",
                "admin": "Operator", "posting": "Back-end engineer", "comment": "We endorse this course.",
                "purpose": "To consider you for the data engineer role", "message": "Could we talk?"}}
# What the test enters with no second language, cut from each page before the check: the note the conftest
# helper approves organisations with, the batch line the test made invalid, the test client's user agent.
TEST_DATA = ("verified by the test helper", "not-an-email", "testclient")
SKILLS = {"v2-backend": "c", "v2-web-app-basics": "c"}
# English a Japanese page may show here: the words a provider types into a file or a program, shown as they
# must be typed (the batch CSV's column names, the API's id fields on the API key page), and the programming
# language the test's Japanese achievement name names (「Python バックエンド API 実践」).
OWN_WORDS = set(CSV_COLUMNS) | {"org_id", "achievement_id", "python"}


@pytest.fixture(autouse=True)
def _fresh_candidate_index(app):
    """The candidate index lives as long as the app; the database is emptied before each test."""
    holder_of(app.state).index = None


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


async def _ok(response, status: int = 201) -> dict:
    assert response.status_code == status, response.text[:500]
    return response.json() if response.content else {}


async def _post(client: AsyncTestClient, path: str, body: dict, status: int = 201, **headers: str) -> dict:
    return await _ok(await client.post(path, json=body, headers={**await csrf_headers(client), **headers}), status)


async def _person(client: AsyncTestClient, email: str, name: str, lang: str) -> dict:
    person = await sign_up(client, email, name, lang=lang)
    client.cookies.set("lang", lang)
    return person


async def _org(client: AsyncTestClient, kind: str, slug: str, name_ja: str, name_en: str) -> str:
    org = await _post(client, "/api/v1/orgs", {"kind": kind, "slug": slug, "name_ja": name_ja, "name_en": name_en})
    await verify_org_through_app(client, org["id"])
    return org["id"]


async def _provider(client: AsyncTestClient, db, settings, lang: str, learner_email: str) -> dict:
    """A verified provider: three achievements (two steps and a pathway badge), a credential for the learner
    with an OpenID4VCI offer, a batch, an API key, a webhook and a pathway; a second provider endorses it."""
    names = NAMES[lang]
    await _person(client, f"admin@leaks-{lang}.example.jp", names["provider"], lang)
    org_id = await _org(client, "provider", f"leaks-academy-{lang}", "リークアカデミー", "Leak Academy")
    base = f"/api/v1/orgs/{org_id}"
    made = [await _post(client, f"{base}/achievements", {**ACHIEVEMENT, **extra}) for extra in (
        {}, {"name_ja": "API 設計 応用", "name_en": "Applied API design"},
        {"name_ja": "バックエンド修了", "name_en": "Back-end pathway complete"})]
    # issued in the reader's language: a signed credential's text is one language, as its issuer signed it
    issued = await _post(client, f"{base}/credentials", {"achievement_id": made[0]["id"], "lang": lang,
                                                         "recipient_email": learner_email},
                         **{"Idempotency-Key": str(uuid.uuid4())})
    credential_id = issued["id"]
    offer = await _post(client, f"{base}/credentials/{credential_id}/oid4vci-offer", {})
    batch = await _post(client, f"{base}/batches", {"achievement_id": made[1]["id"], "recipients": [
        {"recipient_email": f"batch-{lang}@example.jp", "recipient_name": names["learner"]},
        {"recipient_email": "not-an-email"}]}, 202, **{"Idempotency-Key": str(uuid.uuid4())})
    await create_api_key(client, org_id, "ci")
    allow_local = settings.model_copy(update={"webhooks_allow_private": True})
    endpoint, _ = await WebhookService(db, allow_local).create(uuid.UUID(org_id), "http://127.0.0.1:9/hook",
                                                               ["credential.issued"])
    await pathways.create_pathway(db, settings, uuid.UUID(org_id), pathways.PathwayIn(
        name_ja="バックエンド入門", name_en="Back-end starter", badge_achievement_id=uuid.UUID(made[2]["id"]),
        steps=[pathways.StepIn(uuid.UUID(made[0]["id"])), pathways.StepIn(uuid.UUID(made[1]["id"]))],
        description_ja="API を作れるようになる", description_en="Learn to build APIs", role_id="se-backend"))
    await db.commit()
    endorser = await _org(client, "provider", f"leaks-body-{lang}", "日本データ協会", "Japan Data Association")
    key = await create_api_key(client, endorser, "endorse")
    endorsement = await _post(client, f"/api/v1/orgs/{endorser}/endorsements",
                {"achievement_id": made[0]["id"], "comment": names["comment"], "lang": lang},
                              **{"x-api-key": key})
    return {"org_id": org_id, "achievement_id": made[0]["id"], "credential_id": credential_id,
            "handle": offer["claim_url"].rsplit("/", 1)[1], "batch_id": batch["id"], "endpoint_id": str(endpoint.id),
            "slug": f"leaks-academy-{lang}", "endorsement_id": endorsement["id"]}


async def _employer(client: AsyncTestClient, lang: str, person_id: str) -> dict:
    """A verified employer with a published posting, a contact request to the learner, the learner on the
    posting's shortlist and an OpenID4VP presentation request."""
    names = NAMES[lang]
    await _person(client, f"hr@leaks-{lang}.example.jp", names["employer"], lang)
    org_id = await _org(client, "employer", f"leaks-employer-{lang}", "リーク商事", "Leak Trading")
    base = f"/api/v1/orgs/{org_id}"
    posting = await _post(client, f"{base}/postings", {
        "title": names["posting"], "lang": lang, "status": "published",
        "requirements": [{"skill_id": skill, "level": level} for skill, level in SKILLS.items()]})
    await _post(client, f"{base}/contact-requests", {"person_id": person_id, "wants": ["skills", "credentials"],
                                                     "message": names["message"], "posting_id": posting["id"]})
    await _post(client, f"{base}/shortlists/{posting['id']}/candidates", {"person_id": person_id})
    request = await _post(client, f"{base}/presentation-requests", {
        "purpose_ja": NAMES["ja"]["purpose"], "purpose_en": NAMES["en"]["purpose"]})
    return {"org_id": org_id, "posting_id": posting["id"], "request_id": request["id"],
            "request_link": request["authorization_request"]}


async def _learner_extras(client: AsyncTestClient, db, world: dict) -> dict:
    """The learner saves and applies to the job, makes a share link and a public badge page."""
    [held_id] = await held_ids(client)
    await _ok(await client.put(f"/api/v1/me/jobs/{world['posting_id']}/saved", headers=await csrf_headers(client)),
              200)
    await _post(client, f"/api/v1/me/jobs/{world['posting_id']}/application", {}, 201)
    link = await _post(client, "/api/v1/me/share-links", {"parts": ["skills", "evidence", "gap", "display_name"],
                                                          "credential_ids": [held_id]})
    made_public = await client.post(f"/wallet/credentials/{held_id}/public", headers=HTML, follow_redirects=False,
                                    data={"_csrf_token": await csrf_token(client), "public": "on"})
    assert made_public.status_code == 303, made_public.text[:300]
    badge = (await db.execute(select(PublicBadge.token)
                              .where(PublicBadge.held_id == uuid.UUID(held_id)))).scalar_one()
    return {"held_id": held_id, "link_id": link["id"], "share_token": link["token"], "badge_token": badge}


async def _admin(client: AsyncTestClient, db, lang: str) -> None:
    email = f"operator-{lang}@skillpass.test"
    admin = await AccountService(db).sign_up(email, TEST_PASSWORD, NAMES[lang]["admin"], lang, is_admin=True)
    admin.email_confirmed_at = utcnow()  # arranged, as for an operator account made on the command line
    await db.commit()
    await _ok(await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                json={"email": email, "password": TEST_PASSWORD}), 200)
    client.cookies.set("lang", lang)


async def _hosts(db, settings, person: dict, lang: str) -> dict:
    """Two connections to another Open Badges Host (the feature is switched on for this test): one
    connected (its page lists the badges to send), one waiting for the Host's authorization."""
    from credentials.ob_consumer.models import HostConnection
    from credentials.ob_consumer.sealing import seal

    rows = {}
    for state in ("connected", "pending"):
        row = HostConnection(person_id=uuid.UUID(person["id"]), host_url=f"https://{state}.host.example",
                             host_name={"ja": "学びのバッジ箱", "en": "Badge box"}[lang], api_url=f"https://{state}.host.example/ims/ob/v3p0",
                             authorize_url=f"https://{state}.host.example/authorize",
                             token_url=f"https://{state}.host.example/token", client_id="c", client_secret_sealed=b"",
                             state=state, connected_at=utcnow() if state == "connected" else None)
        row.client_secret_sealed = seal("secret", row.id, settings.master_key)
        db.add(row)
        rows[state] = row.id
    await db.commit()
    return {"connection_id": rows["connected"], "pending_host": rows["pending"]}


def _role_of(path: str, access: str | None) -> str:
    if path.startswith("/provider/"):
        return "provider"
    if path.startswith("/employer/"):
        return "employer"
    if path.startswith("/admin"):
        return "admin"
    assert access in ("public", "person"), f"{path}: access {access}"
    return "learner"


def _pages(app, world: dict) -> list[tuple[str, str]]:
    """(role, path) of every GET page with its path parameters filled from ``world``; every parameter must
    be known (a new page with a new parameter fails here until it is seeded)."""
    pages, unknown = [], []
    for route in app.routes:
        if NOT_PAGES.search(route.path) or route.path in DOCUMENTS:
            continue
        for handler in route.route_handlers:
            if "GET" not in getattr(handler, "http_methods", ()):
                continue
            role = _role_of(route.path, handler.opt.get("access"))
            names = re.findall(r"\{(\w+):\w+\}", route.path)
            missing = [n for n in names if (world.get((route.path, n)) or world.get(n)) is None]
            if missing:
                unknown.append(f"{route.path} ({', '.join(missing)})")
                continue
            path = re.sub(r"\{(\w+):\w+\}", lambda m: str(world.get((route.path, m[1])) or world[m[1]]),
                          route.path)
            pages.append((role, path + world.get(("query", route.path), "")))
    assert not unknown, "pages whose parameters the test does not seed: " + "; ".join(unknown)
    return sorted(set(pages))


async def _world(app, db, settings, lang: str, clients: dict[str, AsyncTestClient]) -> dict:
    learner_email = f"leaks-{lang}@example.jp"
    person = await _person(clients["learner"], learner_email, NAMES[lang]["learner"], lang)
    learner = clients["learner"]
    for skill, level in SKILLS.items():
        await _ok(await learner.put("/api/v1/me/self-assessment", headers=await csrf_headers(learner),
                                    json={"skill_id": skill, "level": level}), 200)
    await _ok(await learner.patch("/api/v1/me/settings", headers=await csrf_headers(learner), json={
        "discoverable": True, "prefecture": "JP-13", "target_role": "se-backend",
        "employer_parts": ["skills", "self_declared", "prefecture", "display_name"]}), 200)
    provider = await _provider(clients["provider"], db, settings, lang, learner_email)
    employer = await _employer(clients["employer"], lang, person["id"])
    await _admin(clients["admin"], db, lang)
    world = {**provider, **employer, **await _learner_extras(learner, db, employer), **await _hosts(db, settings, person, lang),
             "person_id": person["id"], "role_id": "se-backend", "skill_id": "v2-backend",
             "category_id": "v2-cat-business", "version": "2.0", "kind": "skills", "concept_id": "v2-backend"}
    employer_org, provider_org = employer["org_id"], provider["org_id"]
    world.update({
        ("/employer/{org_id:uuid}", "org_id"): employer_org,
        ("/admin/organizations/{org_id:uuid}", "org_id"): provider_org,
        ("/b/{token:str}", "token"): world["badge_token"], ("/s/{token:str}", "token"): world["share_token"],
        ("/wallet/settings/ob-hosts/{connection_id:uuid}/authorize", "connection_id"): world["pending_host"],
        ("/dss/{version:str}/{kind:str}/{concept_id:str}", "kind"): "skills",
        ("query", "/wallet/presentations"): f"?request_link={quote(employer['request_link'])}",
        # searches that find skills by a word of the other language (the search hint's examples)
        **{("query", path): "?q=" + quote("データ" if lang == "en" else "cloud") for path in (
            "/dss/search", "/employer/{org_id:uuid}/skills", "/provider/{org_id:uuid}/achievements/skills")},
    })
    for route in app.routes:  # each console's org
        if route.path.startswith("/employer/"):
            world[(route.path, "org_id")] = employer_org
        elif route.path.startswith("/provider/"):
            world[(route.path, "org_id")] = provider_org
        if route.path.startswith("/employer/") and "{posting_id" in route.path:
            world[(route.path, "posting_id")] = employer["posting_id"]
    return world


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_no_console_or_detail_page_shows_the_other_language(app, db, settings, lang, monkeypatch) -> None:
    monkeypatch.setattr(settings, "ob_consumer_enabled", True)  # its pages are off by default
    async with AsyncExitStack() as stack:
        clients = {role: await stack.enter_async_context(AsyncTestClient(app=app))
                   for role in ("learner", "provider", "employer", "admin")}
        world = await _world(app, db, settings, lang, clients)
        english, own = english_phrases(), OWN_WORDS
        pages = _pages(app, world)
        leaks, failed, rendered = [], [], {}
        for role, path in pages:
            response = await clients[role].get(path, headers=HTML)
            if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
                failed.append(f"{role} {path}: {response.status_code} {response.headers.get('content-type')}")
                continue
            if f'<html lang="{lang}"' not in response.text:
                failed.append(f"{role} {path}: not in {lang}")
                continue
            rendered[role] = rendered.get(role, 0) + 1
            page = response.text
            for entered in TEST_DATA:
                page = page.replace(entered, " ")
            leaks += leaks_in(f"{role} {path}", page, lang, english, own)
    print(f"{lang}: {sum(rendered.values())} pages rendered by role {rendered}")  # shown with -s
    assert not failed, "pages that did not render:\n" + "\n".join(failed)
    assert rendered.get("provider", 0) >= 15 and rendered.get("employer", 0) >= 15, rendered
    assert rendered.get("admin", 0) >= 2 and rendered.get("learner", 0) >= 40, rendered
    leaks, known = split_reported(leaks)
    if known:
        warnings.warn(f"{len(known)} reported leaks in {lang} pages:\n" + "\n".join(known), stacklevel=1)
    assert not leaks, f"{len(leaks)} leaks in {lang} pages:\n" + "\n".join(leaks)
