"""Shared steps of the matching API tests."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

from tests.conftest import create_org, csrf_headers, sign_up


async def send(client: AsyncTestClient, method: str, path: str, **kwargs):
    """A state-changing request with the CSRF header."""
    headers = {**await csrf_headers(client), **kwargs.pop("headers", {})}
    return await client.request(method, path, headers=headers, **kwargs)


async def learner(client: AsyncTestClient, email: str, name: str, skills: dict[str, str], *,
                  discoverable: bool = True, parts: list[str] | None = None,
                  prefecture: str | None = "東京都") -> str:
    """Sign up a learner with self-declared levels and consent settings; returns their person id."""
    person = await sign_up(client, email, name, lang="ja")
    for skill_id, level in skills.items():
        response = await send(client, "PUT", "/api/v1/me/self-assessment",
                              json={"skill_id": skill_id, "level": level})
        assert response.status_code == 200, response.text
    await settings(client, discoverable=discoverable, prefecture=prefecture,
                   employer_parts=parts if parts is not None else ["skills", "self_declared", "prefecture",
                                                                   "display_name"])
    return person["id"]


async def settings(client: AsyncTestClient, **changes) -> None:
    response = await send(client, "PATCH", "/api/v1/me/settings", json=changes)
    assert response.status_code == 200, response.text


async def employer(client: AsyncTestClient, email: str = "hr@sakura.example", slug: str = "sakura-dx") -> str:
    """Sign up (and stay signed in as) an employer admin; returns the organization id."""
    await sign_up(client, email, "採用担当")
    return (await create_org(client, "employer", slug))["id"]


async def search(client: AsyncTestClient, org_id: str, **body):
    response = await send(client, "POST", f"/api/v1/orgs/{org_id}/candidates/search", json=body)
    assert response.status_code == 200, response.text
    return response.json()
