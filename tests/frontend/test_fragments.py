"""Every htmx endpoint answers with its fragment when htmx targets that block, and with the full page
for a plain visit (or an htmx request aimed at another element: boosted links, history restores)."""

from __future__ import annotations

from tests.frontend.helpers import (
    HTML,
    PROVIDER_SLUG,
    assert_fragment,
    assert_full_page,
    csrf_token,
    form,
    held_ids,
    htmx,
    issue_badges,
    learner,
)

PUBLIC = [
    ("/dss/search?q=data", "dss_results"),
    ("/dss/skills?category=v2-cat-data", "skill_list"),
    ("/dss/skills/v2-backend", "skill_roles"),
    ("/dss/roles/se-backend?page=2", "role_requirements"),
    ("/dss/matrix?category=v2-cat-technology", "matrix"),
    (f"/issuers/{PROVIDER_SLUG}", "achievement_list"),
    ("/trends", "trend_results"),
]
LEARNER = [
    ("/wallet/profile", "profile_items"),
    ("/wallet/gap?role=ds-data-engineer", "gap_rows"),
    ("/wallet/credentials", "credential_list"),
    ("/wallet/credentials/{held}", "credential_checks"),
    ("/wallet/records", "record_list"),
    ("/wallet/share", "share_list"),
    ("/wallet/share/{link}", "access_log"),
]


async def _check(client, url: str, target: str) -> None:
    assert_full_page(await client.get(url, headers=HTML))
    assert_fragment(await client.get(url, headers=htmx(target)))
    assert_full_page(await client.get(url, headers=htmx("main")))
    assert_full_page(await client.get(url, headers={"hx-request": "true", "hx-history-restore-request": "true", **HTML}))


async def test_get_endpoints_answer_in_both_shapes(client, db, settings) -> None:
    await learner(client, lang="ja")
    await issue_badges(db, settings, "hanako@example.jp")
    held = (await held_ids(client))[0]
    token = await csrf_token(client)
    await client.post("/wallet/share", data=form(token, credential_ids=held, days="1"))
    link = (await client.get("/api/v1/me/share-links")).json()[0]["id"]
    for url, target in PUBLIC + LEARNER:
        await _check(client, url.format(held=held, link=link), target)


async def test_post_endpoints_answer_in_both_shapes(client, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    held = (await held_ids(client))[0]
    token = await csrf_token(client)
    posts = [
        (f"/wallet/credentials/{held}/verify", "credential_checks", {}),
        (f"/wallet/credentials/{held}/qr", "credential_qr", {}),
        ("/wallet/settings", "settings_form", {"employer_parts": "skills"}),
        ("/wallet/share", "share_panel", {"parts": "skills", "days": "7"}),
        ("/wallet/delete", "delete_form", {"confirm_email": "wrong@example.jp"}),
    ]
    for url, target, fields in posts:
        assert_fragment(await client.post(url, data=form(token, **fields), headers=htmx(target)))
        plain = await client.post(url, data=form(token, **fields), headers=HTML)
        assert "<html" in plain.text, url
    multipart = [("/verify", "verify_panel"), ("/wallet/credentials/import", "import_form"),
                 ("/wallet/records", "records_panel")]
    for url, target in multipart:
        fragment = await client.post(url, data=form(token, document="{}"), files={"file": ("", b"")},
                                     headers=htmx(target))
        assert_fragment(fragment)
        plain = await client.post(url, data=form(token, document="{}"), files={"file": ("", b"")}, headers=HTML)
        assert "<html" in plain.text, url


async def test_responses_vary_on_the_htmx_headers(client) -> None:
    response = await client.get("/dss/search?q=ai", headers=HTML)
    assert "HX-Target" in response.headers["vary"]
