"""Sign-up in Chromium: the form answers "check your mail" for a new and a known address alike, and the
link in the mailed .eml (the live server's development outbox), with the password chosen at sign-up,
confirms the address and signs in."""

from __future__ import annotations

import re
import time
from email import message_from_bytes, policy

import pytest

from tests.browser.conftest import LEARNER, LIVE

pytestmark = pytest.mark.browser
PASSWORD = "browser-signup-pw-1"


def _mail_to(address: str, seen: set, timeout: float = 10.0) -> str:
    """The text of the first new .eml addressed to ``address``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted((LIVE["data_dir"] / "outbox").glob("*.eml")):
            if path not in seen and f"To: {address}".encode() in path.read_bytes():
                seen.add(path)
                return message_from_bytes(path.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} within {timeout} s")


def _sign_up(tab, address: str) -> str:
    tab.goto("/signup", "signup")
    tab.page.get_by_label("Display name").fill("Browser Person")
    tab.page.get_by_label("Email").fill(address)
    tab.page.get_by_label("Password").fill(PASSWORD)
    tab.page.locator("#f-accept_terms").check()
    tab.page.locator("#signup_form button[type=submit]").click()
    tab.page.get_by_text("We sent a mail to").wait_for()
    tab.snap("check-your-mail")
    return tab.page.locator("main").inner_text().replace(address, "ADDRESS")


def test_sign_up_check_mail_follow_the_link_and_a_known_address_reads_the_same(visit) -> None:
    seen = set((LIVE["data_dir"] / "outbox").glob("*.eml")) if (LIVE["data_dir"] / "outbox").exists() else set()
    tab = visit(lang="en")
    new_page = _sign_up(tab, "browser-new@example.jp")
    assert tab.goto("/wallet").status == 401  # sign-up signed nobody in
    link = re.search(r"http://\S+/account/confirm\?token=\S+", _mail_to("browser-new@example.jp", seen)).group(0)
    tab.page.goto(link)
    tab.page.get_by_label("The password you chose at sign-up").fill(PASSWORD)
    tab.page.get_by_role("button", name="Confirm my email address").click()
    tab.page.get_by_text("is confirmed").wait_for()
    tab.snap("confirmed")
    assert tab.goto("/wallet").status == 200  # the link signed in

    known = visit(lang="en", suffix="-known")
    known_page = _sign_up(known, LEARNER)
    assert known_page == new_page  # nothing on the page tells the address has an account
    assert "already has an account" in _mail_to(LEARNER, seen)
    assert known.goto("/wallet").status == 401


def test_forgot_password_from_sign_in_sets_a_new_one_and_confirms_the_address(visit) -> None:
    seen = set((LIVE["data_dir"] / "outbox").glob("*.eml")) if (LIVE["data_dir"] / "outbox").exists() else set()
    tab = visit(lang="en", suffix="-reset")
    _sign_up(tab, "browser-reset@example.jp")
    _mail_to("browser-reset@example.jp", seen)  # the confirmation mail, left unopened
    tab.goto("/signin")
    tab.page.get_by_role("link", name="Forgot your password?").click()
    tab.page.get_by_label("Email").fill("browser-reset@example.jp")
    tab.page.get_by_role("button", name="Send the reset mail").click()
    tab.page.get_by_text("If the address has an account").wait_for()
    tab.snap("reset-mail-sent")
    link = re.search(r"http://\S+/account/reset\?token=\S+", _mail_to("browser-reset@example.jp", seen)).group(0)
    tab.page.goto(link)
    tab.page.get_by_label("New password").fill("browser-reset-pw-2")
    tab.page.get_by_role("button", name="Set the password").click()
    tab.page.get_by_text("is confirmed").wait_for()
    tab.snap("password-set")
    assert tab.goto("/wallet").status == 200  # signed in, and no confirmation banner any more
    assert tab.page.locator("#confirm_banner").count() == 0
