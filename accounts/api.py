"""JSON API of the accounts domain: sign-up/in/out, the caller, organizations, members, API keys."""

from __future__ import annotations

import uuid

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED
from litestar.utils.scope.state import ScopeState
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access, confirmation, password_reset
from accounts.deps import provide_accounts, provide_principal, provide_throttle
from accounts.middleware import CSRF_SESSION_KEY, LOGIN_FORM_OPT, SESSION_GENERATION_KEY, SESSION_PERSON_KEY
from accounts.sessions import rotate_session
from accounts.principal import Principal
from accounts.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    ConfirmationSent,
    ConfirmEmail,
    EmailConfirmedRead,
    MeRead,
    MemberAdd,
    MembershipRead,
    OrgCreate,
    OrgRead,
    PasswordResetAccepted,
    PasswordResetConfirm,
    PasswordResetRequest,
    PersonRead,
    SignIn,
    SignUp,
    SignUpAccepted,
)
from accounts.models import Person
from accounts.service import AccountService, normalize_email
from accounts.throttle import LoginThrottle, client_of, password_reset_attempt, pre_session_attempt, sign_up_attempt
from core.settings import Settings
from core.openapi import problem_responses


client_address = client_of


def start_session(request: Request, person: Person) -> None:
    """Sign the person in: a new session id (no fixation), the pre-session's CSRF secret kept, and the
    person's session generation (a password reset moves it on, which ends this session)."""
    rotate_session(request)
    request.set_session({SESSION_PERSON_KEY: str(person.id), SESSION_GENERATION_KEY: person.session_generation})


async def sign_up_person(request: Request, accounts: AccountService, data: SignUp) -> SignUpAccepted:
    """Count the attempt, then sign up; the answer is the same for a new and a known address."""
    await sign_up_attempt(request, accounts.session, data.email, client_address(request))
    email = await accounts.request_sign_up(data.email, data.password, data.display_name, data.lang,
                                         data.accept_terms)
    return SignUpAccepted(email=email)


async def confirm_and_sign_in(request: Request, db: AsyncSession, token: str,
                              password: str) -> confirmation.Confirmed:
    """Use the mailed token with the account's password, and sign its person in: the link proves control
    of the mailbox, the password that this is who signed up."""
    done = await confirmation.confirm_email(db, token, password)
    start_session(request, done.person)
    return done


async def request_password_reset(request: Request, db: AsyncSession, settings: Settings,
                                 data: PasswordResetRequest) -> PasswordResetAccepted:
    """Count the attempt, then mail a link (known address) or a note (unknown): the answer is the same."""
    await password_reset_attempt(request, db, data.email, client_address(request))
    await password_reset.request_reset(db, settings, data.email, data.lang)
    return PasswordResetAccepted(email=normalize_email(data.email))


async def reset_and_sign_in(request: Request, db: AsyncSession, token: str,
                            new_password: str) -> password_reset.PasswordSet:
    """Set the new password with the mailed token and sign in; every other session of the account ends."""
    done = await password_reset.set_new_password(db, token, new_password)
    start_session(request, done.person)
    return done


async def sign_in_person(request: Request, accounts: AccountService, throttle: LoginThrottle,
                         email: str, password: str) -> PersonRead:
    """Check the throttle and the password, then start a server-side session."""
    client = client_address(request)
    await throttle.check(accounts.session, email, client)
    person = await accounts.authenticate(email, password)
    await throttle.succeeded(accounts.session, email, client)
    start_session(request, person)
    return PersonRead.model_validate(person)


