"""Bulk issue on a 375 px phone (issue 17): the step indicator follows the flow, the result table becomes
cards whose status and error stay inside the screen, the failed lines re-run as a new batch, and every
state change confirms itself in the status region."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

PROVIDER = "provider@demo.skillpass.jp"
CSV = "recipient_email,recipient_name\nphone-one@example.jp,One\nnot-an-email,Two\n"


def current_step(page) -> str:
    return page.locator('ol.steps li[aria-current="step"]').inner_text()


def test_bulk_issue_at_phone_width(visit) -> None:
    tab = visit(lang="en", viewport=PHONE)
    tab.sign_in(PROVIDER)
    page = tab.page
    nav = page.get_by_role("navigation", name="Main menu")
    expect(nav.get_by_role("link", name="Console", exact=True)).to_have_attribute("href", "/console")
    base = nav.get_by_role("link", name="Provider console").get_attribute("href")
    tab.goto(f"{base}/batches/new", "bulk-new")
    assert current_step(page) == "Upload a CSV file"
    expect(page.get_by_role("link", name="Download the CSV template")).to_have_attribute(
        "href", f"{base}/batches/template.csv")
    page.locator("#f-achievement_id").select_option(index=1)
    page.get_by_label("Or paste the CSV").fill(CSV)
    page.get_by_role("button", name="Check the lines").click()
    expect(page.get_by_text("1 line has a problem and would be skipped.")).to_be_visible()
    expect(page.get_by_text("1 credential would be issued.")).to_be_visible()
    assert current_step(page).startswith("Check the lines")
    tab.snap("bulk-dry-run")
    page.get_by_role("button", name="Issue 1 credential", exact=True).click()
    page.wait_for_url(re.compile(r"/batches/[0-9a-f-]{36}$"))
    expect(page.locator("#flash")).to_contain_text("Bulk issue started")
    expect(page.get_by_text("Finished: 1 issued, 1 failed.")).to_be_visible(timeout=30_000)
    assert current_step(page) == "Result"
    failed = page.locator("#batch_rows tbody tr", has_text="not-an-email")
    expect(failed).to_be_visible()
    result = failed.locator("td").last
    expect(result).to_contain_text("failed")
    box = result.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    tab.snap("bulk-result-phone")
    expect(page.get_by_role("link", name="Export the results as CSV")).to_be_visible()
    page.get_by_role("button", name="Re-run only the failed line").click()
    page.wait_for_url(re.compile(r"/batches/[0-9a-f-]{36}$"))
    expect(page.locator("#flash p")).to_have_text("A new batch of the failed lines has started (lines: 1).")
    expect(page.get_by_text("Finished: 0 issued, 1 failed.")).to_be_visible(timeout=30_000)
    expect(page.locator("#batch_rows tbody tr")).to_have_count(1)
    tab.snap("bulk-rerun-phone")
    assert not tab.errors, tab.errors
