"""Outgoing mail: SMTP through aiosmtplib or, in development and test without an SMTP host, one ``.eml``
file per message under ``{data_dir}/outbox/``.

Outside development and test the settings refuse to load without ``SKILLPASS_SMTP_HOST``, so a
production server never silently drops a confirmation mail. The SMTP password is a ``SecretStr`` and is
never logged; neither are message bodies (they carry one-time links).
"""

from __future__ import annotations

import logging
import time
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

import aiosmtplib

from core.errors import DomainError
from core.settings import Settings

log = logging.getLogger("skillpass.mail")


class MailNotSent(DomainError):
    status_code = 503
    title = "Mail not sent"
    type_slug = "mail-not-sent"


def outbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "outbox"


def build_message(settings: Settings, to: str, subject: str, text: str) -> EmailMessage:
    """A plain-text UTF-8 message from the platform's sender."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    sender_domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "skillpass.localhost"
    message["Message-ID"] = make_msgid(domain=sender_domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text, charset="utf-8")
    return message


async def send(settings: Settings, message: EmailMessage, *, link: str | None = None) -> None:
    """Send ``message``; ``link`` (the one thing the reader must open) is logged in development only."""
    if settings.smtp_host:
        await _send_smtp(settings, message)
        return
    if settings.environment not in {"development", "test"}:
        raise MailNotSent("No SMTP server is configured (SKILLPASS_SMTP_HOST).")
    path = _write_outbox(settings, message)
    if settings.environment == "development":
        log.info("mail written to %s%s", path, f"; link: {link}" if link else "")


async def _send_smtp(settings: Settings, message: EmailMessage) -> None:
    password = settings.smtp_password.get_secret_value()
    try:
        await aiosmtplib.send(
            message, hostname=settings.smtp_host, port=settings.smtp_port,
            username=settings.smtp_username or None, password=password or None,
            use_tls=settings.smtp_tls, start_tls=settings.smtp_starttls and not settings.smtp_tls,
            timeout=settings.smtp_timeout,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        log.warning("mail not sent through %s:%s: %s", settings.smtp_host, settings.smtp_port, type(exc).__name__)
        raise MailNotSent("The mail could not be sent just now; try again in a few minutes.") from None


def _write_outbox(settings: Settings, message: EmailMessage) -> Path:
    folder = outbox_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
    # Written under a temporary name and renamed, so a reader never sees half a message.
    partial = folder / f".{name}.part"
    partial.write_bytes(message.as_bytes())
    return partial.rename(folder / name)
