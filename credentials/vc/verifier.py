"""verify(): one entry point for credentials, presentations and VC-JWTs (VCDM 1.1 and 2.0).

Every outcome is a list of checks (proof, issuer, dates, status, schema; for presentations also
holder and the embedded credentials), each with a plain-words message (English and Japanese) and a
machine code.  Bad input of any kind gives a verdict, never an exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from credentials.vc import jwt as vcjwt
from credentials.vc.did import Resolver
from credentials.vc.errors import ProofError
from credentials.vc.messages import ja
from credentials.vc.schema import schema_for, validate_ob
from credentials.vc.status import check_entry
from credentials.vc.suites import verify_proof

MAX_BYTES = 1_000_000
MAX_DEPTH = 48
MAX_NODES = 50_000
VCDM1 = "https://www.w3.org/2018/credentials/v1"
VCDM2 = "https://www.w3.org/ns/credentials/v2"


@dataclass
class Check:
    """One named check with its verdict."""

    check: str
    ok: bool
    code: str
    message: str
    message_ja: str = ""
    path: str = ""
    severity: str = "error"

    def to_dict(self) -> dict[str, Any]:
        out = {"check": self.check, "ok": self.ok, "code": self.code, "message": self.message,
               "message_ja": self.message_ja, "severity": self.severity}
        if self.path:
            out["path"] = self.path
        return out


@dataclass
class VerificationResult:
    """Overall verdict plus every check; `errors` lists the messages of failed checks."""

    verified: bool
    checks: list[Check] = field(default_factory=list)
    kind: str = "unknown"
    document: Any = None

    @property
    def errors(self) -> list[str]:
        """Messages of failed checks that decide the verdict."""
        return [_label(c) for c in self.checks if not c.ok and c.severity == "error"]

    @property
    def warnings(self) -> list[str]:
        """Messages of failed advisory checks (schema unless strict_schema)."""
        return [_label(c) for c in self.checks if not c.ok and c.severity != "error"]

    def to_dict(self) -> dict[str, Any]:
        return {"verified": self.verified, "kind": self.kind, "checks": [c.to_dict() for c in self.checks],
                "errors": self.errors, "warnings": self.warnings}


def _label(check: Check) -> str:
    return f"{check.path}: {check.message}" if check.path else check.message


def _passed(checks: list[Check]) -> bool:
    return all(c.ok for c in checks if c.severity == "error")


def _check(name: str, ok: bool, code: str, message: str, path: str = "") -> Check:
    return Check(name, ok, code, message, ja(code, ok, name), path)


def verify(document: Any, *, documents: dict[str, Any] | None = None, at: datetime | str | None = None,
           resolver: Resolver | None = None, challenge: str | None = None,
           domain: str | None = None, strict_schema: bool = False) -> VerificationResult:
    """Verify a credential, presentation or VC-JWT (dict, JSON text/bytes, or compact JWS string).

    The OB 3.0 schema check is advisory (a warning) unless strict_schema is true.
    """
    try:
        result = _verify(document, documents, at, resolver, challenge, domain)
        if strict_schema:
            for check in result.checks:
                check.severity = "error"
            result.verified = _passed(result.checks)
        return result
    except Exception as exc:  # the verifier never lets an exception escape
        return VerificationResult(False, [_check("format", False, "internal_error",
                                                 f"verification aborted: {type(exc).__name__}: {exc}")])


def _verify(document: Any, documents: Any, at: Any, resolver: Any, challenge: Any, domain: Any) -> VerificationResult:
    parsed, problem = _parse_input(document)
    if problem is not None:
        return VerificationResult(False, [problem])
    when, problem = _parse_at(at)
    if problem is not None:
        return VerificationResult(False, [problem])
    res = _make_resolver(resolver, documents)
    if isinstance(parsed, str):
        return _verify_jwt(parsed, res, when, challenge, domain)
    if _is_presentation(parsed):
        checks = verify_presentation_checks(parsed, res, when, challenge, domain)
        return VerificationResult(_passed(checks), checks, "presentation", parsed)
    checks = credential_checks(parsed, res, when)
    return VerificationResult(_passed(checks), checks, "credential", parsed)


def _make_resolver(resolver: Resolver | None, documents: dict | None) -> Resolver:
    if resolver is None:
        return Resolver(documents=documents)
    if documents:
        merged = Resolver(registry=resolver.registry, documents={**resolver.documents, **documents},
                          fetcher=resolver.fetcher)
        return merged
    return resolver


def _parse_at(at: Any) -> tuple[datetime, Check | None]:
    if at is None:
        return datetime.now(timezone.utc), None
    if isinstance(at, datetime):
        return (at if at.tzinfo else at.replace(tzinfo=timezone.utc)), None
    parsed = parse_date(at)
    if parsed is None:
        return datetime.now(timezone.utc), _check("format", False, "invalid_date", f"'at' is not a date-time: {at!r}")
    return parsed, None


def parse_date(value: Any) -> datetime | None:
    """XML Schema dateTime (as used by VCs) -> aware datetime; None when invalid."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _parse_input(document: Any) -> tuple[Any, Check | None]:
    if isinstance(document, (bytes, bytearray)):
        if len(document) > MAX_BYTES:
            return None, _check("format", False, "too_large", f"input is larger than {MAX_BYTES} bytes")
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError:
            return None, _check("format", False, "malformed_input", "input is not UTF-8 text")
    if isinstance(document, str):
        if len(document) > MAX_BYTES:
            return None, _check("format", False, "too_large", f"input is larger than {MAX_BYTES} bytes")
        text = document.strip()
        if vcjwt.looks_like_jwt(text):
            return text, None
        if _raw_depth(text) > MAX_DEPTH:
            return None, _check("format", False, "too_deep", f"input nests deeper than {MAX_DEPTH} levels")
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as exc:
            return None, _check("format", False, "malformed_input", f"input is not valid JSON: {exc}")
        if isinstance(document, str) and vcjwt.looks_like_jwt(document.strip()):
            return document.strip(), None
    if not isinstance(document, dict):
        return None, _check("format", False, "not_a_credential",
                            f"expected a JSON object or a VC-JWT, got {type(document).__name__}")
    problem = _shape_problem(document)
    return (None, problem) if problem else (document, None)


