"""Swagger UI and ReDoc from the project's own static files (frontend/static/vendor/), with no inline script.

Litestar's render plugins write the schema and the viewer's start-up call into an inline ``<script>`` and
load the viewers from public CDNs: blank without internet, and refused by ``script-src 'self'``. These pages
load the vendored bundle plus a small start-up file of ours, which reads the schema's URL from the page.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import RedocRenderPlugin, SwaggerRenderPlugin

VENDOR = "/static/vendor"
FAVICON = "<link rel='icon' href='/static/favicon.svg' type='image/svg+xml'>"


def _page(title: str, head: str, body: str) -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{escape(title)}</title>{FAVICON}{head}</head><body>{body}</body></html>").encode()


class LocalSwaggerPlugin(SwaggerRenderPlugin):
    """Swagger UI at /schema/swagger (and /schema) from /static/vendor/swagger-ui."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
                         css_url=f"{VENDOR}/swagger-ui/swagger-ui.css", **kwargs)

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        spec_url = escape(self.get_openapi_json_route(request))
        return _page(openapi_schema["info"]["title"],
                     f"<link rel='stylesheet' href='{self.css_url}'>",
                     f"<div id='swagger-container' data-spec-url='{spec_url}'></div>"
                     f"<script src='{self.js_url}'></script>"
                     f"<script src='{VENDOR}/swagger-init.js'></script>")


class LocalRedocPlugin(RedocRenderPlugin):
    """ReDoc at /schema/redoc from /static/vendor/redoc, with the system fonts (no Google Fonts)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(js_url=f"{VENDOR}/redoc/redoc.standalone.js", google_fonts=False, **kwargs)

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        spec_url = escape(self.get_openapi_json_route(request))
        return _page(openapi_schema["info"]["title"], "",
                     f"<div id='redoc-container' data-spec-url='{spec_url}'></div>"
                     f"<script src='{self.js_url}'></script>"
                     f"<script src='{VENDOR}/redoc-init.js'></script>")
