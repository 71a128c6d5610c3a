"""One mapping from errors to responses: RFC 9457 problem details for the API; for browsers, the page
renderer the composition root registers (``frontend.errors``: an error fragment for htmx, else a page)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from core.errors import DomainError, InvalidInput, RateLimited
from core.jsonlimits import MAX_DEPTH

log = logging.getLogger("skillpass.errors")
# (request, problem details, response headers) -> the error as a page
PageRenderer = Callable[[Request, dict[str, Any], dict[str, str]], Response]
PROBLEM_JSON = "application/problem+json"

_TITLES = {400: "Bad request", 401: "Sign-in required", 403: "Forbidden", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Payload too large", 415: "Unsupported media type",
           422: "Invalid input", 429: "Too many requests", 500: "Internal server error"}


def problem_from_exception(request: Request, exc: Exception) -> dict[str, Any]:
    """The problem-details body for any exception (no internals for 5xx)."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"type": f"/problems/{exc.type_slug}", "title": exc.title,
                                "status": exc.status_code, "detail": exc.detail}
        if exc.field:
            body["field"] = exc.field
        if isinstance(exc, InvalidInput) and exc.errors:
            body["errors"] = exc.errors
        body.update({k: v for k, v in exc.extra.items() if k not in body})
    elif isinstance(exc, HTTPException):
        status = exc.status_code
        body = {"type": "about:blank", "title": _TITLES.get(status, "Error"), "status": status,
                "detail": exc.detail if status < 500 else "The server could not complete the request."}
        if isinstance(exc, ValidationException) and exc.extra:
            body["errors"] = exc.extra
        if status == 400 and "JSON" in str(exc.detail):
            body["detail"] = "The request body is not valid JSON."
    elif isinstance(exc, RecursionError):
        # Backstop for nesting the JSON check did not see (e.g. a parsed upload): refuse, naming the limit.
        body = {"type": "/problems/invalid-input", "title": _TITLES[422], "status": 422, "field": "body",
                "detail": f"The input is nested too deeply (at most {MAX_DEPTH} levels).", "max_depth": MAX_DEPTH}
    else:
        body = {"type": "about:blank", "title": _TITLES[500], "status": 500,
                "detail": "The server could not complete the request."}
    body["instance"] = request.url.path
    return body


def wants_json(request: Request) -> bool:
    """API paths always answer JSON; elsewhere (DSS concept URIs too) browsers asking for HTML get a page."""
    path = request.url.path
    if path.startswith("/api/") or path.startswith("/.well-known/"):
        return True
    return "text/html" not in request.headers.get("accept", "")


def exception_handler(render_page: PageRenderer | None = None) -> Callable[[Request, Exception], Response]:
    """The app-wide exception handler: problem details, or ``render_page`` for browsers asking for HTML
    (the frontend registers its error page in the composition root; core renders no template)."""

    def exception_to_response(request: Request, exc: Exception) -> Response:
        problem = problem_from_exception(request, exc)
        status = problem["status"]
        if status >= 500:
            log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        headers = {}
        if isinstance(exc, RateLimited):
            headers["Retry-After"] = str(exc.extra.get("retry_after", 60))
        if render_page is not None and not wants_json(request):
            return render_page(request, problem, headers)
        return Response(content=problem, status_code=status, media_type=PROBLEM_JSON, headers=headers)

    return exception_to_response


exception_handlers = {Exception: exception_handler()}
