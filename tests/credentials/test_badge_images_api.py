"""The provider API for achievement images: PNG / SVG bytes or a data: URI, the console's checks (type, size,
pixels, SVG cleaning) as problem documents with nothing kept, API-key scopes, another organization's
achievement not found, and back to the generated art."""

from __future__ import annotations

import base64
import hashlib

from PIL import Image
import io

from credentials.badge_images import MAX_BYTES
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider
from tests.credentials.test_badge_images import png_bytes

PROBLEM = "application/problem+json"
EVIL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
            b'<rect width="10" height="10" fill="#0a0" onclick="alert(2)"/><image href="https://x.example/t.png"/></svg>')


async def test_put_png_bytes_then_data_uri_svg_then_back_to_art(client) -> None:
    provider = await new_provider(client, "img-api")
    achievement = await new_achievement(client, provider)
    url = f"{provider['base']}/achievements/{achievement['id']}/image"
    before = await client.get(url, headers=await api_headers(client, provider))
    assert before.status_code == 200 and before.json()["uploaded"] is False
    assert before.json()["image"].endswith(f"/achievements/{achievement['id']}/image")
    png = png_bytes(128, "blue")
    put = await client.put(url, content=png, headers=await api_headers(client, provider, **{"content-type": "image/png"}))
    assert put.status_code == 200, put.text
    served = await client.get(f"/achievements/{achievement['id']}/image")
    assert served.headers["content-type"] == "image/png"
    assert put.json()["sha256"] == hashlib.sha256(served.content).hexdigest()
    assert Image.open(io.BytesIO(served.content)).getpixel((5, 5))[:3] == (0, 0, 255)
    credential = (await issue(client, provider, achievement["id"])).json()["credential"]
    assert credential["credentialSubject"]["achievement"]["image"]["id"] == put.json()["image"]
    uri = "data:image/svg+xml;base64," + base64.b64encode(EVIL_SVG).decode()
    svg = await client.put(url, json={"image": uri}, headers=await api_headers(client, provider))
    assert svg.status_code == 200 and svg.json()["media_type"] == "image/svg+xml"
    cleaned = (await client.get(f"/achievements/{achievement['id']}/image")).content
    assert b"<rect" in cleaned and b"script" not in cleaned and b"onclick" not in cleaned and b"x.example" not in cleaned
    removed = await client.delete(url, headers=await api_headers(client, provider))
    assert removed.status_code == 200 and removed.json()["uploaded"] is False
    art = await client.get(f"/achievements/{achievement['id']}/image")
    assert art.headers["content-type"].startswith("image/svg+xml") and b"Lv. " in art.content


async def test_bad_images_are_problems_and_keep_the_earlier_image(client) -> None:
    provider = await new_provider(client, "img-api-bad")
    achievement = await new_achievement(client, provider)
    url = f"{provider['base']}/achievements/{achievement['id']}/image"
    good = await client.put(url, content=png_bytes(), headers=await api_headers(client, provider, **{"content-type": "image/png"}))
    assert good.status_code == 200
    cases = [
        (png_bytes(32), "image/png", 422, "pixels"),
        (b"\x89PNG\r\n\x1a\n" + b"broken" * 10, "image/png", 422, "unreadable"),
        (b"GIF89a" + b"\0" * 100, "image/png", 422, "type"),
        (b"\0" * (MAX_BYTES + 1), "image/png", 413, "too_large"),
        (b'<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>', "image/svg+xml", 422,
         "unreadable"),
        (png_bytes(), "image/gif", 415, "media_type"),
        (b'{"image": "https://example.com/a.png"}', "application/json", 422, "type"),
        (b'{"image": "data:image/png;base64,@@@"}', "application/json", 422, "type"),
        (b'{"image": "data:image/png;base64,AAA"}', "application/json", 422, "unreadable"),
        (b"[1", "application/json", 422, "unreadable"),
    ]
    for body, media_type, status, code in cases:
        refused = await client.put(url, content=body, headers=await api_headers(client, provider,
                                                                                  **{"content-type": media_type}))
        assert refused.status_code == status, (code, refused.text[:300])
        assert refused.headers["content-type"].startswith(PROBLEM) and refused.json()["field"] == "image", code
        assert refused.json().get("code") == code, (code, refused.json())
    kept = await client.get(url, headers=await api_headers(client, provider))
    assert kept.json()["sha256"] == good.json()["sha256"]


async def test_scopes_and_other_organizations(client, app) -> None:
    from litestar.testing import AsyncTestClient
    from tests.conftest import csrf_headers

    provider = await new_provider(client, "img-api-owner")
    achievement = await new_achievement(client, provider)
    url = f"{provider['base']}/achievements/{achievement['id']}/image"
    made = await client.post(f"{provider['base']}/api-keys", headers=await csrf_headers(client),
                             json={"name": "reader", "scopes": ["read"]})
    assert made.status_code == 201, made.text
    reader = {"x-api-key": made.json()["key"]}
    async with AsyncTestClient(app=app) as anonymous:
        assert (await anonymous.get(url, headers=reader)).status_code == 200
        refused = await anonymous.put(url, content=png_bytes(), headers={**reader, "content-type": "image/png"})
        assert refused.status_code == 403 and refused.headers["content-type"].startswith(PROBLEM)
        assert (await anonymous.delete(url, headers=reader)).status_code == 403
        assert (await anonymous.put(url, content=png_bytes(), headers={"content-type": "image/png"})).status_code == 401
    async with AsyncTestClient(app=app) as other_client:
        other = await new_provider(other_client, "img-api-other")
        foreign = f"{other['base']}/achievements/{achievement['id']}/image"
        answer = await other_client.put(foreign, content=png_bytes(),
                                        headers={**other["headers"], "content-type": "image/png"})
        assert answer.status_code == 404 and answer.headers["content-type"].startswith(PROBLEM)
        # nor may it use its own org path with the first provider's key
        crossed = await other_client.put(url, content=png_bytes(), headers={**other["headers"], "content-type": "image/png"})
        assert crossed.status_code in (401, 403)
    assert (await client.get(url, headers=await api_headers(client, provider))).json()["uploaded"] is False
