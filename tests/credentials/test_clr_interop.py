"""A CLR issued by skillpass, checked by a verifier that is not ours: the Digital Bazaar reference verifier
(@digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, tests/node/verify_ldp.mjs, offline with the bundled
contexts) accepts the transcript's own proof and each embedded OB credential on its own, and refuses an
embedded credential whose result was changed."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider
from tests.credentials.test_micro_credentials import MICRO, RESULTS

ROOT = Path(__file__).resolve().parents[2]
NODE_DIR = ROOT / "tests" / "node"
VERIFIER = NODE_DIR / "node_modules" / "@digitalbazaar" / "vc"
CONTEXTS = ROOT / "credentials" / "vc" / "data" / "contexts"

pytestmark = pytest.mark.slow


def digital_bazaar(document: dict, folder: Path, name: str) -> dict:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    done = subprocess.run(["node", "verify_ldp.mjs", str(CONTEXTS), str(path)], cwd=NODE_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


async def test_digital_bazaar_verifies_the_clr_and_each_embedded_credential(client, tmp_path) -> None:
    if shutil.which("node") is None or not VERIFIER.exists():
        if os.environ.get("REQUIRE_NODE"):
            pytest.fail("node and tests/node/node_modules are required (REQUIRE_NODE=1)")
        pytest.skip("node or tests/node/node_modules missing")
    provider = await new_provider(client, "clr-db")
    first = await new_achievement(client, provider, **MICRO)
    second = await new_achievement(client, provider, name_en="Statistics II")
    for achievement, results in ((first, RESULTS), (second, [])):
        assert (await issue(client, provider, achievement["id"], results=results)).status_code == 201
    response = await client.post(f"{provider['base']}/clr", headers=await api_headers(client, provider),
                                 json={"recipient_email": "learner@example.jp", "lang": "en"})
    assert response.status_code == 201, response.text
    clr = response.json()
    assert clr["issuer"]["id"].startswith("did:key:")
    outer = digital_bazaar(clr, tmp_path, "clr")
    assert outer["verified"], outer
    embedded = clr["credentialSubject"]["verifiableCredential"]
    verdicts = [digital_bazaar(c, tmp_path, f"embedded-{i}") for i, c in enumerate(embedded)]
    assert [v["verified"] for v in verdicts] == [True, True], verdicts
    changed = copy.deepcopy(embedded[0])
    changed["credentialSubject"]["result"][-1]["achievedLevel"] += "-changed"
    assert not digital_bazaar(changed, tmp_path, "changed")["verified"]
