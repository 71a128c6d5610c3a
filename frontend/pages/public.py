"""Public pages: verify a credential (paste, upload, or one of our own links) and issuer profiles."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.service import AccountService
from core.errors import DomainError
from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.baked import BakedError, credential_text
from credentials.issuers import IssuerService
from credentials.verification import check
from frontend.i18n import translate
from frontend.pages import MultipartData
from frontend.pagination import paginate
from frontend.rendering import lang_of, not_found_page, page
from frontend.verification import summary_of, verdict_of
from skills import sharing
from skills.api import viewer_of

MAX_PASTE = 1_000_000
# Our own share links: /s/<token> (the page) or /api/v1/shared/<token>, optionally one credential of it.
OWN_LINK = re.compile(r"^/(?:s|api/v1/shared)/([A-Za-z0-9_-]{16,128})(?:/c/([0-9a-fA-F-]{36}))?/?$")


def own_link(url: str, request: Request, settings: Settings) -> tuple[str, str | None] | None:
    """(token, credential id) when ``url`` is a share link of this site; None for anything else.

    Nothing is ever fetched: a link of ours is resolved in-process, any other URL is refused.
    """
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc:
        ours = {(urlsplit(settings.base_url).scheme, urlsplit(settings.base_url).netloc),
                (request.url.scheme, request.url.netloc)}
        if (parts.scheme, parts.netloc) not in ours:
            return None
    found = OWN_LINK.match(parts.path)
    return (found.group(1), found.group(2)) if found else None


async def check_one(session: AsyncSession, settings: Settings, raw: Any, lang: str) -> dict[str, Any]:
    """Verify one input and describe it (a presentation lists each credential it carries)."""
    checked = await check(session, settings, raw)
    summaries = [summary_of(document, lang) for document in checked.documents]
    return {"verdict": verdict_of(checked.to_dict(), lang), "summaries": [s for s in summaries if s]}


async def check_link(request: Request, session: AsyncSession, settings: Settings, url: str,
                     lang: str) -> tuple[list[dict[str, Any]], str | None]:
    """Verify what one of our share links shares; (results, error message)."""
    found = own_link(url, request, settings)
    if found is None:
        return [], translate("verify.error.url", lang)
    token, only = found
    try:
        view = await sharing.open_link(session, settings, token, viewer_of(request))
    except DomainError as exc:
        return [], translate("verify.error.link_gone" if exc.status_code == 410 else "verify.error.link_unknown", lang)
    shared = [c for c in view.get("credentials", []) if only is None or c["id"] == only.lower()]
    if not shared:
        return [], translate("verify.error.link_empty", lang)
    return [await check_one(session, settings, c["document"], lang) for c in shared], None


@get("/verify", **access.public(), include_in_schema=False)
async def verify_page(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                      url: FromQuery[str | None] = None) -> Template:
    """The verification form; ``?url=`` checks one of our own share links at once."""
    lang = lang_of(request)
    results, errors = [], {}
    if url:
        results, error = await check_link(request, db_session, settings, url, lang)
        if error:
            errors["url"] = error
    return page(request, "public/verify.html", {"results": results, "errors": errors, "url": url or "",
                                                "document": "", "tab": "url" if url else "paste"})


@post("/verify", **access.public(throttle="verify"), include_in_schema=False)
async def verify_submit(request: Request, data: MultipartData, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Template:
    """Verify a pasted document, an uploaded file (JSON, VC-JWT, baked PNG/SVG) or one of our links."""
    lang = lang_of(request)
    text = str(data.get("document") or "").strip()
    upload, url = data.get("file"), str(data.get("url") or "").strip()
    errors: dict[str, str] = {}
    results: list[dict[str, Any]] = []
    tab = "paste"
    if isinstance(upload, UploadFile) and upload.filename:
        tab = "file"
        try:
            text = credential_text(await upload.read(), upload.content_type or "")
        except BakedError as exc:
            errors["file"] = translate(f"verify.error.{exc.code}", lang)
    elif url:
        tab = "url"
        results, error = await check_link(request, db_session, settings, url, lang)
        if error:
            errors["url"] = error
    if tab != "url" and not errors:
        if not text:
            errors["document" if tab == "paste" else "file"] = translate("verify.error.empty", lang)
        elif len(text) > MAX_PASTE:
            errors["document"] = translate("verify.error.too_large", lang)
        else:
            results = [await check_one(db_session, settings, text, lang)]
    context = {"results": results, "errors": errors, "url": url, "document": text if tab == "paste" else "",
               "tab": tab}
    status = 400 if errors and request.headers.get("hx-request") != "true" else 200
    return page(request, "public/verify.html", context, block="verify_panel", status_code=status)


@get("/issuers/{slug:str}", **access.public(), include_in_schema=False)
async def issuer_page(request: Request, slug: FromPath[str], db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> Template:
    """A training provider as an issuer: name, DID and the achievements (badges) it issues."""
    org = await AccountService(db_session).org_by_slug(slug)
    issuer = await IssuerService(db_session, settings).by_slug(slug) if org and org.kind == "provider" else None
    if org is None or org.kind != "provider":
        return not_found_page(request)
    achievements = await AchievementService(db_session, settings).list(org.id)
    listed = paginate(achievements, request.query_params.get("page"), per_page=10, path=f"/issuers/{slug}")
    return page(request, "public/issuer.html", {"org": org, "issuer": issuer, "achievements": listed},
                block="achievement_list")


handlers = [verify_page, verify_submit, issuer_page]
