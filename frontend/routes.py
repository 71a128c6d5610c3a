"""All page handlers, collected from ``frontend.pages``."""

from __future__ import annotations

from core.modules import optional_import

PAGE_MODULES = (
    "home", "auth", "dss", "public", "trends", "shared", "wallet", "credentials", "records", "shares", "provider",
    "employer", "org_verification", "admin",
)


def _collect() -> list:
    handlers: list = []
    for name in PAGE_MODULES:
        module = optional_import(f"frontend.pages.{name}")
        if module is not None:
            handlers.extend(module.handlers)
    return handlers


handlers = _collect()
