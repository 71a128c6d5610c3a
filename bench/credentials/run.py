"""Sign / verify throughput of an OB 3.0 credential: skillpass (eddsa-rdfc-2022) side by side with didkit
0.3.3 (Ed25519Signature2018, VCDM 1.1 form, in a worker subprocess) and the Digital Bazaar JS stack.

Run:  .venv/bin/python bench/credentials/run.py [--n 400] [--rounds 5] [--skip-js] [--skip-didkit]
Figures are credentials per second, median of --rounds rounds, one process each (batch signing uses
a process pool over all cores).  Node 20 + npm are needed for the JS column (installed on first run
into bench/credentials/js/node_modules from the committed lockfile).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from credentials.vc.canon import canonicalize_pyld  # noqa: E402
from credentials.vc.keys import generate_ed25519  # noqa: E402
from credentials.vc.loader import CONTEXTS_DIR  # noqa: E402
from credentials.vc.signing import sign_batch, sign_credential  # noqa: E402
from credentials.vc.verifier import verify  # noqa: E402

JS_DIR = Path(__file__).resolve().parent / "js"


def badge(issuer_did: str, i: int = 0) -> dict:
    """A VCDM 2.0 OB 3.0 AchievementCredential of typical size (the 1EdTech example shape + alignments)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:00000000-0000-4000-8000-{i:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did, "type": ["Profile"], "name": "SkillPass Example University",
                   "url": "https://skillpass.example"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Data Analysis (DSS level 2)",
        "credentialSubject": {
            "id": f"did:example:learner-{i}",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://skillpass.example/achievements/data-analysis-2",
                "type": ["Achievement"],
                "name": "Data Analysis",
                "description": "Cleans, explores and models tabular data; explains results to stakeholders.",
                "criteria": {"narrative": "Completed the assessed project and peer review."},
                "alignment": [{"type": ["Alignment"], "targetName": f"DSS skill {j}",
                               "targetUrl": f"https://skillpass.example/dss/{j}"} for j in range(2)],
            },
        },
    }


def vcdm11(credential: dict) -> dict:
    """The same badge in the VCDM 1.1 + OB context.json form didkit 0.3.3 can sign."""
    old = copy.deepcopy(credential)
    old["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"]
    old["issuanceDate"] = old.pop("validFrom")
    return old


def median_rate(fn, n: int, rounds: int) -> float:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for i in range(n):
            fn(i)
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates)


def bench_python(key, n: int, rounds: int) -> dict[str, float]:
    credentials = [badge(key.public.did, i) for i in range(n)]
    signed = sign_credential(credentials[0], key, created="2024-01-01T00:00:00Z")
    assert verify(signed).verified
    out = {
        "sign": median_rate(lambda i: sign_credential(credentials[i], key, created="2024-01-01T00:00:00Z"), n, rounds),
        "sign_fresh_created": median_rate(
            lambda i: sign_credential(credentials[i], key, created=f"2024-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z"),
            n, rounds),
        "verify": median_rate(lambda i: verify(signed), n, rounds),
        "verify_no_schema": median_rate(lambda i: _verify_no_schema(signed), n, rounds),
    }
    out["pyld_canonicalize"] = median_rate(lambda i: canonicalize_pyld(credentials[i]), max(n // 4, 20), rounds)
    return out


def _verify_no_schema(signed: dict) -> None:
    from datetime import datetime, timezone

    from credentials.vc.did import Resolver
    from credentials.vc.verifier import credential_checks

    checks = credential_checks(signed, Resolver(), datetime.now(timezone.utc), with_schema=False)
    assert all(c.ok for c in checks)


def bench_batch(key, n: int) -> dict[str, float]:
    credentials = [badge(key.public.did, i) for i in range(n)]
    start = time.perf_counter()
    for c in credentials:
        sign_credential(c, key, created="2024-01-01T00:00:00Z")
    single = n / (time.perf_counter() - start)
    start = time.perf_counter()
    results = sign_batch(credentials, key, created="2024-01-01T00:00:00Z")
    pooled = n / (time.perf_counter() - start)
    assert len(results) == n and verify(results[-1]).verified
    return {"single_process": single, "process_pool": pooled, "workers": os.cpu_count() or 1}


def bench_didkit(key, n: int, rounds: int) -> dict[str, float]:
    from credentials.vc.didkit_worker import DidkitWorker

    credential = vcdm11(badge(key.public.did))
    with DidkitWorker() as worker:
        signed = worker.sign(credential, key.private_jwk(), key.verification_method)
        assert verify(signed).verified, "didkit-signed badge must verify in skillpass"
        sign = worker.call("bench", what="sign", credential=credential, key=key.private_jwk(),
                           vm=key.verification_method, n=n, rounds=rounds)
        ver = worker.call("bench", what="verify", credential=signed, n=n, rounds=rounds)
    ours_signed = sign_credential(credential, key, suite="Ed25519Signature2018", created="2024-01-01T00:00:00Z")
    return {"sign": statistics.median(sign), "verify": statistics.median(ver),
            "skillpass_2018_sign": median_rate(lambda i: sign_credential(credential, key, suite="Ed25519Signature2018",
                                                                         created="2024-01-01T00:00:00Z"), n, rounds),
            "skillpass_2018_verify": median_rate(lambda i: verify(ours_signed), n, rounds)}


def ensure_js() -> bool:
    if (JS_DIR / "node_modules" / "@digitalbazaar" / "vc").exists():
        return True
    try:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, timeout=600,
                       capture_output=True)
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"  (JS stack unavailable: {exc})")
        return False


