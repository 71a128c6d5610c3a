"""After a badge import the wallet shows what changed in the profile, as after the other imports: a
credential on its own page, an Open Badges 2.0 image on the profile; once, and only there."""

from __future__ import annotations

import json

from tests.frontend.helpers import HTML, csrf_token, form, held_ids, issue_badges, learner
from tests.skills.factories import as_text, assertion, badge_class, baked_png

SECURITY = [{"targetName": "Security", "targetCode": "v2-security-operations"}]


async def _import(client, **fields):
    token = await csrf_token(client)
    files = fields.pop("files", {"file": ("", b"")})
    return await client.post("/wallet/credentials/import", data=form(token, **fields), files=files,
                             headers=HTML, follow_redirects=False)


async def test_a_credential_import_says_what_changed_on_its_page_once(client, db, settings) -> None:
    await learner(client, "hanako@example.jp", lang="en")
    issued = (await issue_badges(db, settings, "hanako@example.jp"))[0]
    [held_id] = await held_ids(client)
    removed = await client.post(f"/wallet/credentials/{held_id}/delete", data=form(await csrf_token(client)),
                                headers=HTML, follow_redirects=False)
    assert removed.status_code == 303 and await held_ids(client) == []

    imported = await _import(client, document=json.dumps(issued.document))
    assert imported.status_code == 303
    detail = await client.get(imported.headers["location"], headers=HTML)
    assert "What changed in your profile" in detail.text
    # the badge's two aligned skills come back into the profile, verified
    assert "New skill" in detail.text and 'href="/dss/skills/v2-backend"' in detail.text
    assert 'href="/dss/skills/v2-web-app-basics"' in detail.text
    reloaded = await client.get(imported.headers["location"], headers=HTML)
    assert "What changed in your profile" not in reloaded.text
    assert "What changed in your profile" not in (await client.get("/wallet/profile", headers=HTML)).text

    client.cookies.set("lang", "ja")
    again = await _import(client, document=json.dumps(issued.document))  # the same credential again
    assert again.headers["location"] == imported.headers["location"]
    same = await client.get(again.headers["location"], headers=HTML)
    assert "プロフィールの変化" in same.text and "今回の取り込みでプロフィールは変わりませんでした。" in same.text


async def test_an_open_badges_2_image_says_what_changed_on_the_profile(client) -> None:
    email = "ob2@example.jp"
    await learner(client, email, lang="ja")
    klass = badge_class("Cloud Security", alignment=SECURITY)
    png = baked_png(as_text(assertion(email, klass)))
    imported = await _import(client, files={"file": ("badge.png", png, "image/png")})
    assert imported.status_code == 303 and imported.headers["location"].startswith("/wallet/profile")
    profile = await client.get(imported.headers["location"], headers=HTML)
    changes = profile.text.split('id="changes-heading"', 1)[1].split("</section>", 1)[0]
    assert "新しいスキル" in changes and 'href="/dss/skills/v2-security-operations"' in changes
    assert 'id="changes-heading"' not in (await client.get("/wallet/profile", headers=HTML)).text


async def test_a_profile_filter_fragment_does_not_use_up_the_changes(client) -> None:
    email = "filter@example.jp"
    await learner(client, email, lang="en")
    klass = badge_class("Cloud Security", alignment=SECURITY)
    imported = await _import(client, files={"file": ("badge.png", baked_png(as_text(assertion(email, klass))),
                                                     "image/png")})
    fragment = await client.get("/wallet/profile?status=evidenced",
                                headers={"hx-request": "true", "hx-target": "profile_items", **HTML})
    assert fragment.status_code == 200 and "What changed" not in fragment.text
    full = await client.get(imported.headers["location"], headers=HTML)
    assert "What changed in your profile" in full.text
