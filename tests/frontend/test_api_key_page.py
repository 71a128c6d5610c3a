"""The API key page shows what a caller needs: the org id, each achievement id and a curl example that
works (run here through the app, with a key created on the page, as curl would send it)."""

from __future__ import annotations

import html
import re
import shlex

from litestar.testing import AsyncTestClient

from tests.conftest import verify_org
from tests.frontend.test_provider_pages import achievement, form, htmx, provider


def _curl_request(example: str, key: str) -> tuple[str, str, dict[str, str], str]:
    """Method, URL, headers and body of the curl line, with $SKILLPASS_API_KEY as a shell would expand it."""
    words = shlex.split(example.replace("\\\n", " ").replace("$SKILLPASS_API_KEY", key))
    assert words[0] == "curl"
    method, url, headers, body = "GET", "", {}, ""
    rest = iter(words[1:])
    for word in rest:
        if word == "-X":
            method = next(rest)
        elif word == "-H":
            name, value = next(rest).split(":", 1)
            headers[name.strip()] = value.strip()
        elif word == "-d":
            body = next(rest)
        elif not word.startswith("-"):
            url = word
    return method, url, headers, body


async def test_the_curl_example_issues_a_credential_with_a_key_from_the_page(app, client, db) -> None:
    base = await provider(client, "curl-academy")
    org_id = base.rsplit("/", 1)[1]
    await verify_org(db, org_id)
    first = await achievement(client, base)
    second = await achievement(client, base, name_en="Data pipelines", name_ja="データパイプライン")
    created = await client.post(f"{base}/api-keys", data={**await form(client), "name": "LMS"},
                                headers=htmx("api_keys"))
    key = re.search(r'id="new-key-secret"[^>]*value="([^"]+)"', created.text).group(1)
    assert f"export SKILLPASS_API_KEY='{key}'" in html.unescape(created.text)

    listing = await client.get(f"{base}/api-keys")
    assert listing.status_code == 200
    assert f'<code id="api-org-id">{org_id}</code>' in listing.text
    assert f"<code>{first}</code>" in listing.text and f"<code>{second}</code>" in listing.text
    assert key not in listing.text  # the secret is shown once, the example reads it from the environment
    example = html.unescape(re.search(r'<pre class="document mono" id="curl-example">(.*?)</pre>',
                                      listing.text, re.S).group(1))
    method, url, headers, body = _curl_request(example, key)
    assert url.startswith(app.state["settings"].base_url)

    async with AsyncTestClient(app=app) as caller:  # no cookies: an integration calling with the key
        answer = await caller.request(method, url, headers=headers, content=body.encode())
        assert answer.status_code == 201, answer.text
        assert answer.json()["achievement_id"] == first
        again = await caller.request(method, url, headers=headers, content=body.encode())
        assert again.status_code in (200, 201) and again.json()["id"] == answer.json()["id"]  # a retry: same one


async def test_the_page_says_in_japanese_what_the_ids_are(client) -> None:
    base = await provider(client, "ids-academy", lang="ja")
    client.cookies.set("lang", "ja")
    page = await client.get(f"{base}/api-keys")
    assert "組織 ID（org_id）" in page.text and "まだ学習成果がありません" in page.text
    assert "ACHIEVEMENT_ID" in page.text  # the example names the placeholder until an achievement exists