def bench_js(key, n: int, rounds: int) -> dict[str, float] | None:
    if not ensure_js():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        cred_path, key_path = Path(tmp) / "credential.json", Path(tmp) / "key.json"
        cred_path.write_text(json.dumps(badge(key.public.did)))
        key_path.write_text(json.dumps(key.to_multikey()))
        proc = subprocess.run(["node", "bench.mjs", str(CONTEXTS_DIR), str(cred_path), str(key_path), str(n),
                               str(rounds)], cwd=JS_DIR, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        print(f"  (JS benchmark failed: {proc.stderr[-400:]})")
        return None
    out = json.loads(proc.stdout)
    assert verify(out["signed"]).verified, "JS-signed badge must verify in skillpass"
    return {"sign": statistics.median(out["sign"]), "verify": statistics.median(out["verify"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="operations per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=4000, help="credentials for the batch-signing figure")
    parser.add_argument("--skip-js", action="store_true")
    parser.add_argument("--skip-didkit", action="store_true")
    args = parser.parse_args()
    key = generate_ed25519()
    print(f"OB 3.0 badge, {args.n} ops x {args.rounds} rounds (median), Python {platform.python_version()}, "
          f"{os.cpu_count()} cores")
    py = bench_python(key, args.n, args.rounds)
    js = None if args.skip_js else bench_js(key, args.n, args.rounds)
    dk = None if args.skip_didkit else bench_didkit(key, args.n, args.rounds)
    rows = [("skillpass eddsa-rdfc-2022 (VCDM 2.0)", py["sign"], py["verify"]),
            ("  verify without OB schema check", None, py["verify_no_schema"]),
            ("  sign, new 'created' each credential", py["sign_fresh_created"], None)]
    if js:
        rows.append(("Digital Bazaar JS eddsa-rdfc-2022", js["sign"], js["verify"]))
    if dk:
        rows.append(("didkit 0.3.3 Ed25519Signature2018 (VCDM 1.1)", dk["sign"], dk["verify"]))
        rows.append(("skillpass Ed25519Signature2018 (VCDM 1.1)", dk["skillpass_2018_sign"], dk["skillpass_2018_verify"]))
    print(f"\n{'implementation':48} {'sign/s':>10} {'verify/s':>10}")
    for name, s, v in rows:
        sign_text = "" if s is None else f"{s:.0f}"
        verify_text = "" if v is None else f"{v:.0f}"
        print(f"{name:48} {sign_text:>10} {verify_text:>10}")
    print(f"{'plain pyld URDNA2015 canonicalization only':48} {py['pyld_canonicalize']:10.0f}")
    print("\nratios (skillpass eddsa-rdfc-2022 / peer):")
    for name, peer in (("JS reference", js), ("didkit", dk)):
        if peer:
            print(f"  vs {name:14} sign {py['sign'] / peer['sign']:6.1f}x   verify {py['verify'] / peer['verify']:6.1f}x"
                  f"   (verify without schema {py['verify_no_schema'] / peer['verify']:.1f}x)")
    batch = bench_batch(key, args.batch)
    print(f"\nbatch signing {args.batch} credentials: one process {batch['single_process']:.0f}/s, "
          f"process pool ({batch['workers']} workers) {batch['process_pool']:.0f}/s "
          f"({batch['process_pool'] / batch['single_process']:.2f}x)")


if __name__ == "__main__":
    main()
