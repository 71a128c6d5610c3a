"""Pages of the OB 3.0 API's OAuth 2.0 flow: the authorization endpoint (sign-in first, then a consent
page naming the client and each scope; approve gives the client a code, deny ``access_denied``) and the
learner's list of applications holding tokens, each with "revoke".

authlib (``accounts.oauth.server``) checks each request; these handlers only render its verdict.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from accounts.oauth import urls
from accounts.oauth.applications import applications, revoke_application
from accounts.oauth.http import as_response, http_input
from accounts.oauth.registration import ORIGIN
from accounts.oauth.server import ConsentRequest, OAuthAnswer, consent_request, decide
from core.errors import NotFound
from core.headers import PAGE_POLICY
from core.settings import Settings
from frontend.forms import FormData, redirect
from frontend.rendering import page
from frontend.signed_in import SIGNED_IN, me

APPS_PATH = "/wallet/settings/applications"


def _consent_policy(redirect_uri: str) -> str:
    """The page policy, with the client's origin added to ``form-action``: browsers apply it to where the
    consent form's answer redirects, and that redirect goes to the client."""
    parts = urlsplit(redirect_uri)
    if not ORIGIN.fullmatch(parts.netloc):  # registration allows no other; never let text into the header
        return PAGE_POLICY
    return PAGE_POLICY.replace("form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}")


def _answer(request: Request, outcome: ConsentRequest | OAuthAnswer) -> Response | Template:
    if isinstance(outcome, ConsentRequest):
        return page(request, "oauth/consent.html", {"consent": outcome, "action": urls.AUTHORIZE_PATH},
                    headers={"Cache-Control": "no-store",
                             "Content-Security-Policy": _consent_policy(outcome.redirect_uri)})
    if outcome.location:
        return as_response(outcome)
    # An error authlib may not send back to the client (unknown client, redirect URI not registered).
    body = outcome.body if isinstance(outcome.body, dict) else {}
    return page(request, "oauth/error.html", {"error": body.get("error", "invalid_request"),
                                               "description": body.get("error_description", "")},
                status_code=outcome.status)


@get(urls.AUTHORIZE_PATH, **access.public(), include_in_schema=False)
async def authorize_page(request: Request, db_session: NamedDependency[AsyncSession],
                         settings: NamedDependency[Settings]) -> Response | Template:
    """Authorization endpoint (RFC 6749 section 4.1.1): the consent page, after signing in."""
    principal = principal_of(request)
    if not principal.is_person:
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path="/signin?" + urlencode({"next": here}), status_code=303)
    return _answer(request, await consent_request(db_session, await http_input(request, settings),
                                                  principal.person_id))


@post(urls.AUTHORIZE_PATH, **SIGNED_IN)
async def authorize_decision(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                             settings: NamedDependency[Settings]) -> Response | Template:
    """The learner's answer on the consent form: back to the client with a code or ``access_denied``."""
    outcome = await decide(db_session, await http_input(request, settings), me(request),
                           approve=data.get("decision") == "approve")
    return _answer(request, outcome)


@get(APPS_PATH, **SIGNED_IN)
async def applications_page(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """Applications that can reach the learner's data through the Open Badges API."""
    return page(request, "oauth/applications.html", {"apps": await applications(db_session, me(request))})


@post(APPS_PATH + "/{client_id:str}/revoke", **SIGNED_IN)
async def revoke_page(request: Request, client_id: FromPath[str], db_session: NamedDependency[AsyncSession]) -> Response:
    """Take back every token the application holds."""
    try:
        await revoke_application(db_session, me(request), client_id)
    except NotFound:
        pass  # already revoked (a second click, another tab): the list shows the truth either way
    return redirect(request, APPS_PATH + "?revoked=1")


handlers = [authorize_page, authorize_decision, applications_page, revoke_page]
