"""The OpenAPI document tells the truth: security per operation, the error statuses each operation can
answer as problem documents, and the Idempotency-Key header required where the handler requires it."""

from __future__ import annotations

import pytest
from litestar.routes import HTTPRoute

from accounts.access import required_scope

METHODS = ("get", "post", "put", "patch", "delete")
ISSUING = [("post", "/api/v1/orgs/{org_id}/credentials"), ("post", "/api/v1/orgs/{org_id}/batches"),
           ("post", "/api/v1/orgs/{org_id}/batches/csv")]


@pytest.fixture(scope="module")
def spec(app) -> dict:
    return app.openapi_schema.to_schema()


def _operations(app, spec):
    """(method, path, access label, operation) for every documented operation."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or route.path_format not in spec["paths"]:
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods:
                operation = spec["paths"][route.path_format].get(method.lower())
                if operation is not None:
                    yield method.lower(), route.path_format, str(handler.opt.get("access")), operation


def test_security_is_declared_per_operation_and_public_ones_need_none(app, spec) -> None:
    assert "security" not in spec
    scopes = {(method.lower(), route.path_format): required_scope(handler.opt, method) for route in app.routes
              if isinstance(route, HTTPRoute) for handler in route.route_handlers for method in handler.http_methods}
    seen = set()
    for method, path, access, operation in _operations(app, spec):
        seen.add(access.split(":")[0])
        if access == "public":
            assert "security" not in operation, (method, path)
        elif access.endswith("+apikey"):
            scope = [scopes[(method, path)]]  # the API-key scope it needs
            assert operation["security"] == [{"session": []}, {"apiKey": scope}, {"bearer": scope}], (method, path)
        else:
            assert operation["security"] == [{"session": []}], (method, path)
    assert {"public", "person", "admin", "provider", "employer"} <= seen
    schemes = spec["components"]["securitySchemes"]
    assert schemes["session"]["in"] == "cookie" and schemes["apiKey"]["in"] == "header"


def test_every_operation_documents_the_errors_it_can_answer_as_problems(app, spec) -> None:
    for method, path, access, operation in _operations(app, spec):
        codes = set(operation["responses"])
        where = (method, path, sorted(codes))
        if access != "public":
            assert "401" in codes, where
        if access == "admin" or ":" in access or method != "get":
            assert "403" in codes, where
        parameters = operation.get("parameters", [])
        if any(p["in"] == "path" for p in parameters):
            assert "404" in codes, where
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= codes, where
        for code, response in operation["responses"].items():
            # RFC 6749 5.2 OAuth errors (wallet endpoints, the OB 3.0 token and revocation endpoints) and the
            # OB 3.0 / CLR 2.0 APIs' Imsx_StatusInfo: bodies another standard defines, documented as plain JSON
            oauth = (path.startswith(("/oid4vci/", "/oid4vp/", "/oauth/ob/", "/ims/ob/v3p0/", "/ims/clr/v2p0/"))
                     and set(response.get("content", {})) == {"application/json"})
            if int(code) >= 400 and not oauth:
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, where
    assert spec["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status"]


def test_statuses_only_some_services_answer_are_declared_on_their_routes(spec) -> None:
    paths = spec["paths"]
    assert {"401", "429"} <= set(paths["/api/v1/auth/signin"]["post"]["responses"])
    assert {"409", "429"} <= set(paths["/api/v1/orgs"]["post"]["responses"])
    assert "409" in paths["/api/v1/orgs/{org_id}/credentials"]["post"]["responses"]
    retry_after = paths["/api/v1/auth/signin"]["post"]["responses"]["429"]["headers"]["Retry-After"]
    assert retry_after["required"] is True


def test_idempotency_key_is_required_where_issuing_refuses_a_request_without_it(spec) -> None:
    for method, path in ISSUING:
        header = next(p for p in spec["paths"][path][method]["parameters"] if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is True, path
        assert header["schema"] == {"type": "string", "minLength": 1}, path
