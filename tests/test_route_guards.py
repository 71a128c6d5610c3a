"""Every route declares who may call it; non-public routes enforce it with a guard."""

from __future__ import annotations

# Routes Litestar itself adds (OpenAPI documents, static files) are public by nature.
FRAMEWORK_PREFIXES = ("/schema", "/static")


def test_every_route_has_an_access_decision(app) -> None:
    missing, unguarded = [], []
    for route in app.routes:
        if route.path.startswith(FRAMEWORK_PREFIXES):
            continue
        for handler in route.route_handlers:
            if set(getattr(handler, "http_methods", ())) == {"OPTIONS"}:
                continue  # Litestar's automatic CORS pre-flight answer
            access = handler.opt.get("access")
            if access is None:
                missing.append(f"{route.path} {sorted(getattr(handler, 'http_methods', []))}")
            elif access != "public" and not handler.resolve_guards():
                unguarded.append(f"{route.path} ({access})")
    assert not missing, f"routes without an access decision: {missing}"
    assert not unguarded, f"non-public routes without a guard: {unguarded}"


def test_the_walk_sees_a_real_route_table(app) -> None:
    paths = {route.path for route in app.routes}
    assert {"/health", "/api/v1/me", "/api/v1/orgs/{org_id:uuid}/api-keys"} <= paths
