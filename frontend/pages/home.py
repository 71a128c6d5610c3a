"""Home page and the language switch."""

from __future__ import annotations

from litestar.di import NamedDependency
from litestar import Request, Response, get, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from accounts.middleware import LANG_COOKIE
from accounts.service import AccountService
from frontend.pages import FormData, redirect, safe_next
from frontend.rendering import page


@get("/", **access.public(), include_in_schema=False)
async def home(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """The home page, with the training providers that issue credentials here."""
    return page(request, "home.html", {"issuers": await AccountService(db_session).list_orgs("provider")})


@post("/lang", **access.public(), include_in_schema=False)
async def switch_lang(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Response:
    """Switch between Japanese and English; kept on the account and in a cookie."""
    lang = data.get("lang") if data.get("lang") in ("ja", "en") else "ja"
    principal = principal_of(request)
    if principal.is_person:
        await AccountService(db_session).set_lang(principal.person_id, lang)
    response = redirect(request, safe_next(data.get("next")))
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True)
    return response


handlers = [home, switch_lang]
