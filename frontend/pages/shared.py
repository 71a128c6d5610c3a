"""What a share link shows to whoever opens it (no account needed): the chosen profile parts and
credentials (whole, or badges disclosing chosen skills only as SD-JWT VCs), each credential verified
again as the page is opened."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import DomainError
from core.settings import Settings
from frontend.profile_chart import profile_chart
from frontend.rendering import lang_of, page
from frontend.verify_flow import check_one
from skills import sharing
from skills.api import viewer_of
from skills.prefectures import PREFECTURES
from taxonomies.dss import get_taxonomy

# the token is in the address: keep it out of Referer headers, search engines and shared caches
PRIVATE = {"Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store"}


async def shared_context(session: AsyncSession, settings: Settings, view: dict[str, Any], token: str,
                         lang: str) -> dict[str, Any]:
    """The opened link as the page shows it: each credential verified again, the profile parts in words."""
    credentials = [{**shared, **await check_one(session, settings, shared["document"], lang)}
                   for shared in view.get("credentials", [])]
    # SD-JWTs of chosen skills: the issuer's signature, status and trust, over the disclosed skills only
    disclosed = [{**shared, **await check_one(session, settings, shared["document"], lang)}
                 for shared in view.get("disclosed", [])]
    tx = get_taxonomy()
    categories = [SimpleNamespace(**c) for c in view.get("categories", {}).get("categories", [])]
    return {
        "view": view, "credentials": credentials, "disclosed": disclosed, "token": token,
        "chart": profile_chart(categories, lang) if categories else None,
        "categories": categories,
        "profile_items": [(tx.skill_item(i["skill_id"]), i) for i in view.get("profile", {}).get("items", [])],
        "target_role": tx.role(view["target_role"]) if view.get("target_role") else None,
        "prefecture": PREFECTURES.get(view.get("prefecture") or ""),
    }


@get("/s/{token:str}", **access.public(), include_in_schema=False)
async def shared_page(request: Request, token: FromPath[str], db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> Template:
    """The shared profile parts and credentials (``skills.sharing.open_link``); a withdrawn or expired link says so."""
    try:
        view = await sharing.open_link(db_session, settings, token, viewer_of(request))
    except DomainError as exc:
        gone = exc.status_code == 410
        return page(request, "shared/gone.html", {"gone": gone}, status_code=410 if gone else 404, headers=PRIVATE)
    context = await shared_context(db_session, settings, view, token, lang_of(request))
    return page(request, "shared/view.html", context, headers=PRIVATE)


handlers = [shared_page]
