"""The public verification page: paste, upload (JSON, JWT, baked PNG/SVG), our own links only."""

from __future__ import annotations

import json
import struct
import zlib

from litestar.testing import AsyncTestClient

from tests.frontend.helpers import HTML, assert_fragment, assert_full_page, csrf_token, form, htmx, issue_badges, learner


def baked_png(text: str, keyword: bytes = b"openbadgecredential") -> bytes:
    """A 1x1 PNG with ``text`` in an iTXt chunk (how Open Badges 3.0 bakes a credential)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00")
    itxt = keyword + b"\x00\x00\x00\x00\x00" + text.encode("utf-8")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"iTXt", itxt) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


async def test_verify_page_works_without_an_account(client) -> None:
    client.cookies.set("lang", "ja")
    response = await client.get("/verify", headers=HTML)
    assert_full_page(response)
    assert 'for="f-document"' in response.text and 'for="f-file"' in response.text and 'for="f-url"' in response.text


async def test_pasted_credential_is_checked_in_plain_words(client, db, settings) -> None:
    issued = (await issue_badges(db, settings, "someone@example.jp"))[0]
    token = await csrf_token(client)
    for lang, verdict, sentence in (("en", "This credential is valid", "It has not been revoked or suspended."),
                                    ("ja", "有効な証明書です", "失効・一時停止されていません。")):
        client.cookies.set("lang", lang)
        response = await client.post("/verify", files={"document": (None, json.dumps(issued.document))},
                                     data=form(token), headers=htmx("verify_panel"))
        assert_fragment(response)
        assert verdict in response.text and sentence in response.text


async def test_tampered_credential_fails_with_the_reason(client, db, settings) -> None:
    issued = (await issue_badges(db, settings, "someone@example.jp"))[0]
    document = dict(issued.document)
    document["credentialSubject"] = {**document["credentialSubject"], "name": "Somebody Else"}
    client.cookies.set("lang", "en")
    response = await client.post("/verify", data=form(await csrf_token(client), document=json.dumps(document)),
                                 files={"file": ("", b"")}, headers=htmx("verify_panel"))
    assert "could not be confirmed" in response.text
    assert "the content was changed" in response.text


async def test_jwt_upload_and_baked_png_are_read(client, db, settings) -> None:
    jwt_credential = (await issue_badges(db, settings, "someone@example.jp", formats=("jwt",)))[0]
    token = await csrf_token(client)
    client.cookies.set("lang", "en")
    as_file = await client.post("/verify", data=form(token), files={"file": ("badge.jwt", jwt_credential.jwt.encode())},
                                headers=htmx("verify_panel"))
    assert "This credential is valid" in as_file.text
    png = baked_png(jwt_credential.jwt)
    as_png = await client.post("/verify", data=form(token), files={"file": ("badge.png", png, "image/png")},
                               headers=htmx("verify_panel"))
    assert "This credential is valid" in as_png.text and "Back-end APIs in Python" in as_png.text


async def test_image_without_a_credential_is_explained_next_to_the_field(client) -> None:
    client.cookies.set("lang", "en")
    response = await client.post("/verify", data=form(await csrf_token(client)),
                                 files={"file": ("plain.png", baked_png("x", keyword=b"Comment"), "image/png")},
                                 headers=htmx("verify_panel"))
    assert_fragment(response)
    assert 'id="e-file"' in response.text and "no credential baked into it" in response.text


async def test_empty_form_shows_the_error_next_to_the_field(client) -> None:
    client.cookies.set("lang", "ja")
    response = await client.post("/verify", data=form(await csrf_token(client)), files={"file": ("", b"")},
                                 headers=HTML)
    assert response.status_code == 422  # as POST /api/v1/verify answers bad input
    assert 'id="e-document"' in response.text and "<html" in response.text


async def test_only_our_own_share_links_are_opened(client) -> None:
    client.cookies.set("lang", "en")
    response = await client.get("/verify?url=https://evil.example/credential.json", headers=HTML)
    assert_full_page(response)
    assert 'id="e-url"' in response.text and "Only this site" in response.text
    assert "could not be confirmed" not in response.text and "is valid" not in response.text


async def test_share_link_url_is_verified_in_process(client, app, db, settings) -> None:
    await learner(client, "link@example.jp")
    await issue_badges(db, settings, "link@example.jp")
    held = (await client.get("/api/v1/me/credentials")).json()[0]["id"]
    token = await csrf_token(client)
    created = await client.post("/wallet/share", data=form(token, credential_ids=held, days="7"),
                                headers=htmx("share_panel"))
    url = created.text.split('id="new-share-url" class="mono" readonly value="')[1].split('"')[0]
    async with AsyncTestClient(app=app) as anonymous:
        anonymous.cookies.set("lang", "en")
        response = await anonymous.get("/verify", params={"url": url}, headers=HTML)
        assert "This credential is valid" in response.text
