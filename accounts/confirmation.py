"""Email confirmation: a one-time link mailed at sign-up (and again on request), the mail a sign-up with an
address that already has an account gets instead, and what confirming does.

Confirming takes the account's password with the token: whoever signed up chose it. Otherwise someone
who signed up with another person's address and a password of their own would have the owner confirm
(and use) an account whose password they still know; now the owner, not knowing it, resets it by mail
(``accounts.password_reset``), which ends the other person's sessions.

A token carries 256 random bits and only its SHA-256 is stored, so the database alone confirms nothing.
A link works once, for ``confirm_token_hours``. Confirming runs the ``on_email_confirmed`` hooks in the
same transaction: that is when credentials issued to the address move into the wallet, because before
it anyone could have signed up with someone else's address.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from accounts.hooks import run_email_confirmed_hooks
from accounts import outbox, security
from accounts.models import EmailConfirmation, Person
from core import mail
from core.db import utcnow
from core.errors import Conflict, InvalidInput, NotFound, RateLimited
from core.settings import Settings

TOKEN_BYTES = 32
RESEND_WINDOW = timedelta(hours=1)
INVALID_LINK = ("This confirmation link cannot be used: it was used already, has expired or is incomplete. "
                "Sign in and ask for a new confirmation mail.")
WRONG_PASSWORD = ("This is not the password chosen at sign-up. Forgot it? Reset it with the link on the "
                  "sign-in page.")

_TEXT = {
    "ja": ("【skillpass】メールアドレスの確認",
           "skillpass にご登録いただきありがとうございます。\n"
           "次のリンクを開き、表示されるボタンを押して、メールアドレス {email} を確認してください。\n\n"
           "{link}\n\n"
           "確認には、登録時に決めたパスワードが必要です。リンクは {hours} 時間有効で、一度だけ使えます。"
           "確認すると、このアドレス宛てに発行された証明書がスキルウォレットに入ります。\n"
           "登録時に決めたパスワードをお忘れの場合は、こちらから再設定してください: {reset}\n"
           "ご自身で登録していない場合は、このメールを無視してください。"),
    "en": ("skillpass: confirm your email address",
           "Thank you for signing up for skillpass.\n"
           "Open this link and press the button on the page to confirm your email address {email}:\n\n"
           "{link}\n\n"
           "Confirming asks for the password chosen at sign-up. The link works once, for {hours} hours. "
           "Once confirmed, credentials issued to this address move into your skill wallet.\n"
           "Forgot the password you chose? Reset it: {reset}\n"
           "If you did not sign up, ignore this mail."),
}
# A sign-up with an address that has an account: the page answered as for a new one, this mail says it.
_EXISTS = {
    "ja": ("【skillpass】このアドレスのアカウントは登録済みです",
           "メールアドレス {email} で skillpass への登録がありましたが、このアドレスのアカウントは既にあります。\n"
           "アカウントは変更していません（パスワードもそのままです）。次のページからログインしてください。\n\n"
           "{link}\n\n"
           "パスワードをお忘れの場合は、こちらから再設定してください: {reset}\n"
           "お心当たりのない場合は、このメールを破棄してください。"),
    "en": ("skillpass: you already have an account",
           "Someone signed up for skillpass with the address {email}, which already has an account.\n"
           "Nothing was changed (your password neither). Sign in here:\n\n"
           "{link}\n\n"
           "Forgot your password? Reset it: {reset}\n"
           "If this was not you, please ignore this mail."),
}


@dataclass(frozen=True)
class Confirmed:
    """The outcome of confirming: the person and what the hooks did (e.g. claimed credentials)."""

    person: Person
    outcomes: dict[str, Any] = field(default_factory=dict)

    @property
    def claimed_credentials(self) -> int:
        return int(self.outcomes.get("claimed_credentials", 0))


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def confirmation_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/account/confirm?token={token}"


def reset_request_link(settings: Settings) -> str:
    return f"{settings.base_url.rstrip('/')}/password-reset"


def confirmation_message(settings: Settings, person: Person, link: str):
    """The mail in the person's language first and the other one below (no name: it is user-chosen text)."""
    return _bilingual(settings, person, _TEXT, {"link": link, "hours": settings.confirm_token_hours,
                                                "reset": reset_request_link(settings)})


def account_exists_message(settings: Settings, person: Person):
    """The mail for a sign-up with the address of an existing account: sign in, or ignore it."""
    return _bilingual(settings, person, _EXISTS, {"link": f"{settings.base_url.rstrip('/')}/signin",
                                                  "reset": reset_request_link(settings)})


def _bilingual(settings: Settings, person: Person, texts: dict, values: dict):
    return bilingual_message(settings, person.email, person.lang, texts, values)


