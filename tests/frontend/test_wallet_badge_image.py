"""The wallet's credential page shows a held credential's image without asking a third party: an embedded
data: image as it is, this platform's own achievement image by its same-origin path, and for any other
http(s) image URL the generated art (credentials.badge_images.shown_image)."""

from __future__ import annotations

import base64
import copy
import re

import pytest
from litestar.testing import AsyncTestClient

from credentials.badge_images import shown_image
from credentials.deps import stop_jobs
from tests.credentials.conftest import issue, new_achievement, new_provider
from tests.credentials.test_trust_integration import forge, import_credential
from tests.frontend.helpers import HTML, held_ids, learner

BASE = "https://skillpass.example"
OWN = f"{BASE}/achievements/0b6f3b8e-2a8f-4a57-9d0e-7d3c1f2a4b5c/image"


@pytest.fixture(scope="module", autouse=True)
async def _stop_batch_runner(app):
    yield
    await stop_jobs(app)


def with_image(image) -> dict:
    return {"credentialSubject": {"achievement": {"name": {"ja": "データ基礎", "en": "Data basics"}, "image": image}}}


def test_shown_image_keeps_data_and_own_images_and_replaces_any_other_url_with_art() -> None:
    data = "data:image/png;base64,iVBORw0KGgo="
    assert shown_image(with_image(data), BASE) == data
    assert shown_image(with_image({"id": OWN, "type": "Image"}), BASE + "/") == OWN[len(BASE):]
    assert shown_image({"credentialSubject": {"achievement": {}}}, BASE) is None
    for foreign in ("https://tracker.example/p.png", "https://skillpass.example.evil/achievements/x/image",
                    OWN + "?who=me", OWN.replace("https://", "http://"), "javascript:alert(1)"):
        art = shown_image(with_image({"id": foreign}), BASE)
        assert art.startswith("data:image/svg+xml;base64,"), foreign
        svg = base64.b64decode(art.split(",", 1)[1]).decode()
        assert "データ基礎" in svg and "tracker" not in svg and "<script" not in svg


async def test_wallet_page_shows_our_image_by_path_and_never_loads_a_foreign_one(app, client) -> None:
    provider = await new_provider(client, "img-wallet")
    achievement = await new_achievement(client, provider, image=None)  # so credentials name our image URL
    response = await issue(client, provider, achievement["id"], email="hanako@example.jp")
    assert response.status_code == 201, response.text
    genuine = response.json()["credential"]
    assert genuine["credentialSubject"]["achievement"]["image"]["id"].endswith(f"/achievements/{achievement['id']}/image")
    foreign = copy.deepcopy(genuine)
    foreign["credentialSubject"]["achievement"]["image"] = {"id": "https://tracker.example/pixel.png", "type": "Image"}
    foreign["id"] = "urn:uuid:5d7b6a0e-2c1f-4e8a-9b3d-0a1b2c3d4e5f"
    forged = forge(foreign, issuer_name="Somewhere Else", recipient="hanako@example.jp")
    async with AsyncTestClient(app=app) as wallet:
        await learner(wallet, "hanako@example.jp", lang="en")
        await import_credential(wallet, forged)
        pages = [(await wallet.get(f"/wallet/credentials/{held_id}", headers=HTML)).text
                 for held_id in await held_ids(wallet)]
    sources = [re.findall(r'<img src="([^"]*)"', text) for text in pages]
    own = f"/achievements/{achievement['id']}/image"
    assert sorted(len(s) for s in sources) == [1, 1]
    assert [own] in sources  # our credential: same origin
    (art,) = next(s for s in sources if s != [own])
    assert art.startswith("data:image/svg+xml;base64,")
    assert all("tracker.example" not in text for text in pages)
