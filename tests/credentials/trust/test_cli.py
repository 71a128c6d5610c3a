"""``skillpass trust ...`` and ``skillpass credentials verify --trust-list`` as an operator runs them."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from credentials.trust.evaluate import TrustEntry
from credentials.trust.trustlist import build_trust_list
from credentials.vc import generate_ed25519, sign_credential
from tests.test_cli import run_cli

BUNDLED = Path(__file__).resolve().parents[3] / "credentials" / "trust" / "data" / "dcc-sandbox-registry.json"
FIXTURE = "standards/interop-fixtures/dcc-vc-test-fixtures/verifiableCredentials/v1/bothSignatureTypes/didKey/" \
          "legacy-noStatus-noExpiry.json"


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    folder = tempfile.mkdtemp()
    env = {"DATABASE_URL": f"sqlite:///{folder}/trust.db", "SKILLPASS_DATA_DIR": folder}
    assert run_cli("db", "upgrade", env=env).returncode == 0
    return env


def test_import_list_refresh_and_a_bad_file_that_changes_nothing(env, tmp_path) -> None:
    imported = run_cli("trust", "import-dcc", str(BUNDLED), "--name", "DCC Sandbox Registry", env=env)
    assert imported.returncode == 0, imported.stderr
    assert "DCC Sandbox Registry (dcc): 39 issuer(s)" in imported.stdout

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"registry": {"did:key:z6MkOk": {"name": "Ok"}, "did:key:z6MkNoName": {}}}))
    refused = run_cli("trust", "import-dcc", str(bad), "--name", "DCC Sandbox Registry", env=env)
    assert refused.returncode == 2
    assert "registry['did:key:z6MkNoName'].name" in refused.stderr

    operator = generate_ed25519()
    now = datetime.now(timezone.utc)
    signed = build_trust_list([TrustEntry("did:key:z6MkPartner", "提携校", "Partner", "x")], operator,
                              operator.public.did_key_vm, now - timedelta(days=1), now + timedelta(days=10))
    path = tmp_path / "list.json"
    path.write_text(json.dumps(signed))
    wrong_pin = run_cli("trust", "import-list", str(path), "--name", "Partners", "--pin",
                        generate_ed25519().public.did, env=env)
    assert wrong_pin.returncode == 2 and "pinned operator" in wrong_pin.stderr
    listed = run_cli("trust", "import-list", str(path), "--name", "Partners", "--pin", operator.public.did_key_vm,
                     env=env)
    assert listed.returncode == 0, listed.stderr

    shown = run_cli("trust", "list", env=env)
    assert "DCC Sandbox Registry (dcc): 39 issuer(s)" in shown.stdout  # the bad file changed nothing
    assert "Partners (trust-list): 1 issuer(s), valid until" in shown.stdout
    refreshed = run_cli("trust", "refresh", "--name", "Partners", env=env)
    assert refreshed.returncode == 0 and "Partners (trust-list): 1 issuer(s)" in refreshed.stdout
    missing = run_cli("trust", "refresh", "--name", "nope", env=env)
    assert missing.returncode == 2 and "nope" in missing.stderr


def test_publish_writes_a_signed_list(env, tmp_path) -> None:
    out = tmp_path / "published.json"
    published = run_cli("trust", "publish", "--out", str(out), env=env)
    assert published.returncode == 0, published.stderr
    document = json.loads(out.read_text())
    assert document["type"] == ["VerifiableCredential", "TrustedIssuerList"]
    assert document["proof"]["verificationMethod"].startswith(document["issuer"] + "#")


def test_verify_with_a_dcc_trust_list_names_the_registry(shared_dir: Path) -> None:
    fixture = shared_dir / FIXTURE
    result = run_cli("credentials", "verify", str(fixture), "--trust-list", str(BUNDLED), env={})
    assert result.returncode == 0, result.stderr
    trust = json.loads(result.stdout)["trust"]
    assert (trust["status"], trust["registry"], trust["issuer"]["name"]) == (
        "trusted", "dcc-sandbox-registry.json", "Public Test Issuer")
    plain = json.loads(run_cli("credentials", "verify", str(fixture), env={}).stdout)["trust"]
    assert plain["status"] == "untrusted" and plain["reasons"][0]["code"] == "no_trust_list"


def test_verify_with_a_signed_list_needs_the_pin_and_spots_impersonation(tmp_path) -> None:
    operator, forger = generate_ed25519(), generate_ed25519()
    now = datetime.now(timezone.utc)
    listed = build_trust_list([TrustEntry("did:key:z6MkRealTda", "東京デジタルアカデミー", "Tokyo Digital Academy", "x")],
                              operator, operator.public.did_key_vm, now - timedelta(days=1), now + timedelta(days=10))
    list_path = tmp_path / "list.json"
    list_path.write_text(json.dumps(listed))
    forged = sign_credential({
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": {"id": forger.public.did, "name": "株式会社 東京デジタルアカデミー"},
        "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:learner"},
    }, forger)
    forged_path = tmp_path / "forged.json"
    forged_path.write_text(json.dumps(forged))
    no_pin = run_cli("credentials", "verify", str(forged_path), "--trust-list", str(list_path), env={})
    assert no_pin.returncode == 2 and "--pin" in no_pin.stderr
    result = run_cli("credentials", "verify", str(forged_path), "--trust-list", str(list_path),
                     "--pin", operator.public.did, env={})
    out = json.loads(result.stdout)
    assert result.returncode == 0 and out["verified"] is True  # the signature is fine: trust is the problem
    assert out["trust"]["status"] == "impersonation"
    assert "なりすまし" in out["trust"]["reasons"][0]["message_ja"]
