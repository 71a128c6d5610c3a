"""Baked OB 3.0 badges: baking into PNG (iTXt ``openbadgecredential``) and SVG (``openbadges:credential``),
reading both back, and the round trip through the learner's download and another wallet's import."""

from __future__ import annotations

import io
import json
import struct
import zlib
from xml.etree import ElementTree

import pytest
from PIL import Image

from credentials.baked import (OB2_KEYWORD, OB3_KEYWORD, OB3_NAMESPACE, PNG_SIGNATURE, BakedError, bake_png,
                               bake_svg, baked_kind, credential_text, png_text_chunks)
from tests.credentials.test_badge_images import png_bytes
from tests.credentials.test_baked import chunk
from tests.frontend.helpers import HTML, csrf_token, held_ids, issue_badges, learner

JWS = "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl"


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    out, pos = [], len(PNG_SIGNATURE)
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        assert struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])[0] == zlib.crc32(kind + body)
        out.append((kind, body))
        pos += 12 + length
    return out


def test_bake_png_adds_one_uncompressed_itxt_chunk_before_iend_and_replaces_old_badges() -> None:
    text = json.dumps({"type": ["VerifiableCredential"], "name": "データ基礎"}, ensure_ascii=False)
    once = bake_png(png_bytes(), "old")
    twice = bake_png(once, text)
    kinds = chunks(twice)
    assert kinds[-1][0] == b"IEND" and kinds[-2][0] == b"iTXt"
    assert kinds[-2][1] == OB3_KEYWORD + b"\x00\x00\x00\x00" + text.encode("utf-8")
    assert [k for k, body in kinds if body.startswith(OB3_KEYWORD)] == [b"iTXt"]
    assert credential_text(twice) == text and baked_kind(twice) == "ob3"
    assert Image.open(io.BytesIO(twice)).size == (128, 128)  # still a valid picture
    ob2 = bake_png(png_bytes(), "x")[:-12]  # an OB 2.0 chunk in front of IEND is dropped too
    ob2 += chunk(b"tEXt", OB2_KEYWORD + b"x") + chunk(b"IEND", b"")
    assert list(png_text_chunks(bake_png(ob2, JWS), (OB2_KEYWORD, OB3_KEYWORD))) == [(OB3_KEYWORD, JWS)]


def test_bake_svg_puts_json_in_cdata_and_a_jws_in_the_verify_attribute() -> None:
    svg = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="1" height="1"/></svg>'
    document = json.dumps({"name": "a ]]> b & <c>", "type": ["VerifiableCredential"]})
    baked = bake_svg(svg, document)
    root = ElementTree.fromstring(baked)
    element = root[0]
    assert element.tag == f"{{{OB3_NAMESPACE}}}credential"  # right after the opening tag
    assert b"<![CDATA[" in baked and json.loads(credential_text(baked)) == json.loads(document)
    jws = bake_svg(svg, JWS)
    assert ElementTree.fromstring(jws)[0].get("verify") == JWS and credential_text(jws) == JWS
    assert credential_text(bake_svg(b'<svg xmlns="http://www.w3.org/2000/svg"/>', JWS)) == JWS
    with pytest.raises(BakedError, match="already carries"):
        bake_svg(baked, JWS)
    with pytest.raises(BakedError, match="not a PNG"):
        bake_png(b"GIF89a", JWS)


async def _baked_download(client, held_id: str, kind: str):
    response = await client.get(f"/wallet/credentials/{held_id}/badge.{kind}")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("image/png" if kind == "png" else "image/svg+xml")
    assert f'badge-{held_id}.{kind}' in response.headers["content-disposition"]
    return response.content


async def _import(client, data: bytes, name: str, media_type: str):
    return await client.post("/wallet/credentials/import", headers=HTML, follow_redirects=False,
                             data={"_csrf_token": await csrf_token(client)}, files={"file": (name, data, media_type)})


@pytest.mark.parametrize(("fmt", "kind"), [("ldp", "png"), ("ldp", "svg"), ("jwt", "png"), ("jwt", "svg")])
async def test_baked_download_round_trips_into_the_same_wallet_and_not_into_another(client, db, settings,
                                                                                   fmt: str, kind: str) -> None:
    await learner(client, "hanako@example.jp")
    await issue_badges(db, settings, "hanako@example.jp", (fmt,))
    [held_id] = await held_ids(client)
    detail = (await client.get(f"/api/v1/me/credentials/{held_id}")).json()
    baked = await _baked_download(client, held_id, kind)
    text = credential_text(baked, f"image/{kind}")
    if fmt == "jwt":
        assert text == detail["jwt"]
    else:
        assert json.loads(text) == detail["document"]

    again = await _import(client, baked, f"badge.{kind}", "image/png" if kind == "png" else "image/svg+xml")
    assert again.status_code == 303 and again.headers["location"] == f"/wallet/credentials/{held_id}"
    assert await held_ids(client) == [held_id]  # recognised as the same credential, not a second copy
    assert (await client.get("/api/v1/me/profile")).json()["items"] != []  # it counts for Hanako

    client.cookies.clear()
    await learner(client, "taro@example.jp")
    other = await _import(client, baked, f"badge.{kind}", "image/png" if kind == "png" else "image/svg+xml")
    assert other.status_code == 303
    [taro_held] = await held_ids(client)
    kept = (await client.get(f"/api/v1/me/credentials/{taro_held}")).json()
    assert kept["verified"] is True and kept["subject"] == "other"  # genuine, but not Taro's: it counts for nobody here
    assert (await client.get("/api/v1/me/profile")).json()["items"] == []
    refused = await client.post(f"/wallet/credentials/{taro_held}/public", headers=HTML,
                                data={"_csrf_token": await csrf_token(client), "public": "on"})
    assert refused.status_code == 422 and "names someone else; it cannot be shown as yours" in refused.text  # no public page of Hanako's badge


async def test_tampered_baked_badges_do_not_verify_and_broken_files_are_refused(client, db, settings) -> None:
    await learner(client, "hanako@example.jp")
    await issue_badges(db, settings, "hanako@example.jp", ("ldp",))
    [held_id] = await held_ids(client)
    baked = await _baked_download(client, held_id, "png")
    document = json.loads(credential_text(baked))
    document["credentialSubject"]["achievement"]["name"] = "Senior Cloud Architect"
    tampered = bake_png(baked, json.dumps(document))
    client.cookies.clear()
    await learner(client, "taro@example.jp")
    response = await _import(client, tampered, "badge.png", "image/png")
    [taro_held] = await held_ids(client)
    kept = (await client.get(f"/api/v1/me/credentials/{taro_held}")).json()
    assert response.status_code == 303 and kept["verified"] is False
    assert any(c["check"] == "proof" and not c["ok"] for c in kept["verification"]["checks"])

    truncated = baked[:len(baked) // 2]
    refused = await _import(client, truncated, "badge.png", "image/png")
    assert refused.status_code == 422 and 'id="e-file"' in refused.text
    assert await held_ids(client) == [taro_held]


async def test_only_the_holder_downloads_a_baked_badge(client, db, settings) -> None:
    await learner(client, "hanako@example.jp")
    await issue_badges(db, settings, "hanako@example.jp", ("ldp",))
    [held_id] = await held_ids(client)
    client.cookies.clear()
    await learner(client, "taro@example.jp")
    assert (await client.get(f"/wallet/credentials/{held_id}/badge.png")).status_code == 404
    client.cookies.clear()
    assert (await client.get(f"/wallet/credentials/{held_id}/badge.svg", headers=HTML,
                             follow_redirects=False)).status_code in (302, 303, 401)