def bilingual_message(settings: Settings, email: str, lang: str, texts: dict, values: dict):
    """A plain-text mail to ``email``: ``lang`` first, the other language below."""
    first = lang if lang in texts else "ja"
    order = [first, "en" if first == "ja" else "ja"]
    values = {"email": email, **values}
    subject = " / ".join(texts[lang][0] for lang in order)
    body = "\n\n----------\n\n".join(texts[lang][1].format(**values) for lang in order)
    return mail.build_message(settings, email, subject, body + "\n\n-- \nskillpass\n")


async def send_confirmation(session: AsyncSession, settings: Settings, person: Person) -> None:
    """Mail a new one-time link to the person's address (rate limited per account; sent after commit)."""
    await _check_send_rate(session, settings, person.id)
    token = new_token()
    now = utcnow()
    session.add(EmailConfirmation(person_id=person.id, email=person.email, token_hash=hash_token(token),
                                  created_at=now, expires_at=now + timedelta(hours=settings.confirm_token_hours)))
    await session.flush()
    link = confirmation_link(settings, token)
    await outbox.enqueue(session, settings, confirmation_message(settings, person, link), link=link)


async def send_account_exists(session: AsyncSession, settings: Settings, person: Person) -> None:
    """Tell the owner of an address that someone signed up with it (sent after commit)."""
    await outbox.enqueue(session, settings, account_exists_message(settings, person))


async def resend_confirmation(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> Person:
    """A new confirmation mail for a signed-in person whose address is not confirmed yet."""
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound("No such person.")
    if person.email_confirmed_at is not None:
        raise Conflict("Your email address is already confirmed.", field="email")
    await send_confirmation(session, settings, person)
    return person


async def _check_send_rate(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> None:
    # Counted from the tokens table, so the limit holds across server processes and restarts.
    since = utcnow() - RESEND_WINDOW
    count, oldest = (await session.execute(
        select(func.count(), func.min(EmailConfirmation.created_at))
        .where(EmailConfirmation.person_id == person_id, EmailConfirmation.created_at > since))).one()
    if count >= settings.confirm_mails_per_hour:
        retry_after = max(1, int((oldest + RESEND_WINDOW - utcnow()).total_seconds()) + 1)
        raise RateLimited(f"At most {settings.confirm_mails_per_hour} confirmation mails per hour; "
                          "try again later.", extra={"retry_after": retry_after})


async def confirm_email(session: AsyncSession, token: str, password: str) -> Confirmed:
    """Use a token once, with the account's password: confirm the address it was sent to and run the
    hooks. Every bad token reads the same, so a guess learns nothing about which tokens or accounts
    exist; a wrong password leaves the token usable (the route's ``code_entry`` throttle counts tries)."""
    row = None
    if token and len(token) <= 200:
        row = (await session.execute(
            select(EmailConfirmation).where(EmailConfirmation.token_hash == hash_token(token)))).scalar_one_or_none()
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidInput(INVALID_LINK, field="token")
    owner = await session.get(Person, row.person_id)
    if owner is None or not security.verify_password(owner.password_hash, password):
        raise InvalidInput(WRONG_PASSWORD, field="password")
    # Conditional update: of two requests racing with one token, only one sees a row change.
    used = await session.execute(
        update(EmailConfirmation).where(EmailConfirmation.id == row.id, EmailConfirmation.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    person = await session.get(Person, row.person_id)
    if used.rowcount != 1 or person is None or person.email != row.email:
        raise InvalidInput(INVALID_LINK, field="token")
    if person.email_confirmed_at is not None:
        return Confirmed(person)
    return Confirmed(person, await mark_confirmed(session, person))


async def mark_confirmed(session: AsyncSession, person: Person) -> dict[str, Any]:
    """Record the address as confirmed, retire its other links and run the hooks (their outcomes)."""
    now = utcnow()
    person.email_confirmed_at = now
    await session.execute(
        update(EmailConfirmation).where(EmailConfirmation.person_id == person.id, EmailConfirmation.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    await session.flush()
    return await run_email_confirmed_hooks(session, person)


async def sweep_lapsed_links(engine: AsyncEngine) -> int:
    """Delete confirmation links that can do nothing any more (expired, or used) once they are out of
    the resend window that counts them: they only say who signed up when."""
    now = utcnow()
    async with engine.begin() as conn:
        gone = await conn.execute(delete(EmailConfirmation).where(
            EmailConfirmation.created_at <= now - RESEND_WINDOW,
            or_(EmailConfirmation.expires_at <= now, EmailConfirmation.used_at.is_not(None))))
    return gone.rowcount or 0
