"""Sign-up, sign-in, sign-out, email confirmation and password reset pages (forms with CSRF tokens, errors
next to fields)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access, confirmation
from accounts.api import confirm_and_sign_in, request_password_reset, reset_and_sign_in, sign_in_person, sign_up_person
from accounts.deps import provide_throttle
from accounts.middleware import CSRF_SESSION_KEY, LOGIN_FORM_OPT
from accounts.schemas import PasswordResetRequest, SignUp
from accounts.service import AccountService
from accounts.throttle import LoginThrottle, pre_session_attempt
from core.errors import DomainError, InvalidInput, RateLimited
from core.settings import Settings
from frontend.i18n import translate
from frontend.landing import WELCOME, after_sign_in
from frontend.pages import FormData, form_error_status, redirect, safe_next
from frontend.rendering import lang_of, page

_throttle = {"throttle": Provide(provide_throttle, sync_to_thread=False)}
_LOGIN_FORM = {LOGIN_FORM_OPT: True}  # CSRF token needed even without cookies; the form page starts a pre-session


@get("/signin", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def signin_page(request: Request, next: FromQuery[str | None] = None) -> Template:
    """The sign-in form (a few new pre-sessions per address)."""
    await pre_session_attempt(request, CSRF_SESSION_KEY)
    return page(request, "auth/signin.html", {"errors": {}, "next": safe_next(next, "")})


@post("/signin", **access.public(**_LOGIN_FORM), dependencies=_throttle, include_in_schema=False)
async def signin_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession], throttle: NamedDependency[LoginThrottle]) -> Response:
    """Check the credentials; on success go on to ``next`` or the console of the person's role."""
    email = str(data.get("email", ""))
    try:
        person = await sign_in_person(request, AccountService(db_session), throttle, email,
                                      str(data.get("password", "")))
    except DomainError as exc:
        key = "signin.rate_limited" if isinstance(exc, RateLimited) else "signin.failed"
        context = {"errors": {}, "email": email, "next": safe_next(data.get("next"), ""),
                   "form_error": translate(key, lang_of(request))}
        status = form_error_status(request, exc.status_code)
        return page(request, "auth/signin.html", context, block="signin_form", status_code=status)
    return redirect(request, await after_sign_in(request, db_session, person.id, data.get("next")))


