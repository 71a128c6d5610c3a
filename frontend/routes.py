"""All page handlers, collected from ``frontend.pages``."""

from __future__ import annotations

import importlib

PAGE_MODULES = ("home", "auth", "dss", "wallet", "credentials", "provider", "employer", "public")


def _collect() -> list:
    handlers: list = []
    for name in PAGE_MODULES:
        module_name = f"frontend.pages.{name}"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        handlers.extend(module.handlers)
    return handlers


handlers = _collect()
