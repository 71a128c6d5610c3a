"""Achievement images: generated badge art (deterministic, long Japanese names fit, accessible), the
upload checks (PNG re-encoded, SVG rebuilt from an allow-list), the stable image URL and its use as the
Achievement image of newly issued credentials."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pytest
from PIL import Image

from core.errors import InvalidInput
from credentials.badge_art import BadgeText, badge_svg, fit_lines, text_width, wrap
from credentials.badge_images import MAX_BYTES, check_upload, clean_svg, png_art
from credentials.baked import OB3_KEYWORD, PNG_SIGNATURE, bake_png, png_text_chunks
from tests.credentials.conftest import ACHIEVEMENT, api_headers, issue, new_achievement, new_provider
from tests.frontend.helpers import HTML, csrf_token

SVG = "{http://www.w3.org/2000/svg}"
LONG_JA = "クラウドネイティブなデータ基盤の設計・構築・運用と、生成AIを活用した業務改革の実践（上級）" * 2


def png_bytes(size: int = 128, color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), color).save(out, format="PNG")
    return out.getvalue()


def test_badge_art_is_deterministic_accessible_and_escapes_text() -> None:
    text = BadgeText("データ<基礎>&応用", "Data <Basics> & More", "b", "2", "データ整備・活用", "Data Preparation")
    svg = badge_svg(text)
    assert svg == badge_svg(text)
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "badge-title badge-desc"
    assert root.find(f"{SVG}title").text == "データ<基礎>&応用 / Data <Basics> & More"
    assert "レベル B (Level B)" in root.find(f"{SVG}desc").text
    shown = [t.text for t in root.iter(f"{SVG}text")]
    assert "Lv. B" in shown and "データ整備・活用" in shown
    assert not any(el.tag.endswith(("script", "image", "foreignObject")) for el in root.iter())
    assert "#116329" in svg  # the palette of DSS category 2
    other = badge_svg(BadgeText("データ<基礎>&応用", "Data <Basics> & More", "b", "4", "セキュリティ", "Security"))
    assert "#a4262c" in other and "#116329" not in other


def test_a_long_japanese_name_is_wrapped_shrunk_and_cut_to_fit() -> None:
    size, lines = fit_lines(LONG_JA, width=250, sizes=(34, 30, 26, 22, 19), max_lines=3)
    assert size == 19 and len(lines) == 3 and lines[-1].endswith("…")
    assert all(text_width(line) * size <= 250 for line in lines)
    root = ElementTree.fromstring(badge_svg(BadgeText(LONG_JA, "Cloud-native data platforms", "a", "1")))
    ja = [t for t in root.iter(f"{SVG}text") if t.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"]
    assert len(ja) == 3 and ja[0].get("font-size") == "19"
    # a short name stays on one line at the largest size
    assert fit_lines("AI 基礎", width=250, sizes=(34, 30), max_lines=3) == (34, ["AI 基礎"])


def test_wrapping_keeps_closing_punctuation_off_the_line_start_and_latin_words_whole() -> None:
    lines = wrap("データ分析の基礎、応用と実践", 6)
    assert all(not line.startswith(("、", "。")) for line in lines)
    assert "".join(lines) == "データ分析の基礎、応用と実践"
    assert wrap("Data Engineering Foundations", 12) == ["Data Engineering", "Foundations"]


def test_png_art_is_a_png_of_the_badge() -> None:
    data = png_art(BadgeText(LONG_JA, "Cloud", "a", "1"))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (400, 400)
    assert image.getpixel((200, 30))[:3] == (0x0B, 0x5C, 0xAD)  # the category 1 disc


def test_uploaded_png_is_re_encoded_without_text_chunks() -> None:
    baked = bake_png(png_bytes(), '{"secret": "credential"}')
    picture = check_upload(baked, "image/png")
    assert picture.media_type == "image/png" and picture.data.startswith(PNG_SIGNATURE)
    assert list(png_text_chunks(picture.data, (OB3_KEYWORD,))) == []
    assert Image.open(io.BytesIO(picture.data)).getpixel((5, 5))[:3] == (255, 0, 0)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Choose a PNG or SVG"),
    (b"GIF89a....", "Only PNG and SVG"),
    (png_bytes(16), "64 to 2048 pixels"),
    (png_bytes()[:60], "cannot be read"),
    (PNG_SIGNATURE + b"\0" * MAX_BYTES, "larger than 256 KB"),
    (b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "DTDs and entities"),
    (b'<html><svg xmlns="http://www.w3.org/2000/svg"/></html>', "not an SVG"),
])
def test_bad_uploads_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as error:
        check_upload(data, "image/svg+xml" if b"svg" in data else "")
    assert error.value.field == "image"


def test_svg_upload_keeps_only_the_allow_list() -> None:
    evil = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            'viewBox="0 0 10 10" onload="alert(1)"><script>alert(1)</script>'
            '<foreignObject><p>x</p></foreignObject><image href="https://evil.example/x.png"/>'
            '<a href="https://evil.example/"><rect width="1" height="1"/></a>'
            '<use xlink:href="https://evil.example/a.svg#x"/><use xlink:href="#ok"/>'
            '<rect id="ok" fill="url(#g)" stroke="url(https://evil.example/)" style="fill:red" width="5" height="5"/>'
            '<text xml:lang="ja" onclick="x()">日本語</text></svg>').encode("utf-8")
    cleaned = clean_svg(evil).decode("utf-8")
    root = ElementTree.fromstring(cleaned)
    tags = [el.tag.removeprefix(SVG) for el in root.iter()]
    assert tags == ["svg", "use", "use", "rect", "text"]
    assert "evil" not in cleaned and "alert" not in cleaned and "onclick" not in cleaned and "style" not in cleaned
    uses = [el for el in root.iter(f"{SVG}use")]
    assert [u.get("href") for u in uses] == [None, "#ok"]
    rect = root.find(f"{SVG}rect")
    assert rect.get("fill") == "url(#g)" and rect.get("stroke") is None
    assert root.find(f"{SVG}text").text == "日本語"


async def test_achievement_image_url_serves_art_then_the_upload_and_issued_credentials_point_at_it(client,
                                                                                                   settings) -> None:
    provider = await new_provider(client, "img-academy")
    achievement = await new_achievement(client, provider, image=None)
    art = await client.get(f"/achievements/{achievement['id']}/image")
    assert art.status_code == 200 and art.headers["content-type"].startswith("image/svg+xml")
    assert "sandbox" in art.headers["content-security-policy"]
    assert ACHIEVEMENT["name_ja"] in art.text and "Lv. B" in art.text

    issued = (await issue(client, provider, achievement["id"])).json()
    image = issued["credential"]["credentialSubject"]["achievement"]["image"]
    assert image == {"id": f"{settings.base_url.rstrip('/')}/achievements/{achievement['id']}/image", "type": "Image"}
    verified = await client.post("/api/v1/verify", headers=await api_headers(client, provider),
                                 json={"credential": issued["credential"]})
    assert verified.json()["verified"] is True

    page_path = f"/provider/{provider['id']}/achievements/{achievement['id']}/image"
    token = await csrf_token(client)
    refused = await client.post(page_path, headers=HTML, data={"_csrf_token": token},
                                files={"image": ("x.gif", b"GIF89a", "image/gif")})
    assert refused.status_code == 422 and 'id="e-image"' in refused.text
    assert "Only PNG and SVG images are accepted." in refused.text
    client.cookies.set("lang", "ja")
    refused_ja = await client.post(page_path, headers=HTML, data={"_csrf_token": token},
                                   files={"image": ("x.png", png_bytes(16), "image/png")})
    assert refused_ja.status_code == 422 and "一辺 64〜2048 ピクセル" in refused_ja.text and "pixels" not in refused_ja.text
    client.cookies.set("lang", "en")
    assert (await client.get(f"/achievements/{achievement['id']}/image")).headers["content-type"].startswith("image/svg")

    uploaded = await client.post(page_path, headers=HTML, data={"_csrf_token": token},
                                 files={"image": ("badge.png", png_bytes(), "image/png")}, follow_redirects=False)
    assert uploaded.status_code == 303
    served = await client.get(f"/achievements/{achievement['id']}/image")
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (128, 128)
    console = await client.get(page_path, headers=HTML)
    assert "uploaded image" in console.text

    removed = await client.post(page_path, headers=HTML, data={"_csrf_token": token, "remove": "1"},
                                files={"none": ("", b"", "application/octet-stream")}, follow_redirects=False)
    assert removed.status_code == 303
    assert (await client.get(f"/achievements/{achievement['id']}/image")).headers["content-type"].startswith("image/svg")


async def test_another_providers_member_cannot_change_the_image(client) -> None:
    owner = await new_provider(client, "img-owner")
    achievement = await new_achievement(client, owner, image=None)
    other = await new_provider(client, "img-other")
    response = await client.post(f"/provider/{other['id']}/achievements/{achievement['id']}/image", headers=HTML,
                                 data={"_csrf_token": await csrf_token(client)},
                                 files={"image": ("badge.png", png_bytes(), "image/png")})
    assert response.status_code == 404
    assert (await client.get(f"/achievements/{achievement['id']}/image")).headers["content-type"].startswith("image/svg")
    assert (await client.get(f"/achievements/{'0' * 8}-0000-0000-0000-{'0' * 12}/image")).status_code == 404
