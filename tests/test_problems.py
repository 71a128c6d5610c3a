"""Errors are problem details for the API, an error fragment for htmx and a full page for browsers."""

from __future__ import annotations

from tests.conftest import csrf_headers


async def test_bad_json_is_a_400_problem(client) -> None:
    response = await client.post("/api/v1/auth/signup", content=b"{not json",
                                 headers={"content-type": "application/json", **await csrf_headers(client)})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 400 and response.json()["detail"]


async def test_wrong_types_are_a_400_problem_naming_the_field(client) -> None:
    response = await client.post("/api/v1/auth/signup", headers=await csrf_headers(client),
                                 json={"email": 12, "password": ["x"], "display_name": "A"})
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Bad request"
    assert any("password" in str(error) for error in body["errors"])


async def test_oversized_body_is_413(client, settings) -> None:
    big = b'{"email": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    response = await client.post("/api/v1/auth/signin", content=big,
                                 headers={"content-type": "application/json", **await csrf_headers(client)})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_unknown_api_route_is_a_404_problem(client) -> None:
    response = await client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["instance"] == "/api/v1/no-such-thing"


async def test_unknown_page_is_a_full_html_error_page(client) -> None:
    response = await client.get("/no-such-page", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "<html" in response.text and "text/html" in response.headers["content-type"]


async def test_htmx_error_is_a_fragment(client) -> None:
    response = await client.get("/api/../wallet-nope", headers={"accept": "text/html", "hx-request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.text and 'role="alert"' in response.text
    assert response.headers["hx-retarget"] == "#flash"


async def test_health_answers_when_the_database_does(client) -> None:
    response = await client.get("/health")
    assert response.status_code == 200 and response.json()["database"] == "ok"


async def test_openapi_schema_is_served(client) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/auth/signin" in response.json()["paths"]


async def test_request_log_has_status_and_duration_but_no_secrets(client, caplog) -> None:
    import logging

    logger = logging.getLogger("skillpass")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="skillpass.request"):
            await client.post("/api/v1/auth/signup", headers=await csrf_headers(client),
                              json={"email": "log@example.jp", "password": "very-secret-pw-1", "display_name": "L",
                                    "accept_terms": True})
    finally:
        logger.removeHandler(caplog.handler)
    records = [r for r in caplog.records if r.name == "skillpass.request"]
    assert any(r.fields["status"] == 202 and "duration_ms" in r.fields for r in records)
    text = " ".join(str(r.__dict__) for r in caplog.records)
    assert "very-secret-pw-1" not in text and "skillpass_session" not in text
