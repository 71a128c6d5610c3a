"""Read-only API: every concept URI resolves, lists filter, unknown ids are 404 problem details."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient, TestClient

from taxonomies.dss import Taxonomy
from taxonomies.dss.api import handlers

from .conftest import BASE_URL


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient]:
    with TestClient(app=app, base_url=BASE_URL) as client:
        yield client


def test_every_handler_is_declared_public() -> None:
    assert all(h.opt.get("access") == "public" for h in handlers)


def test_every_concept_uri_resolves_to_its_json(client: TestClient, tx: Taxonomy) -> None:
    seen = 0
    for kind, concept in tx.concepts():
        uri = BASE_URL + concept.uri_path
        response = client.get(concept.uri_path)
        assert response.status_code == 200, uri
        body = response.json()
        assert (body["id"], body["uri"], body["name_ja"]) == (concept.id, uri, concept.name_ja)
        seen += 1
    assert seen > 200


def test_versions_and_version_uris(client: TestClient) -> None:
    body = client.get("/api/v1/dss/versions").json()
    assert [v["version"] for v in body["versions"]] == ["1.2", "2.0"]
    assert body["current_version"] == "2.0" and body["counts"]["2.0"]["skills"] == 67
    assert [lv["level"] for lv in body["levels"]] == ["a", "b", "c", "d"]
    assert client.get("/dss/2.0").json()["id"] == f"{BASE_URL}/dss/2.0"


def test_categories_and_filtered_skill_items(client: TestClient) -> None:
    cats = client.get("/api/v1/dss/categories").json()
    assert len(cats) == 5 and sum(len(c["subcategories"]) for c in cats) == 13
    assert len(client.get("/api/v1/dss/skills").json()) == 67
    assert len(client.get("/api/v1/dss/skills", params={"version": "1.2"}).json()) == 49
    data = client.get("/api/v1/dss/skills", params={"category": "v2-cat-security"}).json()
    assert [s["id"] for s in data][:2] == ["v2-security-organization", "v2-security-management"]
    sub = client.get("/api/v1/dss/skills", params={"subcategory": "v2-sub-human-skills"}).json()
    assert [s["id"] for s in sub] == ["v2-leadership", "v2-collaboration"]
    one = client.get("/api/v1/dss/skills/v1-backend").json()
    assert one["crosswalk_v1_v2"][0]["v2"] == "v2-backend"


def test_roles_carry_requirements_with_provenance(client: TestClient) -> None:
    roles = client.get("/api/v1/dss/roles").json()
    assert len(roles) == 17
    assert all(len(r["requirements"]) == 67 for r in roles)
    role = client.get("/api/v1/dss/roles/se-backend", params={"version": "1.2"}).json()
    assert len(role["requirements"]) == 49 and role["requirements"][0]["provenance"] == "estimated"
    assert role["occupations"]
    assert len(client.get("/api/v1/dss/roles/se-backend").json()["requirements"]) == 116


def test_crosswalks_literacy_person_types_and_exports(client: TestClient) -> None:
    body = client.get("/api/v1/dss/crosswalks").json()
    assert body["v1_v2"] and body["exams"] and body["occupations"]
    assert len(client.get("/api/v1/dss/literacy").json()["categories"]) == 8
    assert len(client.get("/api/v1/dss/person-types").json()) == 5
    response = client.get("/api/v1/dss/export/2.0/csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert client.get("/api/v1/dss/export/2.0/xml").status_code == 404


def test_case_endpoints_serve_the_package_and_its_items(client: TestClient) -> None:
    documents = client.get("/ims/case/v1p0/CFDocuments").json()["CFDocuments"]
    assert {d["version"] for d in documents} == {"1.2", "2.0"}
    doc = next(d for d in documents if d["version"] == "2.0")
    package = client.get(f"/ims/case/v1p0/CFPackages/{doc['identifier']}").json()
    item = package["CFItems"][-1]
    assert client.get(f"/ims/case/v1p0/CFItems/{item['identifier']}").json() == item
    assert client.get("/ims/case/v1p0/CFItems/00000000-0000-5000-8000-000000000000").status_code == 404


@pytest.mark.parametrize("path", [
    "/api/v1/dss/skills/v2-nope", "/api/v1/dss/roles/nobody", "/dss/2.0/skills/v1-backend",
    "/dss/2.0/widgets/v2-backend", "/dss/9.9", "/dss/2.0/roles/v2-backend",
])
def test_unknown_ids_are_404_problem_details(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == "Not found"


async def test_search_in_both_languages(app: Litestar) -> None:
    async with AsyncTestClient(app=app, base_url=BASE_URL) as client:
        ja = (await client.get("/api/v1/dss/search", params={"q": "データ基盤"})).json()["results"]
        params = {"q": "data infrastructure", "lang": "en"}
        en = (await client.get("/api/v1/dss/search", params=params)).json()
        bad = await client.get("/api/v1/dss/search", params={"q": "x", "lang": "fr"})
        wrong_version = await client.get("/api/v1/dss/skills", params={"version": "3.0"})
    assert ja[0]["id"] == "v2-data-platform"
    assert en["results"][0]["id"] == "v2-data-platform" and en["lang"] == "en"
    assert bad.status_code == 422 and wrong_version.status_code == 422


async def test_a_concept_uri_sends_browsers_to_its_page_and_machines_get_json() -> None:
    from litestar import Litestar
    from litestar.di import Provide
    from litestar.testing import AsyncTestClient

    from core.settings import Settings
    from taxonomies.dss.api import handlers

    app = Litestar(route_handlers=handlers,
                   dependencies={"settings": Provide(lambda: Settings(environment="test"), sync_to_thread=False)})
    async with AsyncTestClient(app=app) as client:
        page = await client.get("/dss/2.0/skills/v2-backend", headers={"accept": "text/html,*/*;q=0.8"},
                                follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/dss/skills/v2-backend"
        data = await client.get("/dss/2.0/skills/v2-backend", headers={"accept": "application/json"})
        assert data.status_code == 200 and data.json()["id"].endswith("v2-backend")
