"""A real third-party client drives the issuer: the Node script tests/node/oid4vci_wallet.mjs, built on
@openid4vc/openid4vci, receives a badge from a live skillpass server (uvicorn) through the pre-authorized
code flow, with and without tx_code, in each format (ldp_vc, jwt_vc_json, dc+sd-jwt), with a did:key
(Ed25519), did:jwk or jwk (P-256) key of its own. skillpass's verifier then checks the credential and
that it is bound to that holder, and the Digital Bazaar verifier (tests/node/verify_ldp.mjs) checks the
ldp_vc copies too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from credentials.vc.jwt import jwt_document, parse_jwt
from credentials.oid4vci.sd_jwt_check import verify_sd_jwt
from credentials.verification import check
from tests.conftest import TEST_PASSWORD
from tests.credentials.live_server import free_port, serve_live
from tests.credentials.oid4vci.conftest import LEARNER, learner_with_badge

ROOT = Path(__file__).resolve().parents[3]
NODE_DIR = ROOT / "tests" / "node"
WALLET = NODE_DIR / "oid4vci_wallet.mjs"
CLIENT = NODE_DIR / "node_modules" / "@openid4vc" / "openid4vci"
CONTEXTS = ROOT / "credentials" / "vc" / "data" / "contexts"

pytestmark = pytest.mark.slow


@pytest.fixture
async def live_server(settings, tmp_path):
    """skillpass served by uvicorn on the test database, with the test secrets (issuer keys decrypt)."""
    if shutil.which("node") is None or not CLIENT.exists():
        if os.environ.get("REQUIRE_NODE"):
            pytest.fail("node and tests/node/node_modules are required (REQUIRE_NODE=1)")
        pytest.skip("node or tests/node/node_modules missing (tests/setup_env.py runs npm ci --prefix tests/node)")
    port = free_port()
    async with serve_live(settings, tmp_path, port=port, base_url=f"http://127.0.0.1:{port}") as base:
        yield base


async def offer_from_live_server(base: str, held_id: str, tx_code: bool) -> dict:
    """The learner signs in on the live server and presses "send to my wallet app" (the API behind it)."""
    async with httpx.AsyncClient(base_url=base, timeout=10.0) as learner:
        csrf = {"x-csrftoken": (await learner.get("/api/v1/auth/csrf")).json()["csrf_token"]}
        signed_in = await learner.post("/api/v1/auth/signin", headers=csrf,
                                       json={"email": LEARNER, "password": TEST_PASSWORD})
        assert signed_in.status_code == 200, signed_in.text
        response = await learner.post(f"/api/v1/me/credentials/{held_id}/oid4vci-offer", json={"tx_code": tx_code},
                                      headers={"x-csrftoken": learner.cookies.get("skillpass_csrf", "")})
        assert response.status_code == 201, response.text
        return response.json()


def run_wallet(offer: dict, configuration: str, method: str) -> dict:
    done = subprocess.run(["node", str(WALLET), offer["offer_uri"], offer["tx_code"] or "-", configuration, method],
                          cwd=NODE_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(("fmt", "configuration", "method", "tx_code"), [
    ("ldp", "OpenBadgeCredential_ldp_vc", "did:key", True),
    ("ldp", "OpenBadgeCredential_ldp_vc", "did:jwk", False),
    ("jwt", "OpenBadgeCredential_jwt_vc_json", "did:jwk", True),
    ("jwt", "OpenBadgeCredential_jwt_vc_json", "did:key", False),
    ("ldp", "OpenBadgeCredential_dc_sd_jwt", "jwk", True),
    ("jwt", "OpenBadgeCredential_dc_sd_jwt", "did:key", False),
])
async def test_the_openid4vc_client_receives_a_bound_badge_that_verifies(
        client, db, settings, live_server, tmp_path, fmt, configuration, method, tx_code) -> None:
    learner = await learner_with_badge(client, fmt=fmt)
    offer = await offer_from_live_server(live_server, learner["held"]["id"], tx_code)
    received = run_wallet(offer, configuration, method)
    assert received["tx_code_asked"] is tx_code
    if configuration.endswith("dc_sd_jwt"):
        await check_sd_jwt(db, settings, received)
    else:
        await check_w3c(db, settings, received, learner, method, tmp_path)

    # the offer is spent: the same link gives the client nothing the second time
    again = subprocess.run(["node", str(WALLET), offer["offer_uri"], offer["tx_code"] or "-", configuration, method],
                           cwd=NODE_DIR, capture_output=True, text=True, timeout=120)
    assert again.returncode != 0


async def check_sd_jwt(db, settings, received: dict) -> None:
    result, claims = await verify_sd_jwt(db, settings, received["credential"])
    assert result.verified, result.to_dict()
    assert claims["cnf"]["jwk"] == received["holder_jwk"]  # bound to the wallet's own key
    assert claims["achievement"]["alignment"] and claims["vct"].endswith("/oid4vci/vct/OpenBadgeCredential")


def digital_bazaar_verifies(credential: dict, folder: Path) -> dict:
    """The Digital Bazaar verifier's verdict on an ldp_vc (tests/node/verify_ldp.mjs)."""
    path = folder / "received.json"
    path.write_text(json.dumps(credential), encoding="utf-8")
    done = subprocess.run(["node", "verify_ldp.mjs", str(CONTEXTS), str(path)], cwd=NODE_DIR, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


async def check_w3c(db, settings, received: dict, learner: dict, method: str, folder: Path) -> None:
    credential = received["credential"]
    assert received["holder_did"].startswith(method + ":")
    if isinstance(credential, str):
        document = jwt_document(parse_jwt(credential)[1])[1]
    else:
        document = credential
        assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
        assert digital_bazaar_verifies(credential, folder) == {"verified": True, "error": None}
        altered = {**credential, "name": "Something else"}
        assert digital_bazaar_verifies(altered, folder)["verified"] is False
    assert document["credentialSubject"]["id"] == received["holder_did"]  # bound to the wallet's own key
    original = learner["issued"]["credential"]
    original = jwt_document(parse_jwt(original)[1])[1] if isinstance(original, str) else original
    assert document["credentialStatus"] == original["credentialStatus"]
    checked = await check(db, settings, credential)
    assert checked.result.verified, checked.to_dict()
    assert checked.trust["status"] == "trusted"
