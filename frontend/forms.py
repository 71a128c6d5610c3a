"""Form helpers every page module shares: typed form bodies, reading fields, errors in the reader's
language, and what to answer after a form (htmx or a plain browser)."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.plugins.htmx import ClientRedirect
from litestar.response import Redirect

from core.errors import DomainError, InvalidInput
from frontend.i18n import messages, translate
from frontend.rendering import htmx_of

FormData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
MultipartData = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
INDEX = re.compile(r"\[\d+\]")


def safe_next(value: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after a form (no open redirects)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def is_htmx(request: Request) -> bool:
    """True for a request htmx sent."""
    return bool(htmx_of(request))


def form_error_status(request: Request, status_code: int) -> int:
    """htmx swaps only 2xx answers, so a form re-rendered with errors is 200 for htmx, else ``status_code``."""
    return 200 if is_htmx(request) else status_code


def redirect(request: Request, to: str):
    """After a successful form: htmx follows with a client redirect, a browser with 303."""
    if is_htmx(request):
        return ClientRedirect(redirect_to=to)
    return Redirect(path=to, status_code=303)


def as_list(value: Any) -> list[str]:
    """A form or query value that may be sent once, many times, or not at all."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def text_of(data: dict[str, Any], name: str) -> str:
    """One field's text, stripped (the last value when it was sent several times)."""
    value = data.get(name)
    value = value[-1] if isinstance(value, list) else value
    return str(value).strip() if value is not None else ""


def as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def error_text(prefix: str, field: str, message: str, lang: str) -> str:
    """Our wording for a field's error (``prefix.error.<field>``) when we have one; the services speak English."""
    key = f"{prefix}.error." + INDEX.sub("", field).split(".")[-1]
    return translate(key, lang) if key in messages() else message


def errors_by_field(exc: DomainError, lang: str, prefix: str, default_field: str = "form") -> dict[str, str]:
    """Each field's first error of a domain error, in ``lang``."""
    listed = exc.errors if isinstance(exc, InvalidInput) and exc.errors else None
    found: dict[str, str] = {}
    for error in listed or [{"field": exc.field or default_field, "message": exc.detail}]:
        field = str(error.get("field") or default_field)
        found.setdefault(field, error_text(prefix, field, str(error.get("message", "")), lang))
    return found
