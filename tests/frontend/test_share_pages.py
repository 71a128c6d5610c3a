"""Share links: create (credentials + profile parts + expiry), open signed out, access log, revoke."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.frontend.helpers import HTML, assert_fragment, assert_full_page, csrf_token, form, held_ids, htmx, issue_badges, learner


def link_of(html: str) -> str:
    return html.split('id="new-share-url" class="mono" readonly value="')[1].split('"')[0]


async def test_share_link_lifecycle(client, app, db, settings) -> None:
    await learner(client, lang="en")
    await issue_badges(db, settings, "hanako@example.jp")
    held = (await held_ids(client))[0]
    token = await csrf_token(client)
    created = await client.post("/wallet/share", headers=htmx("share_panel"),
                                data=form(token, label="For Sakura DX", credential_ids=held,
                                          parts=["skills", "categories", "display_name"], days="7"))
    assert_fragment(created)
    url = link_of(created.text)
    path = "/s/" + url.split("/s/")[1]

    async with AsyncTestClient(app=app) as anonymous:  # someone without an account opens it
        anonymous.cookies.set("lang", "ja")
        opened = await anonymous.get(path, headers=HTML)
        assert_full_page(opened)
        assert "有効な証明書です" in opened.text and "Hanako Yamada" in opened.text
        assert opened.headers["referrer-policy"] == "no-referrer"

    links = (await client.get("/api/v1/me/share-links")).json()
    detail = await client.get(f"/wallet/share/{links[0]['id']}", headers=HTML)
    assert "Access log (1 times)" in detail.text and "someone not signed in" in detail.text
    revoked = await client.post(f"/wallet/share/{links[0]['id']}/revoke", data=form(token), follow_redirects=False)
    assert revoked.status_code == 303

    async with AsyncTestClient(app=app) as anonymous:
        anonymous.cookies.set("lang", "en")
        gone = await anonymous.get(path, headers=HTML)
        assert gone.status_code == 404 and "This link does not work" in gone.text


async def test_a_link_must_share_something(client) -> None:
    await learner(client, lang="en")
    response = await client.post("/wallet/share", data=form(await csrf_token(client), days="30"),
                                 headers=htmx("share_panel"))
    assert_fragment(response)
    assert 'id="e-parts"' in response.text


async def test_unknown_link_is_a_plain_404_page(client) -> None:
    client.cookies.set("lang", "en")
    response = await client.get("/s/" + "x" * 43, headers=HTML)
    assert response.status_code == 404 and "<html" in response.text
