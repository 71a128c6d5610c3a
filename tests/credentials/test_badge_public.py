"""Public badge pages: off by default, turned on per held credential (name optional), Open Graph tags,
the LinkedIn add-to-profile link, the verification verdict checked live, and 404 once turned off."""

from __future__ import annotations

import io
import uuid
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from PIL import Image
from sqlalchemy import select

from credentials.models import IssuedCredential, PublicBadge
from credentials.issuance import IssuanceService
from credentials.revocation import change_state
from tests.conftest import TEST_PASSWORD
from tests.frontend.helpers import ACHIEVEMENT, HTML, csrf_token, held_ids, issue_badges, learner


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)"', html)
    assert found, f"no {name}"
    return unescape(found.group(1))


async def switch(client, held_id: str, **fields: str):
    return await client.post(f"/wallet/credentials/{held_id}/public", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client), **fields})


async def public_url(client, db, held_id: str) -> str:
    token = (await db.execute(select(PublicBadge.token).where(PublicBadge.held_id == uuid.UUID(held_id)))).scalar_one()
    return f"/b/{token}"


async def test_a_badge_is_private_until_made_public_and_gone_once_turned_off(client, db, settings) -> None:
    await learner(client, "hanako@example.jp", lang="en")
    await issue_badges(db, settings, "hanako@example.jp", ("ldp",))
    [held_id] = await held_ids(client)
    page = await client.get(f"/wallet/credentials/{held_id}/badge", headers=HTML)
    assert page.status_code == 200 and "Not public." in page.text
    assert (await db.execute(select(PublicBadge))).first() is None

    assert (await switch(client, held_id, public="on")).status_code == 303
    db.expire_all()
    path = await public_url(client, db, held_id)
    assert f"{settings.base_url.rstrip('/')}{path}" in (await client.get(f"/wallet/credentials/{held_id}/badge",
                                                                          headers=HTML)).text
    client.cookies.clear()
    shown = await client.get(path, headers=HTML)
    assert shown.status_code == 200, shown.text[:300]
    html = shown.text
    assert meta(html, "og:title") == ACHIEVEMENT["name_en"]
    assert meta(html, "og:url") == f"{settings.base_url.rstrip('/')}{path}"
    assert meta(html, "og:image") == f"{settings.base_url.rstrip('/')}{path}/image.png"
    assert "Test Academy" in meta(html, "og:description")
    # only what the learner chose: no name, no email address
    assert "Hanako" not in html and "hanako@example.jp" not in html
    assert 'data-standing="valid"' in html  # verified now, issuer trusted
    image = await client.get(f"{path}/image.png")
    assert image.headers["content-type"] == "image/png" and Image.open(io.BytesIO(image.content)).format == "PNG"

    link = unescape(re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html).group(1))
    query = parse_qs(urlsplit(link).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"] and query["name"] == [ACHIEVEMENT["name_en"]]
    assert query["organizationName"] == ["Test Academy"] and query["certUrl"] == [meta(html, "og:url")]
    assert query["certId"][0].startswith("urn:uuid:") or query["certId"][0].startswith("http")
    assert query["issueYear"][0].isdigit() and 1 <= int(query["issueMonth"][0]) <= 12

    await client.post("/api/v1/auth/signin", headers={"x-csrftoken": await csrf_token(client)},
                      json={"email": "hanako@example.jp", "password": TEST_PASSWORD})
    assert (await switch(client, held_id, public="on", show_name="on")).status_code == 303
    assert "Hanako Yamada" in (await client.get(path, headers=HTML)).text
    assert (await switch(client, held_id)).status_code == 303
    assert (await client.get(path, headers=HTML)).status_code == 404
    assert (await client.get(f"{path}/image.png")).status_code == 404


async def test_the_public_page_shows_a_revocation_at_once_and_in_japanese(client, db, settings) -> None:
    await learner(client, "hanako@example.jp", lang="ja")
    [issued] = await issue_badges(db, settings, "hanako@example.jp", ("ldp",))
    [held_id] = await held_ids(client)
    await switch(client, held_id, public="on")
    path = await public_url(client, db, held_id)
    client.cookies.clear()
    client.cookies.set("lang", "ja")
    before = (await client.get(path, headers=HTML)).text
    assert 'lang="ja"' in before and "LinkedIn のプロフィールに追加" in before and "検証結果" in before
    assert ACHIEVEMENT["name_en"] in before  # the credential was issued in English; the page around it is Japanese
    credential = await db.get(IssuedCredential, issued.id)
    await change_state(IssuanceService(db, settings), credential.org_id, credential.id, "revoke", "テストのため")
    await db.commit()
    after = (await client.get(path, headers=HTML)).text
    assert 'data-standing="invalid"' in after and 'data-standing="valid"' in before


async def test_only_the_holder_switches_a_public_page(client, db, settings) -> None:
    await learner(client, "hanako@example.jp")
    await issue_badges(db, settings, "hanako@example.jp", ("ldp",))
    [held_id] = await held_ids(client)
    client.cookies.clear()
    await learner(client, "taro@example.jp")
    assert (await switch(client, held_id, public="on")).status_code == 404
    assert (await db.execute(select(PublicBadge))).first() is None
    assert (await client.get("/b/not-a-token", headers=HTML)).status_code == 404


async def test_removing_the_credential_or_the_account_takes_the_page_down(client, db, settings) -> None:
    await learner(client, "hanako@example.jp")
    await issue_badges(db, settings, "hanako@example.jp", ("ldp", "jwt"))
    first, second = await held_ids(client)
    for held_id in (first, second):
        assert (await switch(client, held_id, public="on")).status_code == 303
    first_path, second_path = await public_url(client, db, first), await public_url(client, db, second)
    removed = await client.post(f"/wallet/credentials/{first}/delete", headers=HTML, follow_redirects=False,
                                data={"_csrf_token": await csrf_token(client), "confirm": "on"})
    assert removed.status_code == 303
    assert (await client.get(first_path, headers=HTML)).status_code == 404
    assert (await client.get(second_path, headers=HTML)).status_code == 200
    deleted = await client.post("/wallet/delete", headers=HTML, follow_redirects=False,
                                data={"_csrf_token": await csrf_token(client), "confirm_email": "hanako@example.jp"})
    assert deleted.status_code == 303
    assert (await client.get(second_path, headers=HTML)).status_code == 404
    db.expire_all()
    assert (await db.execute(select(PublicBadge))).first() is None
