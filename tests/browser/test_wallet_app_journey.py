""""Send to my wallet app" in a real browser: the learner opens a badge, makes the offer, sees the QR code,
the openid-credential-offer link and the code; then the third-party OpenID4VCI client (tests/node)
takes that very offer from the live server and receives the badge."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser
NODE_DIR = Path(__file__).resolve().parents[1] / "node"


def test_send_to_my_wallet_app_shows_the_qr_and_a_wallet_takes_the_offer(visit) -> None:
    learner = visit(lang="ja", viewport=PHONE)
    learner.sign_in()
    held = [h for h in learner.page.request.get(learner.base + "/api/v1/me/credentials").json()
            if h["source"] == "issued" and h["verified"]]
    learner.goto(f"/wallet/credentials/{held[0]['id']}", "credential")
    learner.page.get_by_role("link", name="ウォレットアプリに送る（OpenID4VCI）").click()
    learner.page.wait_for_load_state("networkidle")
    expect(learner.page.get_by_role("heading", name="ウォレットアプリに送る")).to_be_visible()
    learner.page.get_by_role("button", name="QR コードとリンクを作る").click()
    qr = learner.page.get_by_role("img", name="ウォレットアプリに証明書を送る QR コード")
    expect(qr).to_be_visible()
    expect(qr.locator("svg")).to_be_visible()
    learner.snap("offer-qr")
    link = learner.page.locator("#offer-url").input_value()
    code = learner.page.locator("#tx-code").inner_text().strip()
    assert link.startswith("openid-credential-offer://?credential_offer_uri=") and re.fullmatch(r"\d{6}", code)
    assert code not in link
    assert learner.axe_serious() == []
    assert not learner.errors, learner.errors

    if shutil.which("node") is None or not (NODE_DIR / "node_modules").exists():
        if os.environ.get("REQUIRE_NODE"):
            pytest.fail("node and tests/node/node_modules are required (REQUIRE_NODE=1)")
        return  # the browser half ran; the wallet half needs node (tests/setup_env.py installs the client)
    done = subprocess.run(["node", "oid4vci_wallet.mjs", link, code, "OpenBadgeCredential_ldp_vc", "did:key"],
                          cwd=NODE_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    received = json.loads(done.stdout.strip().splitlines()[-1])
    assert received["credential"]["credentialSubject"]["id"] == received["holder_did"]
    verified = learner.page.request.post(learner.base + "/api/v1/verify", data=received["credential"]).json()
    assert verified["verified"] is True