@get("/signup", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def signup_page(request: Request, next: FromQuery[str | None] = None) -> Template:
    """The sign-up form (a few new pre-sessions per address); ``next`` (from the sign-in page: an
    application's consent page, an offer) is offered again once the address is confirmed."""
    await pre_session_attempt(request, CSRF_SESSION_KEY)
    return page(request, "auth/signup.html", {"errors": {}, "values": {}, "next": safe_next(next, "")})


@post("/signup", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def signup_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Template:
    """Sign up as the API does; "check your mail" whether or not the address had an account."""
    lang = lang_of(request)
    values = {k: str(data.get(k, "")) for k in ("display_name", "email", "password", "lang")}
    next_path = safe_next(data.get("next"), "")
    form = SignUp.model_construct(**{**values, "lang": values["lang"] if values["lang"] in ("ja", "en") else lang},
                                  accept_terms=data.get("accept_terms") == "yes")
    try:
        accepted = await sign_up_person(request, AccountService(db_session, settings), form)
    except InvalidInput as exc:
        errors = {e["field"]: translate(f"signup.error.{e['field']}", lang) for e in exc.errors}
        return page(request, "auth/signup.html", {"errors": errors, "values": values, "next": next_path},
                    block="signup_form", status_code=form_error_status(request, 422))  # as the API
    if next_path:  # this browser's pre-session: the confirmation link opened here offers the way back
        request.session[AFTER_CONFIRM_KEY] = next_path
    return page(request, "auth/check_mail.html", {"email": accepted.email}, block="signup_form")


@post("/signout", **access.signed_in(), include_in_schema=False)
async def signout_submit(request: Request) -> Response:
    """End the session."""
    request.clear_session()
    return redirect(request, "/")


AFTER_CONFIRM_KEY = "after_confirm"  # where sign-up was asked to go on to, kept until confirmation

# The token is in the URL: no referrer may carry it on, and no cache keep it.
_TOKEN_PAGE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}


@get("/account/confirm", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def confirm_page(request: Request, token: FromQuery[str | None] = None) -> Template:
    """The link of the confirmation mail: the password and a button (a GET by a mail scanner changes nothing)."""
    await pre_session_attempt(request, CSRF_SESSION_KEY)
    return page(request, "auth/confirm.html", {"token": (token or "")[:200], "errors": {}}, headers=_TOKEN_PAGE_HEADERS)


@post("/account/confirm", **access.public(throttle="code_entry", **_LOGIN_FORM), include_in_schema=False)
async def confirm_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Template:
    """Confirm the address with the sign-up password and sign in; show what arrived in the wallet."""
    token = str(data.get("token", ""))[:200]
    next_path = safe_next((request.session or {}).get(AFTER_CONFIRM_KEY), "")  # signing in renews the session
    try:
        done = await confirm_and_sign_in(request, db_session, token, str(data.get("password", "")))
    except InvalidInput as exc:
        context = _token_form_errors(request, exc, token, "confirm.wrong_password")
        return page(request, "auth/confirm.html", context, block="confirm_form",
                    status_code=form_error_status(request, 422), headers=_TOKEN_PAGE_HEADERS)  # as the API
    return page(request, "auth/confirmed.html", {"email": done.person.email, "claimed": done.claimed_credentials,
                                                 "next": next_path}, headers=_TOKEN_PAGE_HEADERS)


def _token_form_errors(request: Request, exc: InvalidInput, token: str, field_key: str) -> dict:
    """A refused token form: an unusable link replaces the form; a field error keeps it and the token."""
    if exc.field == "token":
        return {"error": True, "errors": {}}
    return {"token": token, "errors": {exc.field: translate(field_key, lang_of(request))}}


@get("/password-reset", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def reset_request_page(request: Request) -> Template:
    """The "forgot password?" form (a few new pre-sessions per address)."""
    await pre_session_attempt(request, CSRF_SESSION_KEY)
    return page(request, "auth/reset_request.html", {"email": ""})


@post("/password-reset", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def reset_request_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                               settings: NamedDependency[Settings]) -> Template:
    """Ask for the reset mail as the API does; "check your mail" whether or not the address has an account."""
    form = PasswordResetRequest.model_construct(email=str(data.get("email", ""))[:320], lang=lang_of(request))
    accepted = await request_password_reset(request, db_session, settings, form)
    return page(request, "auth/reset_sent.html", {"email": accepted.email}, block="reset_request_form")


@get("/account/reset", **access.public(**_LOGIN_FORM), include_in_schema=False)
async def reset_page(request: Request, token: FromQuery[str | None] = None) -> Template:
    """The link of the reset mail: the new password form (a GET changes nothing)."""
    await pre_session_attempt(request, CSRF_SESSION_KEY)
    return page(request, "auth/reset.html", {"token": (token or "")[:200], "errors": {}}, headers=_TOKEN_PAGE_HEADERS)


@post("/account/reset", **access.public(throttle="code_entry", **_LOGIN_FORM), include_in_schema=False)
async def reset_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Template:
    """Set the new password, confirm the address, end the other sessions and sign in."""
    token = str(data.get("token", ""))[:200]
    try:
        done = await reset_and_sign_in(request, db_session, token, str(data.get("new_password", "")))
    except InvalidInput as exc:
        context = _token_form_errors(request, exc, token, "signup.error.password")
        return page(request, "auth/reset.html", context, block="reset_form",
                    status_code=form_error_status(request, 422), headers=_TOKEN_PAGE_HEADERS)  # as the API
    landing = await after_sign_in(request, db_session, done.person.id, None)  # /welcome for a new learner
    return page(request, "auth/reset_done.html", {"email": done.person.email, "welcome": landing == WELCOME},
                headers=_TOKEN_PAGE_HEADERS)


@post("/account/confirm/resend", **access.signed_in(), include_in_schema=False)
async def confirm_resend(request: Request, db_session: NamedDependency[AsyncSession],
                         settings: NamedDependency[Settings]) -> Template:
    """Mail a new confirmation link (rate limited; a 429 shows in the flash area)."""
    person = await confirmation.resend_confirmation(db_session, settings, access.principal_of(request).person_id)
    return page(request, "auth/resent.html", {"sent_to": person.email}, block="confirm_banner")


handlers = [signin_page, signin_submit, signup_page, signup_submit, signout_submit, confirm_page, confirm_submit,
            confirm_resend, reset_request_page, reset_request_submit, reset_page, reset_submit]
