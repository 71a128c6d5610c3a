"""A real third-party wallet library answers an employer: tests/node/oid4vp_wallet.mjs, built on
@openid4vc/openid4vp, resolves the employer's openid4vp:// link against a live skillpass server (the
signed request object checked against the platform's did:web document), presents a badge it received
from skillpass through OpenID4VCI (tests/node/oid4vci_wallet.mjs, @openid4vc/openid4vci), and the
employer then sees it verified, with only what was disclosed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import httpx
import pytest

from tests.conftest import TEST_PASSWORD
from tests.credentials.live_server import free_port, serve_live
from tests.credentials.oid4vci.conftest import learner_with_badge
from tests.credentials.oid4vci.test_third_party_wallet import CLIENT, NODE_DIR, WALLET, offer_from_live_server
from tests.credentials.oid4vp.conftest import PURPOSE
from tests.credentials.conftest import SKILL

PRESENTER = NODE_DIR / "oid4vp_wallet.mjs"
pytestmark = pytest.mark.slow


@pytest.fixture
async def live(settings, tmp_path):
    """skillpass served by uvicorn on the test database with the test app's own base URL (so the status
    lists and did:web of the badges issued in-process are its own); the Node wallets reach it through
    HOST_MAP (tests/node/host_map.mjs), as /etc/hosts would. Yields (the URL to call, the HOST_MAP)."""
    if shutil.which("node") is None or not CLIENT.exists() or not (NODE_DIR / "node_modules/@openid4vc/openid4vp").exists():
        if os.environ.get("REQUIRE_NODE"):
            pytest.fail("node and tests/node/node_modules are required (REQUIRE_NODE=1)")
        pytest.skip("node or tests/node/node_modules missing (tests/setup_env.py runs npm ci --prefix tests/node)")
    async with serve_live(settings, tmp_path, port=free_port(), base_url=settings.base_url) as url:
        yield url, f"{settings.base_url}={url}"


def receive(offer: dict, configuration: str, method: str, key_file, host_map: str) -> dict:
    """The third-party OpenID4VCI client receives the badge and keeps its holder key in ``key_file``."""
    done = subprocess.run(["node", str(WALLET), offer["offer_uri"], offer["tx_code"] or "-", configuration, method],
                          cwd=NODE_DIR, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOLDER_KEY_OUT": str(key_file), "HOST_MAP": host_map})
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def present(link: str, key_file, credential_file, fmt: str, host_map: str) -> dict:
    done = subprocess.run(["node", str(PRESENTER), link, str(key_file), str(credential_file), fmt], cwd=NODE_DIR,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "HOST_MAP": host_map})
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


async def sign_in_employer(session: httpx.AsyncClient) -> None:
    """The employer's member signs in on the live server."""
    csrf = {"x-csrftoken": (await session.get("/api/v1/auth/csrf")).json()["csrf_token"]}
    signed_in = await session.post("/api/v1/auth/signin", headers=csrf,
                                   json={"email": "hr@sakura.example.jp", "password": TEST_PASSWORD})
    assert signed_in.status_code == 200, signed_in.text


@pytest.mark.parametrize(("fmt", "configuration", "badge", "method"), [
    ("dc+sd-jwt", "OpenBadgeCredential_dc_sd_jwt", "ldp", "did:key"),
    ("dc+sd-jwt", "OpenBadgeCredential_dc_sd_jwt", "ldp", "jwk"),
    ("jwt_vc_json", "OpenBadgeCredential_jwt_vc_json", "jwt", "did:key"),  # did:jwk: the resolver lacks it
])
async def test_the_openid4vp_library_answers_an_employer_request(
        client, employer, live, tmp_path, fmt, configuration, badge, method) -> None:
    learner = await learner_with_badge(client, fmt=badge)
    live_server, host_map = live
    offer = await offer_from_live_server(live_server, learner["held"]["id"], tx_code=False)
    key_file, credential_file = tmp_path / "holder.json", tmp_path / "credential.json"
    received = receive(offer, configuration, method, key_file, host_map)
    credential_file.write_text(json.dumps(received["credential"]), encoding="utf-8")

    async with httpx.AsyncClient(base_url=live_server, timeout=10.0) as hr:
        await sign_in_employer(hr)
        made = await hr.post(f"/api/v1/orgs/{employer['org']['id']}/presentation-requests",
                             json={**PURPOSE, "formats": ["dc+sd-jwt", "jwt_vc_json"], "dss_items": [SKILL]},
                             headers={"x-csrftoken": hr.cookies.get("skillpass_csrf", "")})
        assert made.status_code == 201, made.text
        made = made.json()
        answered = present(made["authorization_request"], key_file, credential_file, fmt, host_map)
        assert answered["status"] == 200, answered
        assert answered["client_prefix"] == "decentralized_identifier"
        assert answered["client_id"] == made["client_id"].removeprefix("decentralized_identifier:")
        assert answered["purpose"]["en"] == PURPOSE["purpose_en"]

        seen = (await hr.get(f"/api/v1/orgs/{employer['org']['id']}/presentation-requests/{made['id']}")).json()
    assert seen["status"] == "answered" and seen["verified"] is True, seen["result"]["credentials"][0]["checks"]
    (result,) = seen["result"]["credentials"]
    assert result["format"] == fmt and result["query_id"] == answered["query_id"]
    assert result["trust"]["status"] == "trusted" and SKILL in result["dss_items"]
    if fmt == "dc+sd-jwt":  # the personal claims the wallet left out are nowhere
        assert "identifier" not in result["claims"] and "identityHash" not in json.dumps(seen)
        assert answered["disclosed"]

