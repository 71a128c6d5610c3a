"""Between Litestar and ``accounts.oauth.server``: a request read into ``HttpInput``, an ``OAuthAnswer``
written back as a response."""

from __future__ import annotations

from litestar import Request, Response
from litestar.enums import RequestEncodingType

from accounts.oauth.server import HttpInput, OAuthAnswer
from core.settings import Settings

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _pairs(items) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in items:
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def public_uri(request: Request, settings: Settings) -> str:
    """The request's URI on the public base URL. authlib refuses plain-http URIs but the loopback's;
    development and test servers run plain http on other names, so there the scheme is presented as https
    (production's base URL must be https already, see core.settings)."""
    base = settings.base_url.rstrip("/")
    if settings.environment in ("development", "test") and base.startswith("http://"):
        base = "https://" + base[len("http://"):]
    query = request.url.query
    return base + request.url.path + (f"?{query}" if query else "")


async def http_input(request: Request, settings: Settings) -> HttpInput:
    form: dict[str, list[str]] = {}
    if request.method == "POST" and request.content_type[0] in (RequestEncodingType.URL_ENCODED,
                                                                 RequestEncodingType.MULTI_PART):
        form = _pairs((await request.form()).multi_items())
    return HttpInput(method=request.method, uri=public_uri(request, settings), headers=request.headers,
                     query=_pairs(request.query_params.multi_items()), form=form)


def as_response(answer: OAuthAnswer) -> Response:
    """authlib's answer as is: a redirect, or a JSON body (errors in RFC 6749 section 5.2 shape)."""
    headers = {k: v for k, v in answer.headers.items() if k.lower() != "content-type"}
    if answer.location:
        return Response(content=b"", status_code=answer.status, headers=headers)
    return Response(content=answer.body, status_code=answer.status, headers={**NO_STORE, **headers},
                    media_type="application/json")
