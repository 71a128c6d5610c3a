"""Security headers on every response, from one ``before_send`` hook.

The pages load scripts only from /static (no inline script, no ``on*`` handlers), so the policy allows
``script-src 'self'`` alone. Four templates still set ``style`` attributes (meters, a legend swatch, a
badge image float), hence ``style-src-attr 'unsafe-inline'``; ``<style>`` elements stay forbidden.
The OpenAPI viewers under /schema (vendored, started from /static files) keep ``script-src 'self'``;
their policy adds inline styles (ReDoc injects <style> elements) and a blob: worker (ReDoc's search).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

# htmx adds one <style> element for its request indicator (htmx.min.js, includeIndicatorStyles); its hash.
HTMX_INDICATOR_STYLE = "'sha256-faU7yAF8NxuMTNEwVmBz+VcYeIoBQ2EMHW3WaVxCvnk='"
PAGE_POLICY = (f"default-src 'self'; script-src 'self'; style-src 'self' {HTMX_INDICATOR_STYLE}; "
               "style-src-attr 'unsafe-inline'; "
               "img-src 'self' data: https:; font-src 'self'; connect-src 'self'; object-src 'none'; "
               "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
SCHEMA_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
                 "img-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
                 "base-uri 'self'; frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(path: str, https: bool) -> dict[str, str]:
    """The headers for a response to ``path``; share links (/s/…) send no referrer at all."""
    headers = {
        "Content-Security-Policy": SCHEMA_POLICY if path.startswith("/schema") else PAGE_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer" if path.startswith("/s/") else "strict-origin-when-cross-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def security_headers_hook(https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A ``before_send`` hook adding :func:`security_headers` to every HTTP response (404s of unknown
    paths too, which no route middleware sees); a handler's own value wins."""

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in security_headers(scope["path"], https).items():
            if name not in headers:
                headers[name] = value

    return add_headers
