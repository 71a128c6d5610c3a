"""didkit 0.3.3 in a worker subprocess.

didkit can abort the interpreter at exit (SIGABRT/SIGSEGV, exit codes 134/139), so it is never
imported in the main process: DidkitWorker runs `python -m credentials.vc.didkit_worker`, talks JSON
lines over stdin/stdout, and ignores the worker's exit status.  didkit only understands VCDM 1.1 with
the early OB context and cannot read DataIntegrityProof; use it for Ed25519Signature2018 cross-checks
and benchmarks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

TIMEOUT_S = 120.0


class DidkitWorker:
    """Client for one worker process; use as a context manager."""

    def __init__(self, python: str | None = None) -> None:
        self.python = python or sys.executable
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "DidkitWorker":
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen([self.python, "-m", "credentials.vc.didkit_worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self.proc is None:
            return
        try:
            self.proc.stdin.write(json.dumps({"op": "quit"}) + "\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def call(self, op: str, **kw: Any) -> Any:
        """Send one request and return its result (raises RuntimeError with didkit's message)."""
        assert self.proc is not None, "worker not started"
        self.proc.stdin.write(json.dumps({"op": op, **kw}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"didkit worker died (exit code {self.proc.poll()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def sign(self, credential: dict, jwk: dict, verification_method: str, created: str | None = None) -> dict:
        """Ed25519Signature2018 credential signed by didkit."""
        return self.call("sign", credential=credential, key=jwk, vm=verification_method, created=created)

    def verify(self, credential: dict) -> dict:
        """didkit's verification report: {"checks": [...], "warnings": [...], "errors": [...]}."""
        return self.call("verify", credential=credential)


async def _handle(request: dict) -> Any:
    import didkit

    op = request["op"]
    if op == "sign":
        options = {"proofPurpose": "assertionMethod", "verificationMethod": request["vm"]}
        if request.get("created"):
            options["created"] = request["created"]
        return json.loads(await didkit.issue_credential(json.dumps(request["credential"]), json.dumps(options),
                                                        json.dumps(request["key"])))
    if op == "verify":
        return json.loads(await didkit.verify_credential(json.dumps(request["credential"]),
                                                         json.dumps({"proofPurpose": "assertionMethod"})))
    if op == "bench":
        return await _bench(request)
    raise ValueError(f"unknown op {op!r}")


async def _bench(request: dict) -> list[float]:
    """Run n sign or verify operations per round; return credentials/s for each round."""
    import didkit

    credential = json.dumps(request["credential"])
    options = json.dumps({"proofPurpose": "assertionMethod", "verificationMethod": request.get("vm")})
    key = json.dumps(request.get("key"))
    rates = []
    for _ in range(request.get("rounds", 5)):
        start = time.perf_counter()
        for _ in range(request["n"]):
            if request["what"] == "sign":
                await didkit.issue_credential(credential, options, key)
            else:
                report = json.loads(await didkit.verify_credential(credential, '{"proofPurpose":"assertionMethod"}'))
                if report["errors"]:
                    raise RuntimeError(f"didkit verify failed: {report['errors']}")
        rates.append(request["n"] / (time.perf_counter() - start))
    return rates


def main() -> None:
    import asyncio

    async def loop() -> None:
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("op") == "quit":
                break
            try:
                reply = {"result": await _handle(request)}
            except Exception as exc:  # report didkit errors to the parent
                reply = {"error": f"{type(exc).__name__}: {exc}"}
            sys.stdout.write(json.dumps(reply) + "\n")
            sys.stdout.flush()

    asyncio.run(loop())
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown, where didkit may abort


if __name__ == "__main__":
    main()
