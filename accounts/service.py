"""Account rules: sign-up, sign-in, organizations, memberships and API keys."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import confirmation, security
from accounts.hooks import run_sign_up_hooks
from accounts.models import ApiKey, Membership, Organization, Person
from accounts.principal import Membership as PrincipalMembership
from accounts.principal import Principal
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied, RateLimited
from core.settings import Settings

API_KEY_NAME_MAX = 100

log = logging.getLogger("skillpass.accounts")
ORG_WINDOW = timedelta(hours=24)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The version of the terms of use and privacy notice (/terms, /privacy) a sign-up accepts; a change of their
# content moves it on, so each person's record says which text they agreed to.
TERMS_VERSION = "2026-12-04"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def is_email(email: str) -> bool:
    return len(email) <= 320 and bool(_EMAIL.match(normalize_email(email)))


def password_errors(password: str, field: str = "password") -> list[dict[str, str]]:
    """The password rule of sign-up and password reset (empty when acceptable)."""
    if len(password) < security.MIN_PASSWORD_LENGTH:
        return [{"field": field, "message": f"Use at least {security.MIN_PASSWORD_LENGTH} characters."}]
    return []


def check_new_credentials(email: str, password: str, display_name: str | None = None,
                          accept_terms: bool | None = None) -> list[dict[str, str]]:
    """Field errors for a sign-up (empty when acceptable); the page and the API check the same. The public
    sign-up passes ``accept_terms``: it must be true."""
    errors = []
    if display_name is not None and not 0 < len(display_name.strip()) <= 200:
        errors.append({"field": "display_name", "message": "Enter a display name (at most 200 characters)."})
    if not is_email(email):
        errors.append({"field": "email", "message": "Enter a valid email address."})
    errors += password_errors(password)
    if accept_terms is False:
        errors.append({"field": "accept_terms", "message": "Accept the terms of use and the privacy notice."})
    return errors


class AccountService:
    """People, organizations and keys, on one database session (the caller commits). With ``settings``,
    sign-up mails a confirmation link and organization creation is rate limited by them."""

    def __init__(self, session: AsyncSession, settings: Settings | None = None) -> None:
        self.session = session
        self.settings = settings

    async def sign_up(self, email: str, password: str, display_name: str, lang: str = "ja",
                      *, is_admin: bool = False, confirmed: bool = False, terms_version: str | None = None) -> Person:
        """Create an account; ``confirmed`` only for accounts an operator vouches for (demo, create-admin);
        ``terms_version``: the terms the person accepted (stored with the time)."""
        errors = check_new_credentials(email, password)
        if errors:
            raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
        email = normalize_email(email)
        if await self.person_by_email(email):
            raise Conflict("An account with this email already exists.", field="email")
        person = Person(email=email, display_name=display_name.strip() or email, lang=lang,
                        password_hash=security.hash_password(password), is_admin=is_admin,
                        terms_version=terms_version, terms_accepted_at=utcnow() if terms_version else None)
        self.session.add(person)
        await self.session.flush()
        if confirmed:
            await confirmation.mark_confirmed(self.session, person)
        elif self.settings is not None:
            await confirmation.send_confirmation(self.session, self.settings, person)  # sent after commit
        await run_sign_up_hooks(self.session, person)
        return person

    async def request_sign_up(self, email: str, password: str, display_name: str, lang: str = "ja",
                              accept_terms: bool = False) -> str:
        """The public sign-up, answering alike whether or not the address has an account: a new address
        gets an account and its confirmation mail, a known one a mail saying so (its account untouched).
        Signs nobody in: the confirmation link does. Refused unless the terms are accepted. Returns the
        normalised address."""
        errors = check_new_credentials(email, password, display_name, accept_terms)
        if errors:
            raise InvalidInput(errors[0]["message"], field=errors[0]["field"], errors=errors)
        existing = await self.person_by_email(email)
        if existing is None:
            try:
                return (await self.sign_up(email, password, display_name, lang, terms_version=TERMS_VERSION)).email
            except IntegrityError:  # a concurrent sign-up of the same address won: it sends the mail
                await self.session.rollback()
                return normalize_email(email)
            except Conflict:  # a concurrent sign-up committed between the two look-ups: known from here on
                existing = await self.person_by_email(email)
                if existing is None:
                    raise
        security.hash_password(password)  # the same work as for a new account: the time tells nothing
        await confirmation.send_account_exists(self.session, self.settings, existing)
        return existing.email

    async def make_admin(self, email: str, new_password, name: str, *, promote: bool = False,
                         vouch: bool = False) -> tuple[Person, str]:
        """An operator's platform administrator: a new confirmed account, or (only with ``promote``) an
        existing one, which must be confirmed unless the operator vouches for its address (``vouch``).
        ``new_password`` is called only for a new account. Returns the person and "created", "promoted"
        or "unchanged"."""
        person = await self.person_by_email(email)
        if person is None:
            return await self.sign_up(email, new_password(), name, "ja", is_admin=True, confirmed=True), "created"
        if person.is_admin:
            return person, "unchanged"
        if not promote:
            raise Conflict("An account with this email exists; pass --promote to make it an administrator.",
                           field="email")
        if person.email_confirmed_at is None:
            if not vouch:
                raise PermissionDenied("That account's email is not confirmed; pass --confirm if you vouch for "
                                       "the address.", field="email")
            await confirmation.mark_confirmed(self.session, person)
        person.is_admin = True
        return person, "promoted"

    async def person_by_email(self, email: str) -> Person | None:
        result = await self.session.execute(select(Person).where(Person.email == normalize_email(email)))
        return result.scalar_one_or_none()

    async def get_person(self, person_id: uuid.UUID) -> Person:
        person = await self.session.get(Person, person_id)
        if person is None:
            raise NotFound("No such person.")
        return person

    async def authenticate(self, email: str, password: str) -> Person:
        person = await self.person_by_email(email)
        ok = security.verify_password(person.password_hash if person else None, password)
        if not ok or person is None or not person.is_active:
            raise NotAuthenticated("Email or password is not correct.")
        return person

    async def export_person(self, person_id: uuid.UUID) -> dict:
        """The account part of "export all my data" (never the password hash)."""
        person = await self.get_person(person_id)
        memberships = [{"org_id": str(m.org_id), "role": m.role} for m, _ in await self._memberships(person_id)]
        confirmed_at = person.email_confirmed_at.isoformat() if person.email_confirmed_at else None
        return {"id": str(person.id), "email": person.email, "display_name": person.display_name,
                "lang": person.lang, "created_at": person.created_at.isoformat(),
                "email_confirmed_at": confirmed_at, "memberships": memberships}

    async def delete_person(self, person_id: uuid.UUID) -> None:
        """Delete the account; memberships go with it. Refused while the person is an organization's only admin."""
        await self.check_deletable(person_id)
        await self.session.delete(await self.get_person(person_id))
        await self.session.flush()

    async def check_deletable(self, person_id: uuid.UUID) -> None:
        """Raise Conflict while the person is the only admin of an organization."""
        await self.get_person(person_id)
        for membership, org in await self._memberships(person_id):
            if membership.role != "admin":
                continue
            admins = await self.session.execute(
                select(Membership.id).where(Membership.org_id == org.id, Membership.role == "admin")
            )
            if len(admins.all()) == 1:
                raise Conflict(f"You are the only administrator of {org.name_en}; make someone else an "
                               "administrator first.", field="account")

    async def _memberships(self, person_id: uuid.UUID) -> list[tuple[Membership, Organization]]:
        rows = await self.session.execute(
            select(Membership, Organization).join(Organization, Organization.id == Membership.org_id)
            .where(Membership.person_id == person_id).order_by(Organization.name_en)
        )
        return [tuple(r) for r in rows.all()]

    async def set_lang(self, person_id: uuid.UUID, lang: str) -> None:
        person = await self.get_person(person_id)
        person.lang = lang

    async def principal_for_person(self, person_id: uuid.UUID, lang: str | None = None, *,
                                   generation: int = 0) -> Principal | None:
        """The person of a session started in ``generation`` (None once a password reset ended it)."""
        # one query on every signed-in request: the person and their memberships (none: one row of NULLs)
        rows = (await self.session.execute(
            select(Person, Membership.role, Organization)
            .outerjoin(Membership, Membership.person_id == Person.id)
            .outerjoin(Organization, Organization.id == Membership.org_id)
            .where(Person.id == person_id).order_by(Organization.name_en)
        )).all()
        person = rows[0][0] if rows else None
        if person is None or not person.is_active or person.session_generation != generation:
            return None
        memberships = tuple(
            PrincipalMembership(org.id, org.kind, role, org.name_ja if person.lang == "ja" else org.name_en)
            for _, role, org in rows if org is not None
        )
        return Principal(person_id=person.id, email=person.email, display_name=person.display_name,
                         is_admin=person.is_admin, memberships=memberships, lang=lang or person.lang,
                         email_confirmed=person.email_confirmed_at is not None)

    async def principal_for_api_key(self, key: str) -> Principal | None:
        row = await self.session.execute(
            select(ApiKey).where(ApiKey.key_hash == security.hash_api_key(key), ApiKey.revoked_at.is_(None))
        )
        api_key = row.scalar_one_or_none()
        if api_key is None or (api_key.expires_at is not None and api_key.expires_at <= utcnow()):
            return None  # an expired key is no key: 401
        # last_used_at is written after the response, in its own transaction (accounts.middleware):
        # an UPDATE here held the key's row lock for the whole request and serialised every caller.
        return Principal(api_key_org_id=api_key.org_id, api_key_id=api_key.id, lang="en",
                         api_key_used_at=api_key.last_used_at, api_key_scopes=frozenset(api_key.scopes.split()))

    async def create_org(self, kind: str, slug: str, name_ja: str, name_en: str, *,
                         admin_id: uuid.UUID | None, url: str | None = None) -> Organization:
        """Create an organization (operators: demo data, CLI). A person founding one goes through
        ``found_org``, which checks their email and their rate limit first."""
        existing = await self.session.execute(select(Organization).where(Organization.slug == slug))
        if existing.scalar_one_or_none():
            raise Conflict("That organization id is taken.", field="slug")
        org = Organization(kind=kind, slug=slug, name_ja=name_ja, name_en=name_en, url=url, created_by=admin_id)
        self.session.add(org)
        await self.session.flush()
        if admin_id is not None:
            self.session.add(Membership(org_id=org.id, person_id=admin_id, role="admin"))
            await self.session.flush()
        return org

    async def found_org(self, person_id: uuid.UUID, kind: str, slug: str, name_ja: str, name_en: str, *,
                        url: str | None = None) -> Organization:
        """A signed-in person creates an organization and becomes its admin (API and pages)."""
        await self._check_may_create_org(person_id)
        return await self.create_org(kind, slug, name_ja, name_en, admin_id=person_id, url=url)

    async def _check_may_create_org(self, person_id: uuid.UUID) -> None:
        """A confirmed email, and fewer than ``orgs_per_day`` organizations created in the last 24 hours."""
        # A no-op write to the person's row first: it takes that row's lock on PostgreSQL and the write
        # lock on SQLite, so one account's concurrent creations queue here and each counts the ones
        # committed before it. Counted from the database, the limit holds across server processes.
        await self.session.execute(update(Person).where(Person.id == person_id).values(is_active=Person.is_active)
                                   .execution_options(synchronize_session=False))
        person = await self.get_person(person_id)
        if person.email_confirmed_at is None:
            raise PermissionDenied("Confirm your email address before creating an organization: open the link "
                                   "in the confirmation mail, or ask for a new one.", field="email")
        limit = self.settings.orgs_per_day if self.settings else Settings.model_fields["orgs_per_day"].default
        since = utcnow() - ORG_WINDOW
        created = list((await self.session.execute(
            select(Organization.created_at).where(Organization.created_by == person_id, Organization.created_at > since)
            .order_by(Organization.created_at))).scalars())
        if len(created) >= limit:
            retry_after = max(1, int((created[0] + ORG_WINDOW - utcnow()).total_seconds()) + 1)
            raise RateLimited(f"At most {limit} new organizations per account in 24 hours; try again later.",
                              extra={"retry_after": retry_after})

    async def get_org(self, org_id: uuid.UUID) -> Organization:
        org = await self.session.get(Organization, org_id)
        if org is None:
            raise NotFound("No such organization.")
        return org

    async def org_by_slug(self, slug: str) -> Organization | None:
        result = await self.session.execute(select(Organization).where(Organization.slug == slug))
        return result.scalar_one_or_none()

    async def list_orgs(self, kind: str | None = None) -> list[Organization]:
        query = select(Organization).order_by(Organization.name_en)
        if kind:
            query = query.where(Organization.kind == kind)
        return list((await self.session.execute(query)).scalars())

    async def add_member(self, org_id: uuid.UUID, email: str, role: str = "member") -> Membership:
        await self.get_org(org_id)
        person = await self.person_by_email(email)
        if person is None:
            raise NotFound("No account with that email.", field="email")
        found = await self.session.execute(
            select(Membership).where(Membership.org_id == org_id, Membership.person_id == person.id)
        )
        membership = found.scalar_one_or_none()
        if membership is None:
            membership = Membership(org_id=org_id, person_id=person.id, role=role)
            self.session.add(membership)
        else:
            membership.role = role
        await self.session.flush()
        return membership

    async def list_members(self, org_id: uuid.UUID) -> list[tuple[Membership, Person]]:
        rows = await self.session.execute(
            select(Membership, Person).join(Person, Person.id == Membership.person_id)
            .where(Membership.org_id == org_id).order_by(Person.email)
        )
        return [tuple(r) for r in rows.all()]

    async def create_api_key(self, org_id: uuid.UUID, name: str, created_by: uuid.UUID | None,
                             scopes: list[str] | tuple[str, ...] = security.API_KEY_SCOPES,
                             expires_at: datetime | None = None) -> tuple[ApiKey, str]:
        """A new key of a provider, and its secret (shown once; only its hash is kept). The name is
        required and at most ``API_KEY_NAME_MAX`` characters, the scopes known, the expiry in the future
        (default a year): one rule for the console form and the API."""
        name = (name or "").strip()
        if not name:
            raise InvalidInput("A name is required.", field="name")
        if len(name) > API_KEY_NAME_MAX:
            raise InvalidInput(f"The name is longer than {API_KEY_NAME_MAX} characters.", field="name")
        chosen, expires_at = security.checked_scopes(scopes), security.checked_expiry(expires_at)
        org = await self.get_org(org_id)
        if org.kind != "provider":
            raise InvalidInput("Only training providers have API keys.", field="org_id")
        secret, prefix, digest = security.new_api_key()
        api_key = ApiKey(org_id=org_id, name=name, prefix=prefix, key_hash=digest, created_by=created_by,
                         scopes=chosen, expires_at=expires_at)
        self.session.add(api_key)
        await self.session.flush()
        return api_key, secret

    async def list_api_keys(self, org_id: uuid.UUID) -> list[ApiKey]:
        rows = await self.session.execute(
            select(ApiKey).where(ApiKey.org_id == org_id).order_by(ApiKey.created_at.desc())
        )
        return list(rows.scalars())

    async def revoke_api_key(self, org_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
        api_key = await self.session.get(ApiKey, key_id)
        if api_key is None or api_key.org_id != org_id:
            raise NotFound("No such API key in this organization.")
        if api_key.revoked_at is None:
            api_key.revoked_at = utcnow()
        return api_key
