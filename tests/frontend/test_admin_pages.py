"""The admin console and the organisation's verification page: both languages, forms with CSRF, the
reason required exactly when the API requires it, who may open what."""

from __future__ import annotations

import re
import uuid

from accounts.models import VERIFICATION_STATES, Organization
from accounts.service import AccountService
from accounts.verification import ADMIN_ACTIONS, TRANSITIONS
from frontend.i18n import messages
from tests.conftest import TEST_PASSWORD, create_org, csrf_headers, sign_up
from tests.frontend.helpers import HTML, assert_fragment, assert_full_page, csrf_token, form

ADMIN_EMAIL = "ops@skillpass.example.jp"
NTA = "7000012050002"


def textarea(html: str, action: str) -> str:
    """The opening tag of the note field in the form of ``action``."""
    return re.search(rf'<textarea id="note-{action}"[^>]*>', html).group(0)


async def sign_in(client, email: str, lang: str = "en") -> None:
    client.cookies.clear()
    response = await client.post("/api/v1/auth/signin", headers=await csrf_headers(client),
                                 json={"email": email, "password": TEST_PASSWORD})
    assert response.status_code == 200, response.text
    client.cookies.set("lang", lang)


async def admin_account(db, lang: str = "en") -> None:
    await AccountService(db).sign_up(ADMIN_EMAIL, TEST_PASSWORD, "運用担当" if lang == "ja" else "Operator", lang,
                                     is_admin=True)
    await db.commit()


async def provider_console(client, slug: str, lang: str = "en", kind: str = "provider") -> tuple[str, str]:
    client.cookies.clear()
    await sign_up(client, f"owner@{slug}.example.jp", lang=lang)
    client.cookies.set("lang", lang)
    org = await create_org(client, kind, slug)
    return org["id"], f"/{kind}/{org['id']}/verification"


async def ask_through_the_form(client, url: str, number: str = "７０００-０１２０-５０００２"):
    token = await csrf_token(client)
    return await client.post(url, headers=HTML, data=form(token, corporate_number=number,
                                                          domain="dojo.example.jp", domain_method="token"),
                             follow_redirects=False)


async def test_provider_sees_its_state_asks_and_gets_the_token(client, db) -> None:
    org_id, url = await provider_console(client, "dojo")
    page = await client.get(url, headers=HTML)
    assert_full_page(page)
    assert "Unverified" in page.text and "Ask to be verified" in page.text and 'name="corporate_number"' in page.text
    assert f'href="{url}"' in (await client.get(f"/provider/{org_id}", headers=HTML)).text  # tab and notice
    wrong = await ask_through_the_form(client, url, number="7000012050003")
    assert wrong.status_code == 422 and "check digit" in wrong.text and 'aria-invalid="true"' in wrong.text
    fragment = await client.post(url, headers={"hx-request": "true", "hx-target": "verification_form", **HTML},
                                 data=form(await csrf_token(client), corporate_number="123", domain="x"))
    assert_fragment(fragment)
    assert 'id="e-corporate_number"' in fragment.text and 'id="e-domain"' in fragment.text
    asked = await ask_through_the_form(client, url)
    assert asked.status_code == 303 and asked.headers["location"] == url
    page = await client.get(url, headers=HTML)
    org = await db.get(Organization, uuid.UUID(org_id))
    assert org.verification_state == "pending"
    assert "Under review" in page.text and NTA in page.text
    assert "https://dojo.example.jp/.well-known/skillpass-verification.txt" in page.text
    assert 'name="corporate_number"' not in page.text


async def test_provider_page_in_japanese(client) -> None:
    _, url = await provider_console(client, "dojo-ja", lang="ja")
    page = await client.get(url, headers=HTML)
    assert_full_page(page)
    assert "未確認" in page.text and "法人番号" in page.text and "確認を申請する" in page.text


async def test_employer_console_has_the_same_page(client) -> None:
    _, url = await provider_console(client, "sakura", kind="employer")
    page = await client.get(url, headers=HTML)
    assert_full_page(page)
    assert "Unverified" in page.text and 'name="corporate_number"' in page.text
    assert f'href="{url}" aria-current="page"' in page.text  # the employer console's own tab