def _raw_depth(text: str) -> int:
    """Maximum bracket depth of JSON text (a cheap guard before parsing; strings are skipped)."""
    depth = best = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > best:
                best = depth
                if best > MAX_DEPTH:
                    return best
        elif ch in "]}":
            depth -= 1
    return best


def _shape_problem(document: dict) -> Check | None:
    """Depth / size limits for an already-parsed document (iterative walk)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    nodes = size = 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            return _check("format", False, "too_deep", f"document nests deeper than {MAX_DEPTH} levels")
        if nodes > MAX_NODES:
            return _check("format", False, "too_large", f"document has more than {MAX_NODES} values")
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    return _check("format", False, "malformed_input", "object keys must be strings")
                size += len(key)
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            size += len(value)
        elif not (value is None or isinstance(value, (bool, int, float))):
            return _check("format", False, "malformed_input", f"unsupported value type {type(value).__name__}")
        if size > MAX_BYTES:
            return _check("format", False, "too_large", f"document is larger than {MAX_BYTES} bytes")
    return None


def _types(document: dict) -> list:
    type_ = document.get("type")
    return type_ if isinstance(type_, list) else [type_]


def _is_presentation(document: dict) -> bool:
    return "VerifiablePresentation" in _types(document)


def _contexts(document: dict) -> list:
    ctx = document.get("@context")
    return ctx if isinstance(ctx, list) else [ctx]


def _issuer_id(credential: dict) -> str | None:
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    return issuer if isinstance(issuer, str) else None


def _format_problem(credential: Any, path: str) -> Check | None:
    if not isinstance(credential, dict):
        return _check("format", False, "not_a_credential", "credential must be a JSON object", path)
    base = _contexts(credential)[:1]
    if base not in ([VCDM1], [VCDM2]):
        return _check("format", False, "not_a_credential",
                      f"@context must start with {VCDM2} or {VCDM1}", path)
    if "VerifiableCredential" not in _types(credential):
        return _check("format", False, "not_a_credential", "type must include VerifiableCredential", path)
    if _issuer_id(credential) is None:
        return _check("format", False, "not_a_credential", "issuer must be a URL or an object with an id", path)
    if not isinstance(credential.get("credentialSubject"), (dict, list)):
        return _check("format", False, "not_a_credential", "credentialSubject is required", path)
    return None


def credential_checks(credential: Any, resolver: Resolver, at: datetime, *, path: str = "",
                      with_status: bool = True, with_schema: bool = True) -> list[Check]:
    """All checks of one credential with an embedded proof."""
    problem = _format_problem(credential, path)
    if problem:
        return [problem]
    proofs = credential.get("proof")
    unsecured = {k: v for k, v in credential.items() if k != "proof"}
    if proofs is None:
        checks = [_check("proof", False, "missing_proof", "credential has no proof", path)]
        controllers: list[str | None] = [None]
    else:
        checks, controllers = _proof_checks(unsecured, proofs, resolver, "assertionMethod", None, None, path)
    checks.append(_issuer_check(_issuer_id(credential), controllers, path))
    checks.append(_dates_check(credential, at, path))
    if with_status:
        checks.append(_status_check(credential, resolver, at, path))
    if with_schema:
        checks.append(_schema_check(credential, path))
    return checks


def _proof_checks(unsecured: dict, proofs: Any, resolver: Resolver, purpose: str, challenge: Any, domain: Any,
                  path: str) -> tuple[list[Check], list[str | None]]:
    proof_list = proofs if isinstance(proofs, list) else [proofs]
    if not proof_list:
        return [_check("proof", False, "missing_proof", "proof is empty", path)], [None]
    checks, controllers = [], []
    for i, proof in enumerate(proof_list):
        outcome = verify_proof(unsecured, proof, resolver, purpose=purpose, challenge=challenge, domain=domain)
        label = f"proof[{i}] ({outcome.suite}): " if len(proof_list) > 1 else ""
        checks.append(_check("proof", outcome.ok, outcome.code, label + outcome.message, path))
        controllers.append(outcome.controller if outcome.ok else None)
    return checks, controllers


def _issuer_check(issuer: str | None, controllers: list[str | None], path: str) -> Check:
    if any(c is None for c in controllers):
        return _check("issuer", False, "issuer_not_checked", "issuer not checked: no valid proof to bind it to", path)
    wrong = [c for c in controllers if c != issuer]
    if wrong:
        return _check("issuer", False, "issuer_mismatch",
                      f"issuer {issuer} is not the controller of the signing key ({wrong[0]})", path)
    return _check("issuer", True, "ok", f"issuer {issuer} controls the signing key", path)


def _dates_check(credential: dict, at: datetime, path: str) -> Check:
    v2 = _contexts(credential)[:1] == [VCDM2]
    start_field, end_field = ("validFrom", "validUntil") if v2 else ("issuanceDate", "expirationDate")
    stamp = at.isoformat().replace("+00:00", "Z")
    if not v2 and start_field not in credential:
        return _check("dates", False, "missing_date", "VCDM 1.1 credentials need an issuanceDate", path)
    for name in (start_field, end_field):
        if name in credential and parse_date(credential[name]) is None:
            return _check("dates", False, "invalid_date", f"{name} is not a valid date-time: {credential[name]!r}", path)
    start, end = parse_date(credential.get(start_field)), parse_date(credential.get(end_field))
    if start and at < start:
        return _check("dates", False, "not_yet_valid",
                      f"not yet valid: {stamp} is before {start_field} {credential[start_field]}", path)
    if end and at > end:
        return _check("dates", False, "expired", f"expired: {stamp} is after {end_field} {credential[end_field]}", path)
    return _check("dates", True, "ok", f"valid at {stamp}", path)


def _status_check(credential: dict, resolver: Resolver, at: datetime, path: str) -> Check:
    entries = credential.get("credentialStatus")
    if entries is None:
        return _check("status", True, "no_status", "credential has no status entry", path)

    def verify_list(list_vc: Any) -> tuple[bool, str]:
        checks = credential_checks(list_vc, resolver, at, with_status=False, with_schema=False)
        failed = [c.message for c in checks if not c.ok]
        return (not failed), "; ".join(failed)

    messages = []
    for entry in entries if isinstance(entries, list) else [entries]:
        outcome = check_entry(entry, resolver, verify_list)
        if not outcome.ok:
            return _check("status", False, outcome.code, outcome.message, path)
        messages.append(outcome.message)
    return _check("status", True, "ok", "; ".join(messages), path)


def _schema_check(credential: dict, path: str) -> Check:
    if schema_for(credential) is None:
        return _check("schema", True, "schema_not_applicable", "not an Open Badges 3.0 credential type", path)
    if _contexts(credential)[:1] != [VCDM2]:
        return _check("schema", True, "schema_not_applicable",
                      "OB 3.0 JSON Schema applies to VCDM 2.0 credentials only (VCDM 1.1 form accepted)", path)
    errors = validate_ob(credential)
    if errors:
        check = _check("schema", False, "schema_invalid", "OB 3.0 schema: " + "; ".join(errors), path)
        check.severity = "warning"
        return check
    return _check("schema", True, "ok", "valid against the OB 3.0 JSON Schema", path)


def verify_presentation_checks(presentation: dict, resolver: Resolver, at: datetime, challenge: Any,
                               domain: Any) -> list[Check]:
    """Checks of a presentation's own proof, holder binding and each embedded credential."""
    unsecured = {k: v for k, v in presentation.items() if k != "proof"}
    if presentation.get("proof") is None:
        checks = [_check("proof", False, "missing_proof", "presentation has no proof", "presentation")]
        controllers: list[str | None] = [None]
    else:
        checks, controllers = _proof_checks(unsecured, presentation["proof"], resolver, "authentication",
                                            challenge, domain, "presentation")
    return checks + _holder_and_credential_checks(presentation, controllers, resolver, at)