async def me_of(principal: Principal, accounts: AccountService) -> MeRead:
    person = await accounts.get_person(principal.person_id)
    return MeRead(
        person=PersonRead.model_validate(person),
        memberships=[MembershipRead(org_id=m.org_id, org_kind=m.org_kind, org_name=m.org_name, role=m.role)
                     for m in principal.memberships],
    )


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["accounts"]
    dependencies = {"accounts": Provide(provide_accounts), "throttle": Provide(provide_throttle, sync_to_thread=False)}

    @get("/csrf", responses=problem_responses(429), **access.public(**{LOGIN_FORM_OPT: True}))
    async def csrf(self, request: Request) -> dict[str, str]:
        """A CSRF token for sign-in and sign-up (starts a session that holds only its secret; a few new
        ones per address, 429 with Retry-After); send it as ``x-csrftoken`` with this response's cookies."""
        await pre_session_attempt(request, CSRF_SESSION_KEY)
        return {"csrf_token": ScopeState.from_scope(request.scope).csrf_token}

    @post("/signup", status_code=HTTP_202_ACCEPTED, responses=problem_responses(429),
          **access.public(**{LOGIN_FORM_OPT: True}))
    async def sign_up(self, request: Request, data: JSONBody[SignUp],
                      accounts: NamedDependency[AccountService]) -> SignUpAccepted:
        """Sign up a learner: 202 and a mail, whether or not the address has an account (a new one gets its
        confirmation link, which signs in; a known one a note). A few per email and per address (429)."""
        return await sign_up_person(request, accounts, data)

    @post("/signin", status_code=HTTP_200_OK, responses=problem_responses(401, 429), **access.public(**{LOGIN_FORM_OPT: True}))
    async def sign_in(self, request: Request, data: JSONBody[SignIn], accounts: NamedDependency[AccountService],
                      throttle: NamedDependency[LoginThrottle]) -> PersonRead:
        """Sign in with email and password (rate limited per email and address)."""
        return await sign_in_person(request, accounts, throttle, data.email, data.password)

    @post("/confirm", status_code=HTTP_200_OK, responses=problem_responses(429),
          **access.public(throttle="code_entry", **{LOGIN_FORM_OPT: True}))
    async def confirm(self, request: Request, data: JSONBody[ConfirmEmail],
                      db_session: NamedDependency[AsyncSession]) -> EmailConfirmedRead:
        """Confirm an email address with the token from the confirmation mail and the password chosen at
        sign-up, and sign in. A bad token: 422 ``field: "token"``; a wrong password: 422 ``field:
        "password"``, and the token stays usable (attempts are throttled, 429)."""
        done = await confirm_and_sign_in(request, db_session, data.token, data.password)
        return EmailConfirmedRead(email_confirmed=True, claimed_credentials=done.claimed_credentials)

    @post("/password-reset", status_code=HTTP_202_ACCEPTED, responses=problem_responses(429),
          **access.public(**{LOGIN_FORM_OPT: True}))
    async def password_reset(self, request: Request, data: JSONBody[PasswordResetRequest],
                             db_session: NamedDependency[AsyncSession],
                             settings: NamedDependency[Settings]) -> PasswordResetAccepted:
        """Ask for a password reset mail: 202 and the same body whether or not the address has an account
        (a known one gets a one-time link valid 1 hour). A few per email and per address (429)."""
        return await request_password_reset(request, db_session, settings, data)

    @post("/password-reset/confirm", status_code=HTTP_200_OK, responses=problem_responses(429),
          **access.public(throttle="code_entry", **{LOGIN_FORM_OPT: True}))
    async def password_reset_confirm(self, request: Request, data: JSONBody[PasswordResetConfirm],
                                     db_session: NamedDependency[AsyncSession]) -> PersonRead:
        """Set a new password with the token from the reset mail (works once): confirms the address, ends
        every other session of the account and signs in. A bad token: 422 ``field: "token"``."""
        done = await reset_and_sign_in(request, db_session, data.token, data.new_password)
        return PersonRead.model_validate(done.person)

    @post("/confirm/resend", status_code=HTTP_202_ACCEPTED, responses=problem_responses(409, 429),
          **access.signed_in())
    async def resend_confirmation(self, request: Request, db_session: NamedDependency[AsyncSession],
                                  settings: NamedDependency[Settings]) -> ConfirmationSent:
        """Mail a new confirmation link to the signed-in person (a few per hour; 429 with Retry-After)."""
        person = await confirmation.resend_confirmation(db_session, settings, access.principal_of(request).person_id)
        return ConfirmationSent(sent_to=person.email)

    @get("/me", **access.signed_in())
    async def me(self, request: Request, accounts: NamedDependency[AccountService]) -> MeRead:
        """The signed-in person (with ``email_confirmed``) and their organizations; the same as ``/api/v1/me``."""
        return await me_of(access.principal_of(request), accounts)

    @post("/signout", status_code=HTTP_200_OK, **access.signed_in())
    async def sign_out(self, request: Request) -> dict[str, bool]:
        """End the session."""
        request.clear_session()
        return {"signed_out": True}


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["accounts"]
    dependencies = {"accounts": Provide(provide_accounts), "principal": Provide(provide_principal, sync_to_thread=False)}

    @get("/", **access.signed_in())
    async def me(self, principal: NamedDependency[Principal], accounts: NamedDependency[AccountService]) -> MeRead:
        """The signed-in person and their organizations."""
        return await me_of(principal, accounts)


