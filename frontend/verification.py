"""Verification results and credentials as the pages show them: checks in plain words, a short summary.

The verifier (``credentials.vc``) decides; this module only words its checks for people, in their
language, and picks out what a person wants to see of a credential (what, who, when, which DSS skills).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from credentials.alignments import dss_alignments
from frontend.i18n import messages, translate
from taxonomies.dss import get_taxonomy

CHECK_ORDER = ("format", "proof", "issuer", "holder", "dates", "status", "schema")
AUTHENTICITY = ("format", "proof", "issuer", "holder")


@dataclass(frozen=True)
class CheckLine:
    """One check as a sentence: passed, failed, or advice (a failed advisory check)."""

    name: str
    title: str
    outcome: str  # pass | fail | advice
    text: str
    where: str = ""


@dataclass
class Verdict:
    """The overall answer plus each check, for one credential or presentation; ``trust`` says who
    stands behind the issuer (``credentials.trust``: trusted, untrusted or impersonation)."""

    verified: bool
    kind: str
    lines: list[CheckLine] = field(default_factory=list)
    trust: dict[str, Any] | None = None

    @property
    def standing(self) -> str:
        """``valid`` (verified, trusted issuer), ``unvetted`` (verified, issuer not recognised),
        ``impersonation`` (claims a trusted issuer's name with another key) or ``invalid``."""
        status = (self.trust or {}).get("status")
        if status == "impersonation":
            return "impersonation"
        if not self.verified:
            return "invalid"
        return "valid" if status == "trusted" else "unvetted"

    @property
    def caution(self) -> str | None:
        """What the facts of the credential need said before them: ``untrusted`` (not authentic, or an
        impersonation: do not rely on them), ``unvetted`` (genuine, but nobody vouches for the issuer), or
        None (a trusted issuer's, even when revoked or expired: the facts are genuine)."""
        if not self.authentic or self.standing == "impersonation":
            return "untrusted"
        return "unvetted" if (self.trust or {}).get("status") == "untrusted" else None

    @property
    def failed(self) -> list[CheckLine]:
        return [line for line in self.lines if line.outcome == "fail"]

    @property
    def authentic(self) -> bool:
        """Readable, signed by the named issuer and unchanged (it may still be revoked or expired)."""
        return not any(line.name in AUTHENTICITY for line in self.failed)


def plain_text(check: dict[str, Any], lang: str) -> str:
    """The sentence for a check outcome: our own wording when we have one, else the verifier's."""
    code, name = check.get("code", ""), check.get("check", "")
    key = f"verify.ok.{name}" if check.get("ok") and code == "ok" else f"verify.code.{code}"
    if key in messages():
        return translate(key, lang)
    if lang == "ja" and check.get("message_ja"):
        return check["message_ja"]
    return check.get("message", "")


def verdict_of(result: dict[str, Any] | None, lang: str) -> Verdict | None:
    """A verification result (``VerificationResult.to_dict()``, as stored in the wallet) for the page."""
    if not result:
        return None
    lines = []
    for check in sorted(result.get("checks", []), key=lambda c: (c.get("path", ""), _rank(c.get("check", "")))):
        name = check.get("check", "")
        outcome = "pass" if check.get("ok") else ("advice" if check.get("severity") == "warning" else "fail")
        if check.get("code") == "no_status":
            outcome = "info"  # nobody can revoke it: neither a tick nor a cross
        title_key = f"verify.check.{name}"
        title = translate(title_key, lang) if title_key in messages() else name
        lines.append(CheckLine(name, title, outcome, plain_text(check, lang), check.get("path", "")))
    trust = result.get("trust")
    if trust:
        lines.append(trust_line(trust, lang))
    return Verdict(bool(result.get("verified")), result.get("kind", "unknown"), lines, trust)


TRUST_OUTCOME = {"trusted": "pass", "untrusted": "advice", "impersonation": "fail"}


def trust_line(trust: dict[str, Any], lang: str) -> CheckLine:
    """The issuer-trust verdict as a check line: who stands behind the issuer, in plain words."""
    status = trust.get("status", "untrusted")
    reasons = [r.get("message_ja") if lang == "ja" and r.get("message_ja") else r.get("message", "")
               for r in trust.get("reasons") or []]
    issuer = trust.get("issuer") or {}
    # the name the registry vouches for, not the one the credential claims: a trusted issuer may still
    # write another organisation's name into its badges
    name = (issuer.get("name_en") if lang == "en" else None) or issuer.get("name") or issuer.get("id") or ""
    text = " ".join([translate(f"verify.trust.{status}", lang, registry=trust.get("registry") or "", name=name),
                     *reasons])
    return CheckLine("trust", translate("verify.check.trust", lang), TRUST_OUTCOME.get(status, "advice"), text.strip())


def _rank(name: str) -> int:
    return CHECK_ORDER.index(name) if name in CHECK_ORDER else len(CHECK_ORDER)


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _text(value: Any, lang: str) -> str:
    """A plain or language-mapped string (OB 3.0 allows ``{"ja": ..., "en": ...}`` forms)."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or value.get("ja") or next(iter(value.values()), ""))
    if isinstance(value, list):
        picked = next((v.get("@value") for v in value if isinstance(v, dict) and v.get("@language") == lang), None)
        return str(picked or _text(_first(value), lang))
    return "" if value is None else str(value)


def summary_of(document: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """What the credential says, for people: name, description, issuer, subject, dates and DSS skills."""
    if not isinstance(document, dict):
        return None
    subject = _first(document.get("credentialSubject")) or {}
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    issuer = document.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    tx = get_taxonomy()
    skills = []
    for skill_id, level in dss_alignments(document):
        try:
            skills.append((tx.skill_item(skill_id), level))
        except KeyError:
            continue
    return {
        "name": _text(achievement.get("name") or document.get("name"), lang),
        "description": _text(achievement.get("description") or document.get("description"), lang),
        "criteria": _text((achievement.get("criteria") or {}).get("narrative"), lang)
        if isinstance(achievement.get("criteria"), dict) else "",
        "image": _image(achievement.get("image") or document.get("image")),
        "issuer_name": _text(issuer.get("name"), lang),
        "issuer_id": str(issuer.get("id") or ""),
        "subject_name": _text(subject.get("name"), lang),
        "valid_from": document.get("validFrom") or document.get("issuanceDate"),
        "valid_until": document.get("validUntil") or document.get("expirationDate"),
        "types": [t for t in (document.get("type") or []) if t != "VerifiableCredential"],
        "skills": skills,
    }


def _image(value: Any) -> str | None:
    url = value.get("id") if isinstance(value, dict) else value
    # only embedded images: loading a remote one would tell its host who looks at the credential
    if isinstance(url, str) and url.startswith("data:image/"):
        return url
    return None
