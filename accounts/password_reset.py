"""Password reset by mail: a one-time link to set a new password, which also confirms the address and
ends the account's other sessions.

Asking answers alike for every address. A known one gets the link (256 random bits, only the SHA-256
stored, one use, for ``TOKEN_LIFETIME``); an unknown one gets a mail saying that no account has the
address. That mail is sent rather than nothing because the mail is sent before the response ends
(``accounts.outbox``): with nothing to send, an unknown address would answer an SMTP round trip
sooner, and the time would tell who has an account. Sign-up mails unknown addresses too, under the
same kind of throttle, so this opens no new way to send mail to strangers.

Setting the password proves the mailbox, so it confirms the address (running the confirmation hooks)
and moves the person's ``session_generation`` on: every session started before no longer resolves to
the person (``AccountService.principal_for_person``). Nothing else is revoked (API keys, memberships).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from accounts import confirmation, outbox, security
from accounts.confirmation import bilingual_message, hash_token
from accounts.models import PasswordReset, Person
from accounts.service import is_email, normalize_email, password_errors
from core.db import utcnow
from core.errors import InvalidInput
from core.settings import Settings

TOKEN_LIFETIME = timedelta(hours=1)
INVALID_LINK = ("This password reset link cannot be used: it was used already, has expired or is incomplete. "
                "Ask for a new one.")

_LINK = {
    "ja": ("【skillpass】パスワードの再設定",
           "メールアドレス {email} の skillpass アカウントについて、パスワードの再設定を受け付けました。\n"
           "次のリンクを開き、新しいパスワードを設定してください。\n\n"
           "{link}\n\n"
           "リンクは 1 時間有効で、一度だけ使えます。設定すると、このメールアドレスは確認済みになり、"
           "ほかの端末でのログインはすべて終了します。\n"
           "お心当たりのない場合は、このメールを無視してください（パスワードは変わりません）。"),
    "en": ("skillpass: reset your password",
           "Someone asked to reset the password of the skillpass account for {email}.\n"
           "Open this link to choose a new password:\n\n"
           "{link}\n\n"
           "The link works once, for 1 hour. Setting a new password also confirms this address and signs "
           "out every other session of the account.\n"
           "If this was not you, ignore this mail (your password stays as it is)."),
}
_NO_ACCOUNT = {
    "ja": ("【skillpass】パスワードの再設定",
           "メールアドレス {email} について skillpass のパスワード再設定を受け付けましたが、"
           "このアドレスのアカウントはありません。\n"
           "別のアドレスで登録した場合は、そのアドレスでもう一度お試しください。新しく登録する場合はこちら:\n\n"
           "{link}\n\n"
           "お心当たりのない場合は、このメールを無視してください。"),
    "en": ("skillpass: reset your password",
           "Someone asked to reset the skillpass password for {email}, but no account has this address.\n"
           "If you signed up with another address, try that one. To sign up:\n\n"
           "{link}\n\n"
           "If this was not you, ignore this mail."),
}


@dataclass(frozen=True)
class PasswordSet:
    """The outcome of a reset: the person (signed in next) and what confirming the address did."""

    person: Person
    outcomes: dict[str, Any] = field(default_factory=dict)


def reset_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/account/reset?token={token}"


async def request_reset(session: AsyncSession, settings: Settings, email: str, lang: str = "ja") -> None:
    """Mail a reset link to the account of ``email``, or a "no account" note to an unknown address.
    The caller counts the attempt first (``accounts.throttle.password_reset_attempt``)."""
    email = normalize_email(email)
    if not is_email(email):
        return  # not an address: nothing to mail, and the answer is the same
    person = (await session.execute(select(Person).where(Person.email == email))).scalar_one_or_none()
    if person is None or not person.is_active:
        signup = f"{settings.base_url.rstrip('/')}/signup"
        await outbox.enqueue(session, settings, bilingual_message(settings, email, lang, _NO_ACCOUNT, {"link": signup}))
        return
    token = confirmation.new_token()
    now = utcnow()
    session.add(PasswordReset(person_id=person.id, email=person.email, token_hash=hash_token(token),
                              created_at=now, expires_at=now + TOKEN_LIFETIME))  # flushed with the mail
    link = reset_link(settings, token)
    await outbox.enqueue(session, settings, bilingual_message(settings, person.email, person.lang, _LINK,
                                                              {"link": link}), link=link)


async def set_new_password(session: AsyncSession, token: str, new_password: str) -> PasswordSet:
    """Use a reset token once: set the password, confirm the address, end the person's sessions.
    A short password is refused before the token is used, so the link still works after the fix."""
    errors = password_errors(new_password, "new_password")
    if errors:
        raise InvalidInput(errors[0]["message"], field="new_password", errors=errors)
    row = None
    if token and len(token) <= 200:
        row = (await session.execute(
            select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))).scalar_one_or_none()
    now = utcnow()
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidInput(INVALID_LINK, field="token")
    # Conditional update: of two requests racing with one token, only one sees a row change.
    used = await session.execute(
        update(PasswordReset).where(PasswordReset.id == row.id, PasswordReset.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    await session.execute(  # the person's other outstanding links go with it
        update(PasswordReset).where(PasswordReset.person_id == row.person_id, PasswordReset.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    person = await session.get(Person, row.person_id)
    if used.rowcount != 1 or person is None or person.email != row.email or not person.is_active:
        raise InvalidInput(INVALID_LINK, field="token")
    person.password_hash = security.hash_password(new_password)
    person.session_generation += 1
    outcomes = {} if person.email_confirmed_at else await confirmation.mark_confirmed(session, person)
    await session.flush()
    return PasswordSet(person, outcomes)


async def sweep_lapsed_links(engine: AsyncEngine) -> int:
    """Delete reset links that expired (used or not): they can do nothing, and they say who asked when."""
    async with engine.begin() as conn:
        gone = await conn.execute(delete(PasswordReset).where(PasswordReset.expires_at <= utcnow()))
    return gone.rowcount or 0