class OrgController(Controller):
    path = "/api/v1/orgs"
    tags = ["accounts"]
    dependencies = {"accounts": Provide(provide_accounts), "principal": Provide(provide_principal, sync_to_thread=False)}

    @post("/", status_code=HTTP_201_CREATED, responses=problem_responses(409, 429), **access.signed_in())
    async def create_org(self, data: JSONBody[OrgCreate], principal: NamedDependency[Principal], accounts: NamedDependency[AccountService]) -> OrgRead:
        """Create an employer or training-provider organization; the caller becomes its admin."""
        org = await accounts.found_org(principal.person_id, data.kind, data.slug, data.name_ja, data.name_en,
                                       url=data.url)
        return OrgRead.model_validate(org)

    @get("/{org_id:uuid}", **access.org_member("any", api_key=True))
    async def get_org(self, org_id: FromPath[uuid.UUID], accounts: NamedDependency[AccountService]) -> OrgRead:
        """One organization, for its members and its API keys."""
        return OrgRead.model_validate(await accounts.get_org(org_id))

    @get("/{org_id:uuid}/members", **access.org_member("any"))
    async def list_members(self, org_id: FromPath[uuid.UUID], accounts: NamedDependency[AccountService]) -> list[dict]:
        """Members of the organization with their roles."""
        return [{"person_id": str(p.id), "email": p.email, "display_name": p.display_name, "role": m.role}
                for m, p in await accounts.list_members(org_id)]

    @post("/{org_id:uuid}/members", status_code=HTTP_201_CREATED, **access.org_member("any", admin_only=True))
    async def add_member(self, org_id: FromPath[uuid.UUID], data: JSONBody[MemberAdd], accounts: NamedDependency[AccountService]) -> dict:
        """Add an existing account to the organization (organization admins)."""
        membership = await accounts.add_member(org_id, data.email, data.role)
        return {"person_id": str(membership.person_id), "role": membership.role}

    @get("/{org_id:uuid}/api-keys", **access.org_member("provider", admin_only=True))
    async def list_api_keys(self, org_id: FromPath[uuid.UUID], accounts: NamedDependency[AccountService]) -> list[ApiKeyRead]:
        """The organization's API keys (never the secrets)."""
        return [ApiKeyRead.model_validate(k) for k in await accounts.list_api_keys(org_id)]

    @post("/{org_id:uuid}/api-keys", status_code=HTTP_201_CREATED,
          **access.org_member("provider", admin_only=True))
    async def create_api_key(self, org_id: FromPath[uuid.UUID], data: JSONBody[ApiKeyCreate], principal: NamedDependency[Principal],
                             accounts: NamedDependency[AccountService]) -> ApiKeyCreated:
        """Create an API key; the secret is in this response only."""
        api_key, secret = await accounts.create_api_key(org_id, data.name, principal.person_id, data.scopes,
                                                        data.expires_at)
        return ApiKeyCreated(**ApiKeyRead.model_validate(api_key).model_dump(), key=secret)

    @delete("/{org_id:uuid}/api-keys/{key_id:uuid}", status_code=HTTP_200_OK,
            **access.org_member("provider", admin_only=True))
    async def revoke_api_key(self, org_id: FromPath[uuid.UUID], key_id: FromPath[uuid.UUID], accounts: NamedDependency[AccountService]) -> ApiKeyRead:
        """Revoke an API key at once."""
        return ApiKeyRead.model_validate(await accounts.revoke_api_key(org_id, key_id))


handlers = [AuthController, MeController, OrgController]
