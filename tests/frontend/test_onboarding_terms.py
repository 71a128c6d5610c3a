"""Sign-up needs the terms of use and the privacy notice accepted, on the page and in the API alike; the
accepted version and time are stored on the person; both texts are public pages in ja and en."""

from __future__ import annotations

from sqlalchemy import select

from accounts.models import Person
from accounts.service import TERMS_VERSION
from tests.conftest import TEST_PASSWORD, csrf_headers

HTML = {"accept": "text/html"}


async def _person(db, email: str) -> Person | None:
    db.expire_all()
    return (await db.execute(select(Person).where(Person.email == email))).scalar_one_or_none()


async def test_api_sign_up_without_accepting_the_terms_is_refused_and_creates_nobody(client, db) -> None:
    body = {"email": "no-terms@example.jp", "password": TEST_PASSWORD, "display_name": "N", "lang": "en"}
    for refused in (body, {**body, "accept_terms": False}):
        response = await client.post("/api/v1/auth/signup", headers=await csrf_headers(client), json=refused)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "accept_terms" in response.text
    assert await _person(db, "no-terms@example.jp") is None

    accepted = await client.post("/api/v1/auth/signup", headers=await csrf_headers(client),
                                 json={**body, "accept_terms": True})
    assert accepted.status_code == 202, accepted.text
    person = await _person(db, "no-terms@example.jp")
    assert person.terms_version == TERMS_VERSION and person.terms_accepted_at is not None


async def test_sign_up_page_refuses_an_unticked_box_in_the_reader_s_language_then_stores_the_acceptance(
        client, db) -> None:
    client.cookies.set("lang", "ja")
    page = await client.get("/signup", headers=HTML)
    assert 'name="accept_terms"' in page.text and 'href="/terms"' in page.text and 'href="/privacy"' in page.text
    form = {"display_name": "花子", "email": "terms-page@example.jp", "password": TEST_PASSWORD, "lang": "ja",
            "_csrf_token": client.cookies.get("skillpass_csrf")}
    refused = await client.post("/signup", headers=HTML, data=form)
    assert refused.status_code == 422
    assert 'id="e-accept_terms"' in refused.text and "利用規約とプライバシーポリシーへの同意が必要です" in refused.text
    assert await _person(db, "terms-page@example.jp") is None

    done = await client.post("/signup", headers=HTML, data={**form, "accept_terms": "yes"})
    assert done.status_code == 200 and "terms-page@example.jp にメールを送りました" in done.text
    person = await _person(db, "terms-page@example.jp")
    assert person.terms_version == TERMS_VERSION and person.terms_accepted_at is not None


async def test_terms_and_privacy_pages_say_what_is_stored_and_how_to_leave_in_each_language(client) -> None:
    client.cookies.set("lang", "en")
    privacy_en = (await client.get("/privacy", headers=HTML)).text
    for said in ("What is stored", "Who sees what", "Consent", "How long it is kept", "Export and deletion",
                 "Contact", TERMS_VERSION):
        assert said in privacy_en, said
    assert "Delete my account" in (await client.get("/terms", headers=HTML)).text
    client.cookies.set("lang", "ja")
    privacy_ja = (await client.get("/privacy", headers=HTML)).text
    for said in ("保存する情報", "誰が何を見られるか", "同意", "保存期間", "書き出しと削除", "問い合わせ"):
        assert said in privacy_ja, said
    assert "What is stored" not in privacy_ja and "保存する情報" not in privacy_en
    assert "退会" in (await client.get("/terms", headers=HTML)).text
