"""Public pages: verify a credential (paste, upload, or one of our own links) and issuer profiles."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.service import AccountService
from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.endorsements import of_issuer
from credentials.issuers import IssuerService
from frontend.forms import MultipartData
from frontend.pagination import paginate
from frontend.rendering import not_found_page, page
from frontend.verify_flow import Checked, check_form, check_link


@get("/verify", **access.public(), include_in_schema=False)
async def verify_page(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                      url: FromQuery[str | None] = None) -> Template:
    """The verification form; ``?url=`` checks one of our own share links at once."""
    checked = await check_link(request, db_session, settings, url) if url else Checked()
    return page(request, "public/verify.html", {**checked.context(), "tab": checked.tab})


@post("/verify", **access.public(throttle="verify"), include_in_schema=False)
async def verify_submit(request: Request, data: MultipartData, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Template:
    """Verify a pasted document, an uploaded file (JSON, VC-JWT, baked PNG/SVG) or one of our links."""
    checked = await check_form(request, db_session, settings, data)
    return page(request, "public/verify.html", {**checked.context(), "tab": checked.tab}, block="verify_panel",
                status_code=checked.status(request))


@get("/issuers/{slug:str}", **access.public(), include_in_schema=False)
async def issuer_page(request: Request, slug: FromPath[str], db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> Template:
    """A training provider as an issuer: name, DID, the endorsements of it as an issuer and the
    achievements (badges) it issues."""
    org = await AccountService(db_session).org_by_slug(slug)
    issuer = await IssuerService(db_session, settings).by_slug(slug) if org and org.kind == "provider" else None
    if org is None or org.kind != "provider":
        return not_found_page(request)
    achievements = await AchievementService(db_session, settings).list(org.id)
    listed = paginate(achievements, request.query_params.get("page"), per_page=10, path=f"/issuers/{slug}")
    return page(request, "public/issuer.html", {"org": org, "issuer": issuer, "achievements": listed,
                                               "issuer_endorsements": await of_issuer(db_session, settings, org.id)},
                block="achievement_list")


handlers = [verify_page, verify_submit, issuer_page]
