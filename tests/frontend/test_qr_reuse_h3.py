"""A credential's QR code reuses a live share link of that credential alone (its token is kept sealed,
never in the clear) and says so; otherwise it says it makes a new link. Revoked, nearly ended, differently
shaped and older (hash-only) links are not reused."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from core.db import utcnow
from skills import sharing
from skills.export import export_all
from skills.models import ShareLink
from tests.frontend.helpers import HTML, csrf_token, form, held_ids, htmx, issue_badges, learner


async def _qr(client, held: str) -> tuple[str, str]:
    response = await client.post(f"/wallet/credentials/{held}/qr", data=form(await csrf_token(client)),
                                 headers=htmx("credential_qr"))
    assert response.status_code == 200, response.text[:300]
    url = re.search(r'id="qr-url" class="mono" readonly value="([^"]+)"', response.text).group(1)
    return url, response.text


async def _links(db) -> list[ShareLink]:
    db.expire_all()
    return list((await db.execute(select(ShareLink).order_by(ShareLink.created_at))).scalars())


async def _setup(client, db, settings, lang: str = "en") -> str:
    await learner(client, lang=lang)
    await issue_badges(db, settings, "hanako@example.jp")
    return (await held_ids(client))[0]


async def test_the_second_qr_code_shows_the_same_link_and_says_so(client, db, settings) -> None:
    held = await _setup(client, db, settings)
    detail = await client.get(f"/wallet/credentials/{held}", headers=HTML)
    assert "Make a link and its QR code" in detail.text and "Makes a new link" in detail.text
    url, first = await _qr(client, held)
    assert "A new share link was made" in first
    [link] = await _links(db)
    token = url.rsplit("/s/", 1)[1]
    assert link.token_sealed and token.encode() not in link.token_sealed  # sealed, not in the clear

    detail = await client.get(f"/wallet/credentials/{held}", headers=HTML)
    assert "Show the existing link&#39;s QR code" in detail.text  # the button says it reuses (autoescaped ')
    assert "already exists" in detail.text
    again_url, again = await _qr(client, held)
    assert again_url == url and "no new link was made" in again
    assert len(await _links(db)) == 1
    shared = await client.get(f"/api/v1/shared/{token}")
    assert shared.status_code == 200 and [c["id"] for c in shared.json()["credentials"]] == [held]


async def test_japanese_wording(client, db, settings) -> None:
    held = await _setup(client, db, settings, lang="ja")
    assert "QR コードとリンクを作る" in (await client.get(f"/wallet/credentials/{held}", headers=HTML)).text
    _, first = await _qr(client, held)
    assert "新しい共有リンクを作りました" in first
    assert "既存のリンクの QR コードを表示" in (await client.get(f"/wallet/credentials/{held}", headers=HTML)).text
    _, again = await _qr(client, held)
    assert "新しいリンクは作っていません" in again


async def test_a_revoked_or_nearly_ended_link_is_not_reused(client, db, settings) -> None:
    held = await _setup(client, db, settings)
    url, _ = await _qr(client, held)
    [link] = await _links(db)
    revoked = await client.post(f"/wallet/share/{link.id}/revoke", data=form(await csrf_token(client)),
                                headers=HTML, follow_redirects=False)
    assert revoked.status_code == 303
    second, text = await _qr(client, held)
    assert second != url and "A new share link was made" in text

    await db.execute(update(ShareLink).where(ShareLink.revoked_at.is_(None))
                     .values(expires_at=utcnow() + timedelta(hours=20)))
    await db.commit()
    third, text = await _qr(client, held)
    assert third not in (url, second) and "A new share link was made" in text
    assert len(await _links(db)) == 3


async def test_only_a_link_of_that_credential_alone_is_reused(client, db, settings) -> None:
    held = await _setup(client, db, settings)
    token = await csrf_token(client)
    with_parts = await client.post("/wallet/share", data=form(token, label="with my skills", parts="skills",
                                                              credential_ids=held, days="30"), headers=HTML)
    assert with_parts.status_code == 200
    _, text = await _qr(client, held)
    assert "A new share link was made" in text  # a link that shares the profile too is not the same thing
    alone = await client.post("/wallet/share", data=form(token, label="just the badge", credential_ids=held,
                                                         days="90"), headers=HTML)
    made = re.search(r'id="new-share-url"[^>]*value="([^"]+)"', alone.text).group(1)
    url, text = await _qr(client, held)
    assert url == made and "no new link was made" in text  # the newest live link of that credential alone


async def test_a_link_kept_only_as_a_hash_is_not_reused(client, db, settings) -> None:
    held = await _setup(client, db, settings)
    url, _ = await _qr(client, held)
    await db.execute(update(ShareLink).values(token_sealed=None))  # as links made before the migration
    await db.commit()
    second, text = await _qr(client, held)
    assert second != url and "A new share link was made" in text


async def test_a_sealed_token_opens_only_on_its_own_row_and_with_its_master_key(client, db, settings) -> None:
    held = await _setup(client, db, settings)
    await _qr(client, held)
    [link] = await _links(db)
    token = sharing.open_token(settings.master_key, link)
    assert token and sharing.token_hash(token) == link.token_hash
    assert sharing.open_token(settings.master_key + "-other", link) is None
    moved = ShareLink(id=uuid.uuid4(), person_id=link.person_id, token_hash=link.token_hash,
                      token_sealed=link.token_sealed, expires_at=link.expires_at)
    assert sharing.open_token(settings.master_key, moved) is None
    exported = await export_all(db, link.person_id)
    [row] = exported[ShareLink.__tablename__]
    assert "token_sealed" not in row and "token_hash" not in row
