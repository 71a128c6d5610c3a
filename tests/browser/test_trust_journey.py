"""Issuer trust in a real browser: the unverified demo provider asks to be verified, the platform admin
approves it, and the badge it had offered to a learner turns her skill verified without her doing
anything; the public verifier explains, in Japanese, why a look-alike badge is an impersonation."""

from __future__ import annotations

import copy
import json
import re

import pytest
from playwright.sync_api import expect

from accounts.corporate_number import check_digit
from credentials.documents import email_identity
from credentials.vc import generate_ed25519, sign_credential
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

DOJO_ADMIN = "dojo@demo.skillpass.jp"
PLATFORM_ADMIN = "admin@demo.skillpass.jp"
EMILY = "emily@demo.skillpass.jp"
DOJO_BADGE = "Python Bootcamp for Beginners"
DOJO_SKILL = "v2-backend"  # only the dojo's badge backs it in Emily's profile
BASE_NUMBER = "010401234567"
CORPORATE_NUMBER = f"{check_digit(BASE_NUMBER)}{BASE_NUMBER}"


def backend_status(tab) -> str | None:
    profile = tab.page.request.get(tab.base + "/api/v1/me/profile").json()
    return next((i["status"] for i in profile["items"] if i["skill_id"] == DOJO_SKILL), None)


def console_base(tab, name: str) -> str:
    return tab.page.get_by_role("navigation", name=re.compile("メインメニュー|Main menu")) \
        .get_by_role("link", name=name).get_attribute("href")


def test_provider_asks_admin_approves_and_the_learners_skill_turns_verified(visit) -> None:
    learner = visit(lang="en", viewport=PHONE, suffix="-learner")
    learner.sign_in(EMILY)
    learner.goto("/wallet/credentials", "offer-in-the-wallet")
    offer = learner.page.locator("li", has_text=DOJO_BADGE)
    expect(offer.get_by_text("Offered to you")).to_be_visible()
    expect(offer.get_by_text("Signature valid · issuer not recognised")).to_be_visible()
    assert backend_status(learner) is None  # an offer counts for nothing

    provider = visit(lang="ja", suffix="-provider")
    provider.sign_in(DOJO_ADMIN)
    base = console_base(provider, "発行者コンソール")
    provider.goto(base + "/verification", "verification-unverified")
    page = provider.page
    page.get_by_label("法人番号").fill(CORPORATE_NUMBER)
    page.get_by_label("Webドメイン").fill("coding-dojo.example.jp")
    page.get_by_role("button", name="確認を申請する").click()
    expect(page.locator(".verification-state")).to_contain_text("審査中")  # htmx follows the redirect
    page.wait_for_load_state("networkidle")
    provider.snap("verification-pending")
    assert not provider.errors, provider.errors

    admin = visit(lang="ja", suffix="-admin")
    admin.sign_in(PLATFORM_ADMIN)
    admin.goto("/admin?state=pending", "admin-pending")
    admin.page.get_by_role("link", name="新宿コーディング道場").click()
    admin.page.wait_for_load_state("networkidle")
    admin.snap("admin-organization")
    approve = admin.page.locator("form", has=admin.page.get_by_role("button", name="承認する"))
    approve.locator("textarea").fill("法人番号と Web ドメインを確認しました。")
    approve.get_by_role("button", name="承認する").click()
    admin.page.wait_for_load_state("networkidle")
    admin.snap("admin-approved")
    expect(admin.page.get_by_text("確認済み").first).to_be_visible()
    assert not admin.errors, admin.errors

    assert backend_status(learner) == "verified"  # nobody opened anything in between
    learner.goto("/wallet/credentials", "badge-now-vetted")
    expect(learner.page.locator("li", has_text=DOJO_BADGE).get_by_text("Valid · vetted issuer")).to_be_visible()
    expect(learner.page.locator("li", has_text=DOJO_BADGE).get_by_text("Offered to you")).to_have_count(0)
    assert not learner.errors, learner.errors


def test_the_public_verifier_explains_an_impersonation_in_japanese(visit) -> None:
    learner = visit(lang="ja")
    learner.sign_in("hanako@demo.skillpass.jp")
    held = learner.page.request.get(learner.base + "/api/v1/me/credentials").json()
    genuine_id = next(h["id"] for h in held if h["issuer_name"] == "東京デジタルアカデミー")
    genuine = learner.page.request.get(f"{learner.base}/api/v1/me/credentials/{genuine_id}").json()["document"]

    key = generate_ed25519()  # a brand-new did:key naming the demo academy, with a corporate designator
    forged = copy.deepcopy(genuine)
    forged.pop("proof"), forged.pop("credentialStatus", None)
    forged["issuer"] = {"id": key.public.did, "type": ["Profile"], "name": "株式会社東京デジタルアカデミー"}
    forged["credentialSubject"]["identifier"] = [email_identity("forger@example.jp")]
    forged = sign_credential(forged, key)

    for viewport, suffix in ((None, ""), (PHONE, "-phone")):
        tab = visit(lang="ja", **({"viewport": viewport} if viewport else {}), suffix=suffix)
        tab.goto("/verify", "verify-form")
        tab.page.get_by_label("貼り付け（JSON または VC-JWT）").fill(json.dumps(forged, ensure_ascii=False))
        tab.page.get_by_role("button", name="検証する").click()
        verdict = tab.page.locator(".verdict")
        expect(verdict).to_contain_text("なりすましの疑いがあります")
        expect(tab.page.locator("ol.checks")).to_contain_text("東京デジタルアカデミー")
        expect(tab.page.get_by_text("有効な証明書です")).to_have_count(0)
        tab.snap("verify-impersonation")
        assert not tab.errors, tab.errors
