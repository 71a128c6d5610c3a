"""The API documentation works offline: Swagger UI and ReDoc load from /static/vendor under the strict
``script-src 'self'`` policy, ask nothing of another host, and show the operations."""

from __future__ import annotations

from playwright.sync_api import expect

import pytest

pytestmark = pytest.mark.browser


def _offline(tab) -> list[str]:
    """Refuse (and record) every request that leaves the live server, as a machine without internet would."""
    outside: list[str] = []

    def refuse(route) -> None:
        outside.append(route.request.url)
        route.abort()

    tab.page.route(lambda url: not url.startswith(tab.base), refuse)
    return outside


def test_swagger_ui_renders_the_operations_from_local_files(visit) -> None:
    tab = visit(lang="en")
    outside = _offline(tab)
    response = tab.goto("/schema/swagger", "swagger")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    # tags start collapsed (docExpansion "none"): every tag is listed, a click opens its operations
    expect(tab.page.locator(".opblock-tag").nth(14)).to_be_attached(timeout=15000)
    tab.page.locator(".opblock-tag", has_text="credentials: provider").first.click()
    expect(tab.page.locator(".opblock").nth(10)).to_be_attached(timeout=15000)
    tab.snap("swagger-rendered")
    assert tab.page.locator(".opblock-summary-path[data-path='/api/v1/orgs/{org_id}/credentials']").count() > 0
    assert outside == [] and tab.errors == []


def test_redoc_renders_the_operations_from_local_files(visit) -> None:
    tab = visit(lang="en")
    outside = _offline(tab)
    response = tab.goto("/schema/redoc", "redoc")
    assert "script-src 'self';" in response.headers["content-security-policy"]
    tab.page.locator("[data-section-id^='operation/']").first.wait_for()
    tab.snap("redoc-rendered")
    assert tab.page.locator("[data-section-id^='operation/']").count() > 20
    assert outside == [] and tab.errors == []


def test_schema_root_is_swagger_ui(visit) -> None:
    tab = visit(lang="en")
    tab.goto("/schema", "schema-root")
    tab.page.locator(".opblock-tag").first.wait_for()
    assert tab.errors == []
