"""Public pages: the terms of use and the privacy notice a sign-up accepts (their version: accounts.service)."""

from __future__ import annotations

from litestar import Request, get
from litestar.response import Template

from accounts import access
from accounts.service import TERMS_VERSION
from frontend.rendering import page

# The numbered sections of each text in the catalogue (legal.<doc>.<n>.title / .body).
SECTIONS = {"terms": 8, "privacy": 9}


def _legal(request: Request, doc: str) -> Template:
    return page(request, "legal/document.html", {"doc": doc, "sections": range(1, SECTIONS[doc] + 1),
                                                 "version": TERMS_VERSION})


@get("/terms", **access.public(), include_in_schema=False)
async def terms_page(request: Request) -> Template:
    """The terms of use."""
    return _legal(request, "terms")


@get("/privacy", **access.public(), include_in_schema=False)
async def privacy_page(request: Request) -> Template:
    """The privacy notice: what is stored, who sees what, consent, retention, export and deletion, contact."""
    return _legal(request, "privacy")


handlers = [terms_page, privacy_page]
