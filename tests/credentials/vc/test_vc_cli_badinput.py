"""CLI (CliRunner and a real subprocess), didkit cross-checks in a worker, and the bad-input table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import INTEROP, REFERENCE_TIME, load
from credentials.vc.cli import credentials_group
from credentials.vc.keys import generate_ed25519
from credentials.vc.signing import sign_credential
from credentials.vc.verifier import MAX_BYTES, MAX_DEPTH, verify
from helpers_vc import badge_for

ROOT = Path(__file__).resolve().parents[3]
KEY = generate_ed25519()
SIGNED = sign_credential(badge_for(KEY), KEY)


def test_cli_sign_then_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    key_file = tmp_path / "key.json"
    key_file.write_text(json.dumps(KEY.to_multikey()))
    jwk_file = tmp_path / "jwk.json"
    jwk_file.write_text(json.dumps(KEY.private_jwk()))
    unsigned = tmp_path / "in.json"
    unsigned.write_text(json.dumps(badge_for(KEY)))
    for key_path, suite in ((key_file, "eddsa-rdfc-2022"), (jwk_file, "vc-jwt")):
        out = runner.invoke(credentials_group, ["sign", "--key", str(key_path), "--suite", suite,
                                                "--created", "2024-01-01T00:00:00Z", str(unsigned)])
        assert out.exit_code == 0, out.output
        signed = tmp_path / f"signed-{suite}.json"
        signed.write_text(out.output)
        result = runner.invoke(credentials_group, ["verify", str(signed)])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["verified"] is True
    vm = json.loads(runner.invoke(credentials_group, ["sign", "--key", str(key_file), str(unsigned)]).output)
    assert vm["proof"]["verificationMethod"] == KEY.public.did_key_vm
    assert runner.invoke(credentials_group, ["keygen"]).exit_code == 0


CASES = [
    ("credo-ts/TEST_LD_DOCUMENT_SIGNED.json", 0),
    ("credo-ts/TEST_LD_DOCUMENT_BAD_SIGNED.json", 1),
    ("dcc-verifier-core/v2_v2Revoked.json", 1),
    ("dcc-verifier-core/v2_didWeb_v2didWebWithValidStatus.json", 0),
    ("dcc-verifier-core/v2_v2Expired.json", 1),
]


def test_cli_verify_subprocess_twenty_runs(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    runs = [(str(INTEROP / name), code) for name, code in CASES] * 3 + [(str(garbage), 1)] * 3 + [
        (str(tmp_path / "missing.json"), 2), (str(INTEROP / CASES[0][0]), 0)]
    assert len(runs) == 20
    code = "from credentials.vc.cli import credentials_group; credentials_group()"
    for path, expected in runs:
        proc = subprocess.run([sys.executable, "-c", code, "verify", path, "--documents",
                               str(INTEROP / "documents.json"), "--at", REFERENCE_TIME],
                              capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert proc.returncode == expected, (path, proc.stdout[-500:], proc.stderr[-500:])
        if expected != 2:
            out = json.loads(proc.stdout)
            assert out["verified"] is (expected == 0) and set(out) >= {"verified", "checks", "errors"}


def _deep(n: int) -> str:
    return "[" * n + "]" * n


BAD_INPUTS = [
    ("malformed json", "{\"@context\": ", "malformed_input"),
    ("json array", "[1, 2]", "not_a_credential"),
    ("number", 42, "not_a_credential"),
    ("none", None, "not_a_credential"),
    ("bytes not utf8", b"\xff\xfe", "malformed_input"),
    ("empty object", {}, "not_a_credential"),
    ("string not jwt", "hello", "malformed_input"),
    ("oversized", "{\"a\": \"" + "x" * (MAX_BYTES + 10) + "\"}", "too_large"),
    ("deeply nested text", _deep(100_000), "too_deep"),
    ("deeply nested dict", {**SIGNED, "x": json.loads(_deep(MAX_DEPTH + 5))}, "too_deep"),
    ("type wrong", {**SIGNED, "type": 5}, "not_a_credential"),
    ("issuer wrong type", {**SIGNED, "issuer": ["a"]}, "not_a_credential"),
    ("missing proof", {k: v for k, v in SIGNED.items() if k != "proof"}, "missing_proof"),
    ("proof is a string", {**SIGNED, "proof": "abc"}, "malformed_proof"),
    ("unknown cryptosuite", {**SIGNED, "proof": {**SIGNED["proof"], "cryptosuite": "rot13-2025"}}, "unknown_suite"),
    ("unknown proof type", {**SIGNED, "proof": {**SIGNED["proof"], "type": "MagicProof"}}, "unknown_suite"),
    ("bad proofValue", {**SIGNED, "proof": {**SIGNED["proof"], "proofValue": "z0OIl"}}, "malformed_proof"),
    ("tampered", {**SIGNED, "name": "Forged"}, "invalid_signature"),
    ("wrong key", {**SIGNED, "proof": {**SIGNED["proof"], "verificationMethod": generate_ed25519().verification_method}},
     "invalid_signature"),
    ("bad did:key", {**SIGNED, "proof": {**SIGNED["proof"], "verificationMethod": "did:key:zzz#zzz"}},
     "resolution_failed"),
    ("unknown context", {**SIGNED, "@context": SIGNED["@context"] + ["https://evil.example/ctx"]}, "context_refused"),
    ("undefined term", {**SIGNED, "@context": ["https://www.w3.org/2018/credentials/v1"]}, "jsonld_error"),
    ("expired", sign_credential(badge_for(KEY, validUntil="2020-01-01T00:00:00Z"), KEY), "expired"),
    ("not yet valid", sign_credential(badge_for(KEY, valid_from="2999-01-01T00:00:00Z"), KEY), "not_yet_valid"),
    ("bad date", sign_credential(badge_for(KEY, valid_from="yesterday"), KEY), "invalid_date"),
    ("wrong purpose", {**SIGNED, "proof": {**SIGNED["proof"], "proofPurpose": "authentication"}}, "wrong_purpose"),
    ("status list missing", sign_credential(badge_for(KEY, credentialStatus={
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1",
        "statusListCredential": "https://nowhere.example/list"}), KEY), "status_list_unavailable"),
    ("status index not int", sign_credential(badge_for(KEY, credentialStatus={
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "one",
        "statusListCredential": "https://nowhere.example/list"}), KEY), "status_entry_invalid"),
    ("garbage jwt", "eyJhbGciOiJFZERTQSJ9.eyJ4Ijox.AAAA", "malformed_jwt"),
    ("nan number", {**SIGNED, "credentialSubject": {**SIGNED["credentialSubject"], "score": float("nan")}},
     "jsonld_error"),
]


@pytest.mark.parametrize("name,document,code", BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_input_gives_a_clear_verdict(name: str, document, code: str) -> None:
    result = verify(document)
    assert result.verified is False
    codes = [c.code for c in result.checks if not c.ok]
    assert code in codes, (codes, result.errors)
    assert result.errors and all(isinstance(e, str) for e in result.errors)
    json.dumps(result.to_dict())


def test_didkit_cross_verification_in_worker_subprocess() -> None:
    from credentials.vc.didkit_worker import DidkitWorker

    issuer = generate_ed25519()
    ob = load(INTEROP / "didkit-0.3.3" / "vcdm11-ob-context.json-Ed25519Signature2018.json")
    ob = {k: v for k, v in ob.items() if k != "proof"}
    ob["issuer"] = {**ob["issuer"], "id": issuer.public.did} if isinstance(ob["issuer"], dict) else issuer.public.did
    with DidkitWorker() as worker:
        by_didkit = worker.sign(ob, issuer.private_jwk(), issuer.verification_method)
        assert by_didkit["proof"]["type"] == "Ed25519Signature2018"
        assert verify(by_didkit).verified
        assert not verify({**by_didkit, "id": "urn:uuid:tampered"}).verified
        ours = sign_credential(ob, issuer, suite="Ed25519Signature2018")
        assert worker.verify(ours)["errors"] == []
        assert worker.verify({**ours, "id": "urn:uuid:tampered"})["errors"] != []
