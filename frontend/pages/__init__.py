"""Page handlers, one module per area; shared form helpers here."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
MultipartData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


def safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after a form (no open redirects)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def form_error_status(request: Request, status_code: int) -> int:
    """htmx swaps only 2xx answers, so a form re-rendered with errors is 200 for htmx, else ``status_code``."""
    return 200 if is_htmx(request) else status_code


def redirect(request: Request, to: str):
    """After a successful form: htmx follows with a client redirect, a browser with 303."""
    if is_htmx(request):
        return ClientRedirect(redirect_to=to)
    return Redirect(path=to, status_code=303)
