"""The verify form the public page and the employer console share: a pasted document, an uploaded file
(JSON, VC-JWT, baked PNG/SVG) or one of our own share links, each checked by the one verify use case
(``credentials.verification.check``) and worded for people. Bad input answers 422 on both pages, as
``POST /api/v1/verify`` does."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.datastructures import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from core.settings import Settings
from credentials.baked import BakedError, credential_text
from credentials.verification import check
from frontend.forms import form_error_status
from frontend.i18n import translate
from frontend.rendering import lang_of
from frontend.verification import summary_of, verdict_of
from skills import sharing
from skills.api import viewer_of

MAX_PASTE = 1_000_000
BAD_INPUT_STATUS = 422
# Our own share links: /s/<token> (the page) or /api/v1/shared/<token>, optionally one credential of it.
OWN_LINK = re.compile(r"^/(?:s|api/v1/shared)/([A-Za-z0-9_-]{16,128})(?:/c/([0-9a-fA-F-]{36}))?/?$")


@dataclass
class Checked:
    """What the verify panel shows: each result, the errors by field, and the form as it was sent."""

    results: list[dict[str, Any]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    document: str = ""
    url: str = ""
    tab: str = "paste"

    def context(self) -> dict[str, Any]:
        return {"results": self.results, "errors": self.errors, "document": self.document, "url": self.url}

    def status(self, request: Request) -> int:
        return form_error_status(request, BAD_INPUT_STATUS) if self.errors else 200


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


async def check_link(request: Request, session: AsyncSession, settings: Settings, url: str) -> Checked:
    """Verify what one of our share links shares."""
    lang, outcome = lang_of(request), Checked(url=url, tab="url")
    found = own_link(url, request, settings)
    if found is None:
        outcome.errors["url"] = translate("verify.error.url", lang)
        return outcome
    token, only = found
    try:
        view = await sharing.open_link(session, settings, token, viewer_of(request))
    except DomainError as exc:
        outcome.errors["url"] = translate("verify.error.link_gone" if exc.status_code == 410
                                          else "verify.error.link_unknown", lang)
        return outcome
    shared = [c for c in view.get("credentials", []) if only is None or c["id"] == only.lower()]
    shared += view.get("disclosed", []) if only is None else []  # badges with chosen skills (SD-JWT)
    if not shared:
        outcome.errors["url"] = translate("verify.error.link_empty", lang)
    outcome.results = [await check_one(session, settings, c["document"], lang) for c in shared]
    return outcome


async def check_form(request: Request, session: AsyncSession, settings: Settings, data: dict[str, Any]) -> Checked:
    """Check what the form sent: an uploaded file first, else a share link, else the pasted text."""
    lang = lang_of(request)
    text, url, upload = str(data.get("document") or "").strip(), str(data.get("url") or "").strip(), data.get("file")
    if not (isinstance(upload, UploadFile) and upload.filename) and url:
        return await check_link(request, session, settings, url)
    outcome = Checked(document=text, url=url)
    if isinstance(upload, UploadFile) and upload.filename:
        outcome.tab, outcome.document = "file", ""
        try:
            text = credential_text(await upload.read(), upload.content_type or "")
        except BakedError as exc:
            outcome.errors["file"] = translate(f"verify.error.{exc.code}", lang)
            return outcome
    if not text:
        outcome.errors["document" if outcome.tab == "paste" else "file"] = translate("verify.error.empty", lang)
    elif len(text) > MAX_PASTE:
        outcome.errors["document"] = translate("verify.error.too_large", lang)
    else:
        outcome.results = [await check_one(session, settings, text, lang)]
    return outcome
