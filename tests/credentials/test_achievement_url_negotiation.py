"""The achievement URL (OB 3.0 ``Achievement.id``) answers by the ``Accept`` header: a browser (text/html
preferred over every JSON type) is sent (303) to the page for people, every JSON-LD client (ld+json,
json, ``*/*``, no header, a tie) gets the JSON-LD as before; both answers say ``Vary: Accept``."""

from __future__ import annotations

import pytest

from credentials.api import wants_html
from tests.credentials.conftest import new_achievement, new_provider

BROWSERS = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",  # Firefox
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
    "application/signed-exchange;v=b3;q=0.7",  # Chromium
    "application/json;q=0.5, text/html",
]
JSON_CLIENTS = [None, "*/*", "application/ld+json", "application/json", "application/vc+ld+json",
                "text/html;q=0.5, application/ld+json", "application/json, text/html", "text/html;q=0",
                "application/ld+json;profile=\"https://www.w3.org/ns/activitystreams\"", "text/*", "image/png"]


@pytest.mark.parametrize("accept", BROWSERS)
def test_browsers_want_the_page(accept) -> None:
    assert wants_html(accept)


@pytest.mark.parametrize("accept", JSON_CLIENTS)
def test_json_ld_clients_keep_the_json(accept) -> None:
    assert not wants_html(accept)


async def test_a_browser_is_sent_to_the_page_and_a_json_ld_client_gets_the_document(client) -> None:
    provider = await new_provider(client, "neg-uni")
    achievement = await new_achievement(client, provider)
    url = f"/achievements/{achievement['id']}"
    client.cookies.clear()

    seen = await client.get(url, headers={"Accept": BROWSERS[1]}, follow_redirects=False)
    assert seen.status_code == 303 and seen.headers["location"] == f"{url}/about"
    assert "accept" in seen.headers["vary"].lower()
    page = await client.get(seen.headers["location"], headers={"Accept": BROWSERS[1]})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Data Engineering Foundations" in page.text or "データエンジニアリング基礎" in page.text

    for accept in (None, "*/*", "application/ld+json", "application/json"):
        headers = {"Accept": accept} if accept else {}
        answer = await client.get(url, headers=headers, follow_redirects=False)
        assert answer.status_code == 200, (accept, answer.status_code)
        assert answer.headers["content-type"].startswith("application/ld+json")
        assert "accept" in answer.headers["vary"].lower()
        document = answer.json()
        assert document["id"].endswith(url) and "Achievement" in document["type"]
    english = await client.get(f"{url}?lang=en", headers={"Accept": "application/ld+json"})
    assert english.json()["name"] == "Data Engineering Foundations"
    wrong = await client.get(f"{url}?lang=fr", headers={"Accept": "application/ld+json"})
    assert wrong.status_code == 422


async def test_an_unknown_achievement_is_a_404_either_way(client) -> None:
    url = "/achievements/00000000-0000-4000-8000-000000000000"
    assert (await client.get(url, headers={"Accept": "application/ld+json"})).status_code == 404
    sent = await client.get(url, headers={"Accept": BROWSERS[0]})  # followed to the page, which says not found
    assert sent.status_code == 404 and "text/html" in sent.headers["content-type"]
