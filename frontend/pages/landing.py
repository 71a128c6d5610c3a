"""Where to go after sign-in: the chooser of a person with several consoles (the rule is accounts.landing).

The choice is remembered in a cookie, not on the account: it needs no schema change, it belongs to the
device (the office PC opens the provider console, the phone the wallet), and it is checked against the
person's consoles at every sign-in, so a stale or foreign value only brings the chooser back.
"""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.response import Template

from accounts.access import principal_of
from accounts.landing import consoles_of
from core.settings import Settings
from frontend.forms import FormData, form_error_status, redirect
from frontend.i18n import translate
from frontend.landing import CONSOLE_COOKIE
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN

REMEMBER_SECONDS = 365 * 24 * 3600


def _chooser(request: Request, error: str | None = None, status_code: int = 200) -> Template:
    principal = principal_of(request)
    return page(request, "landing/choose.html", {
        "consoles": consoles_of(principal), "remembered": request.cookies.get(CONSOLE_COOKIE),
        "form_error": error,
    }, block="console_form", status_code=status_code)


@get("/console", **SIGNED_IN)
async def console_chooser(request: Request) -> Template:
    """The consoles this person may open; the one chosen is opened after every sign-in from now on."""
    return _chooser(request)


@post("/console", **SIGNED_IN)
async def console_choose(request: Request, data: FormData, settings: NamedDependency[Settings]) -> Response:
    """Remember the console chosen (one of the person's own) and open it."""
    choice = str(data.get("console", ""))
    if choice not in {console.path for console in consoles_of(principal_of(request))}:
        error = translate("landing.invalid", lang_of(request))
        return _chooser(request, error, form_error_status(request, 422))
    response = redirect(request, choice)
    response.set_cookie(CONSOLE_COOKIE, choice, max_age=REMEMBER_SECONDS, samesite="lax", httponly=True,
                        secure=settings.secure_cookies)
    return response


handlers = [console_chooser, console_choose]