def _holder_and_credential_checks(presentation: dict, controllers: list[str | None], resolver: Resolver,
                                  at: datetime) -> list[Check]:
    """Whether the presentation keys' ``controllers`` are its holder, then checks of each embedded credential."""
    checks: list[Check] = []
    holder = presentation.get("holder")
    holder = holder.get("id") if isinstance(holder, dict) else holder
    if holder is not None:
        ok = all(c == holder for c in controllers)
        checks.append(_check("holder", ok, "ok" if ok else "holder_mismatch",
                             f"holder {holder} {'controls' if ok else 'does not control'} the presentation key",
                             "presentation"))
    credentials = presentation.get("verifiableCredential", [])
    for i, credential in enumerate(credentials if isinstance(credentials, list) else [credentials]):
        path = f"verifiableCredential[{i}]"
        if isinstance(credential, str):
            checks.extend(_jwt_credential_checks(credential, resolver, at, path))
        else:
            checks.extend(credential_checks(credential, resolver, at, path=path))
    return checks


def _verify_jwt(token: str, resolver: Resolver, at: datetime, challenge: Any, domain: Any) -> VerificationResult:
    try:
        _, payload, _, _ = vcjwt.parse_jwt(token)
        kind, _ = vcjwt.jwt_document(payload)
    except ProofError as exc:
        return VerificationResult(False, [_check("proof", False, exc.code, str(exc))], "jwt")
    if kind == "presentation":
        checks = _jwt_presentation_checks(token, resolver, at, challenge, domain)
    else:
        checks = _jwt_credential_checks(token, resolver, at, "")
    return VerificationResult(_passed(checks), checks, f"jwt-{kind}", token)


