"""Learner pages: wallet home (chart + table), credentials, import, downloads, QR, gap, settings, export,
account deletion."""

from __future__ import annotations

import json

import pytest

from tests.frontend.helpers import (
    HTML,
    assert_fragment,
    assert_full_page,
    csrf_token,
    form,
    held_ids,
    htmx,
    issue_badges,
    learner,
)

WALLET_PAGES = ["/wallet", "/wallet/credentials", "/wallet/profile", "/wallet/gap", "/wallet/records",
                "/wallet/share", "/wallet/settings", "/wallet/export", "/wallet/delete", "/wallet/credentials/import"]


@pytest.mark.parametrize("path", WALLET_PAGES)
async def test_wallet_pages_need_sign_in(client, path: str) -> None:
    response = await client.get(path, headers=HTML)
    assert response.status_code == 401
    assert "<html" in response.text and "/signin?next=" in response.text


@pytest.mark.parametrize("lang", ["ja", "en"])
async def test_every_wallet_page_renders_in_both_languages(client, db, settings, lang: str) -> None:
    await learner(client, f"pages-{lang}@example.jp", lang=lang)
    await issue_badges(db, settings, f"pages-{lang}@example.jp")
    for path in WALLET_PAGES:
        response = await client.get(path, headers=HTML)
        assert_full_page(response)
        assert f'<html lang="{lang}">' in response.text, path


async def test_home_shows_the_profile_chart_with_a_table_alternative(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    response = await client.get("/wallet", headers=HTML)
    assert_full_page(response)
    assert '<svg' in response.text and 'role="img"' in response.text and "<title" in response.text
    assert "Show as a table" in response.text and "Back-end APIs in Python" in response.text
    assert "2 verified" in response.text


async def test_credential_detail_checks_and_downloads(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp", formats=("ldp", "jwt"))
    ids = await held_ids(client)
    pages = [await client.get(f"/wallet/credentials/{i}", headers=HTML) for i in ids]
    assert all("This credential is valid" in p.text for p in pages)
    jwt_page = next(p for p in pages if "Download as VC-JWT" in p.text)
    held = ids[pages.index(jwt_page)]
    as_json = await client.get(f"/wallet/credentials/{held}/credential.json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    assert "OpenBadgeCredential" in json.loads(as_json.text)["type"]
    as_jwt = await client.get(f"/wallet/credentials/{held}/credential.jwt")
    assert as_jwt.status_code == 200 and as_jwt.text.count(".") == 2
    token = await csrf_token(client)
    again = await client.post(f"/wallet/credentials/{held}/verify", data=form(token),
                              headers=htmx("credential_checks"))
    assert_fragment(again)
    assert "Checked again just now." in again.text


async def test_qr_code_encodes_a_share_link_to_that_credential(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    held = (await held_ids(client))[0]
    response = await client.post(f"/wallet/credentials/{held}/qr", data=form(await csrf_token(client)),
                                 headers=htmx("credential_qr"))
    assert_fragment(response)
    assert "<svg" in response.text and "/s/" in response.text
    links = (await client.get("/api/v1/me/share-links")).json()
    assert len(links) == 1 and links[0]["credential_ids"] == [held]


async def test_import_by_paste_and_error_next_to_the_field(client, db, settings) -> None:
    issued = (await issue_badges(db, settings, "elsewhere@example.jp"))[0]
    await learner(client, lang="en")
    token = await csrf_token(client)
    bad = await client.post("/wallet/credentials/import", data=form(token, document="not a credential"),
                            files={"file": ("", b"")}, headers=htmx("import_form"))
    assert_fragment(bad)
    assert 'id="e-document"' in bad.text and "Could not import it" in bad.text
    good = await client.post("/wallet/credentials/import", data=form(token, document=json.dumps(issued.document)),
                             files={"file": ("", b"")}, follow_redirects=False)
    assert good.status_code == 303 and good.headers["location"].startswith("/wallet/credentials/")


async def test_gap_to_a_chosen_role(client) -> None:
    await learner(client, lang="en")
    token = await csrf_token(client)
    chosen = await client.post("/wallet/gap", data=form(token, role="se-backend"), follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/wallet/gap?role=se-backend"
    response = await client.get("/wallet/gap?role=se-backend", headers=HTML)
    assert "missing" in response.text and "Recommended learning path" in response.text
    fragment = await client.get("/wallet/gap?role=se-backend&page=2", headers=htmx("gap_rows"))
    assert_fragment(fragment)
    home = await client.get("/wallet", headers=HTML)
    assert "Back-end Engineer" in home.text


async def test_opt_in_to_employer_search(client) -> None:
    await learner(client, lang="en")
    token = await csrf_token(client)
    response = await client.post("/wallet/settings", headers=htmx("settings_form"),
                                 data=form(token, discoverable="on", employer_parts=["skills", "prefecture"],
                                           prefecture="JP-13"))
    assert_fragment(response)
    assert "Saved." in response.text
    stored = (await client.get("/api/v1/me/settings")).json()
    assert stored["discoverable"] is True and stored["prefecture"] == "JP-13"
    off = await client.post("/wallet/settings", data=form(token, employer_parts="skills"), headers=htmx("settings_form"))
    assert "Saved." in off.text and (await client.get("/api/v1/me/settings")).json()["discoverable"] is False


async def test_export_holds_account_wallet_and_skills(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    response = await client.get("/wallet/export.json")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["account"]["email"] == "hanako@example.jp" and len(data["wallet"]) == 1
    assert data["skills"]["format"].startswith("skillpass-skills-export")


async def test_account_deletion_needs_the_email_and_then_signs_out(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    token = await csrf_token(client)
    wrong = await client.post("/wallet/delete", data=form(token, confirm_email="other@example.jp"),
                              headers=htmx("delete_form"))
    assert_fragment(wrong)
    assert 'id="e-confirm_email"' in wrong.text
    done = await client.post("/wallet/delete", data=form(token, confirm_email="hanako@example.jp"),
                             follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/?deleted=1"
    assert (await client.get("/wallet", headers=HTML)).status_code == 401
    signin = await client.post("/api/v1/auth/signin", json={"email": "hanako@example.jp", "password": "x" * 12},
                               headers={"x-csrftoken": await csrf_token(client)})
    assert signin.status_code in (401, 400, 422)


async def test_credential_page_verifies_again_so_a_revocation_shows(client, db, settings) -> None:
    from credentials.issuance import IssuanceService

    await learner(client, lang="en")
    issued = (await issue_badges(db, settings, "hanako@example.jp"))[0]
    held = (await held_ids(client))[0]
    await IssuanceService(db, settings).change_state(issued.org_id, issued.id, "revoke", "test")
    await db.commit()
    response = await client.get(f"/wallet/credentials/{held}", headers=HTML)
    assert "could not be confirmed" in response.text and "The issuer has revoked it." in response.text
    assert "do not rely on it" not in response.text  # genuine, only revoked
    listed = await client.get("/wallet/credentials", headers=HTML)
    assert "not verified" in listed.text


async def test_sign_in_page_for_a_japanese_reader_is_all_japanese(client) -> None:
    client.cookies.set("lang", "ja")
    response = await client.get("/wallet/share", headers=HTML)
    assert response.status_code == 401
    assert "このページを見るにはログインしてください。" in response.text and "Sign in to continue" not in response.text