async def test_members_who_are_not_admins_see_the_state_without_the_form(client, db) -> None:
    org_id, url = await provider_console(client, "members")
    await AccountService(db).sign_up("member@members.example.jp", TEST_PASSWORD, "Member", "en")
    await db.commit()
    await AccountService(db).add_member(uuid.UUID(org_id), "member@members.example.jp")
    await db.commit()
    await sign_in(client, "member@members.example.jp")
    page = await client.get(url, headers=HTML)
    assert "Unverified" in page.text and 'name="corporate_number"' not in page.text
    assert (await ask_through_the_form(client, url)).status_code == 403


async def test_admin_lists_pending_first_and_approves_through_the_form(client, db) -> None:
    await admin_account(db)
    await provider_console(client, "already-there")
    org_id, url = await provider_console(client, "dojo")
    await ask_through_the_form(client, url)
    await sign_in(client, ADMIN_EMAIL)
    listing = await client.get("/admin", headers=HTML)
    assert_full_page(listing)
    assert 'href="/admin"' in listing.text  # the header link for platform admins
    assert listing.text.index("dojo") < listing.text.index("already-there")
    detail = await client.get(f"/admin/organizations/{org_id}", headers=HTML)
    assert NTA in detail.text and "dojo.example.jp" in detail.text and "Approve" in detail.text
    no_token = await client.post(f"/admin/organizations/{org_id}/approve", headers=HTML, data={"note": "ok"})
    assert no_token.status_code == 403  # CSRF
    approved = await client.post(f"/admin/organizations/{org_id}/approve", headers=HTML,
                                 data=form(await csrf_token(client), note="登記簿と一致"), follow_redirects=False)
    assert approved.status_code == 303
    assert (await db.get(Organization, uuid.UUID(org_id))).verification_state == "verified"
    detail = await client.get(f"/admin/organizations/{org_id}", headers=HTML)
    assert "登記簿と一致" in detail.text and ADMIN_EMAIL in detail.text and "Suspend" in detail.text
    pending = await client.get("/admin?state=pending", headers=HTML)
    assert "dojo" not in pending.text


async def test_reject_form_requires_a_reason_in_japanese(client, db) -> None:
    await admin_account(db, lang="ja")
    org_id, url = await provider_console(client, "reject-ja", lang="ja")
    await ask_through_the_form(client, url)
    await sign_in(client, ADMIN_EMAIL, lang="ja")
    detail = await client.get(f"/admin/organizations/{org_id}", headers=HTML)
    assert "プラットフォーム管理" in detail.text and "却下する" in detail.text
    assert " required" in textarea(detail.text, "reject")
    assert " required" not in textarea(detail.text, "approve")  # no reason needed to approve
    refused = await client.post(f"/admin/organizations/{org_id}/reject", headers=HTML,
                                data=form(await csrf_token(client), note=" "))
    assert refused.status_code == 422 and "理由を入力してください" in refused.text
    rejected = await client.post(f"/admin/organizations/{org_id}/reject", headers=HTML,
                                 data=form(await csrf_token(client), note="法人番号と名称が一致しません"),
                                 follow_redirects=False)
    assert rejected.status_code == 303
    await sign_in(client, "owner@reject-ja.example.jp", lang="ja")
    page = await client.get(url, headers=HTML)
    assert "法人番号と名称が一致しません" in page.text and "未確認" in page.text


async def test_only_platform_admins_open_the_console(client) -> None:
    org_id, _ = await provider_console(client, "curious")
    assert (await client.get("/admin", headers=HTML)).status_code == 403
    assert (await client.get(f"/admin/organizations/{org_id}", headers=HTML)).status_code == 403
    assert 'href="/admin"' not in (await client.get("/wallet", headers=HTML)).text


def test_dynamic_verification_keys_exist_in_both_languages() -> None:
    catalog = messages()
    keys = [f"verification.{family}.{state}" for family in ("state", "means", "next") for state in VERIFICATION_STATES]
    keys += [f"verification.action.{a}" for a in (*TRANSITIONS, "domain_check")]
    keys += [f"admin.do.{a}" for a in ADMIN_ACTIONS] + ["admin.kind.provider", "admin.kind.employer",
                                                         "verification.method.token", "verification.method.did_web"]
    assert all(catalog.get(k, {}).get("ja") and catalog.get(k, {}).get("en") for k in keys), \
        [k for k in keys if k not in catalog]


async def test_an_anonymous_browser_opening_admin_is_offered_sign_in_like_other_signed_in_pages(client) -> None:
    for path in ("/admin", f"/admin/organizations/{uuid.uuid4()}", "/wallet"):
        response = await client.get(path, headers=HTML)
        assert response.status_code == 401 and "<html" in response.text, path
        assert f'href="/signin?next={path}"' in response.text, path