def _jwt_credential_checks(token: str, resolver: Resolver, at: datetime, path: str) -> list[Check]:
    try:
        _, payload, kid, controller = vcjwt.verify_jwt_signature(token, resolver, "assertionMethod")
    except ProofError as exc:
        return [_check("proof", False, exc.code, str(exc), path)]
    _, credential = vcjwt.jwt_document(payload)
    problem = _format_problem(credential, path)
    if problem:
        return [problem]
    checks = [_check("proof", True, "ok", f"VC-JWT signature valid, key {kid}", path),
              _issuer_check(_issuer_id(credential), [controller], path), _jwt_times(payload, at, path)
              or _dates_check(credential, at, path), _status_check(credential, resolver, at, path),
              _schema_check(credential, path)]
    return checks


def _jwt_times(payload: dict, at: datetime, path: str) -> Check | None:
    now = at.timestamp()
    if isinstance(payload.get("exp"), (int, float)) and now > payload["exp"]:
        return _check("dates", False, "expired", "expired: the JWT 'exp' time has passed", path)
    if isinstance(payload.get("nbf"), (int, float)) and now < payload["nbf"]:
        return _check("dates", False, "not_yet_valid", "not yet valid: the JWT 'nbf' time is in the future", path)
    return None


def _jwt_presentation_checks(token: str, resolver: Resolver, at: datetime, challenge: Any, domain: Any) -> list[Check]:
    try:
        _, payload, kid, controller = vcjwt.verify_jwt_signature(token, resolver, "authentication")
    except ProofError as exc:
        return [_check("proof", False, exc.code, str(exc), "presentation")]
    checks = [_check("proof", True, "ok", f"VP-JWT signature valid, key {kid}", "presentation")]
    if challenge is not None and payload.get("nonce") != challenge:
        checks.append(_check("proof", False, "challenge_mismatch", "VP-JWT nonce does not match the challenge",
                             "presentation"))
    aud = payload.get("aud")
    if domain is not None and not (aud == domain or (isinstance(aud, list) and domain in aud)):
        checks.append(_check("proof", False, "domain_mismatch", "VP-JWT aud does not match the domain", "presentation"))
    _, vp = vcjwt.jwt_document(payload)
    return checks + _holder_and_credential_checks(vp, [controller], resolver, at)
