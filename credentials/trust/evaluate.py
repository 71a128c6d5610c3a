"""Who stands behind a credential: the trust verdict from the issuer DID, the names it claims and the
entries of the trust registries.  Pure: no database, no network (imports only ``names``).

Order of the rules: a claimed name that resembles a trusted organisation's name while the DID is not
that organisation's is ``impersonation`` (also for a trusted DID that claims another of our verified
organisations' names); otherwise a DID of a trusted entry is ``trusted`` (unless we suspended its
organisation; the registered name is shown, not the claimed one); otherwise ``untrusted`` with why
(our organisation not verified yet, suspended, or an issuer nobody here knows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from credentials.trust.names import resembles

SKILLPASS = "skillpass"
STATUSES = ("trusted", "untrusted", "impersonation")


@dataclass(frozen=True)
class TrustEntry:
    """One issuer someone stands behind (or one of our organisations that is not trusted)."""

    did: str
    name_ja: str
    name_en: str
    registry: str  # "skillpass" for our own organisations, else the registry's name
    trusted: bool = True  # False for our organisations that are unverified, pending or suspended
    state: str = "verified"  # the organisation's verification state, "platform", or "listed" (external)
    org: dict | None = None  # {"id", "slug", "name_ja", "name_en"} for our own organisations
    scope: tuple[str, ...] = ()
    url: str | None = None

    @property
    def name(self) -> str:
        return self.name_ja or self.name_en


@dataclass(frozen=True)
class Trust:
    """The verdict: status, the issuer as we know it, the registry that vouches, and the reasons."""

    status: str
    issuer: dict
    registry: str | None
    reasons: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "issuer": dict(self.issuer), "registry": self.registry,
                "reasons": [dict(r) for r in self.reasons]}


def reason(code: str, message: str, message_ja: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "message_ja": message_ja, **extra}


def _issuer(did: str | None, entry: TrustEntry | None, claimed: Sequence[str]) -> dict[str, Any]:
    if entry is not None:
        out: dict[str, Any] = {"id": did, "name": entry.name}
        if entry.name_en and entry.name_en != out["name"]:
            out["name_en"] = entry.name_en
        if entry.org is not None:
            out["org"] = dict(entry.org)
        return out
    return {"id": did, "name": claimed[0] if claimed else None}


def _trusted(did: str, entry: TrustEntry, claimed: Sequence[str]) -> Trust:
    if entry.registry == SKILLPASS and entry.state == "platform":
        why = reason("issuer_platform", "The issuer is the skillpass platform itself.",
                     "この発行者は skillpass プラットフォーム自身です")
    elif entry.registry == SKILLPASS:
        why = reason("issuer_verified_org", "The issuer is an organisation verified by skillpass.",
                     "この発行者は skillpass の審査を受けた組織です")
    else:
        why = reason("issuer_listed", f"The issuer is listed in the trust registry “{entry.registry}”.",
                     f"この発行者は信頼リスト「{entry.registry}」に載っています", registry=entry.registry)
    return Trust("trusted", _issuer(did, entry, claimed), entry.registry, [why])


def _impersonation(did: str | None, claimed: str, victim: TrustEntry) -> Trust:
    ja_name, en_name = victim.name_ja or victim.name_en, victim.name_en or victim.name_ja
    why = reason(
        "issuer_impersonation",
        f"The issuer name “{claimed}” resembles “{en_name}”, but the credential is not signed with that "
        "organisation's DID (suspected impersonation).",
        f"発行者名が「{ja_name}」に似ていますが、その組織の DID ではありません（なりすましの疑い）",
        resembles={"did": victim.did, "name_ja": victim.name_ja, "name_en": victim.name_en,
                   "registry": victim.registry, **({"org": dict(victim.org)} if victim.org else {})},
    )
    return Trust("impersonation", {"id": did, "name": claimed}, None, [why])


def _untrusted(did: str | None, known: TrustEntry | None, claimed: Sequence[str]) -> Trust:
    if known is not None and known.state == "suspended":
        why = reason("issuer_org_suspended", "The issuer's organisation is suspended on skillpass.",
                     "この発行者の組織は skillpass で資格停止中です")
    elif known is not None:
        pending = known.state == "pending"
        why = reason("issuer_org_unverified",
                     "The issuer's organisation is registered on skillpass but " +
                     ("its verification is still under review." if pending else "has not been verified."),
                     "この発行者の組織は skillpass に登録されていますが、" +
                     ("審査中です" if pending else "まだ審査を受けていません"), state=known.state)
    else:
        why = reason("issuer_unknown", "The issuer is not in any trust registry known here.",
                     "この発行者はどの信頼リストにも載っていません")
    return Trust("untrusted", _issuer(did, known, claimed), None, [why])


ENDORSEMENT_ONLY = ("endorsement",)  # the scope of an organisation that may endorse but not issue


def covers(entry: TrustEntry, kind: str) -> bool:
    """Whether the entry vouches for a credential of this kind (``credential`` or ``endorsement``): an
    endorsement-only issuer (an employer, an industry body) is trusted for endorsements alone."""
    return kind == "endorsement" or tuple(entry.scope) != ENDORSEMENT_ONLY


def kind_of(document: dict) -> str:
    """``endorsement`` for an OB 3.0 EndorsementCredential (a VC-JWT payload too), else ``credential``."""
    types = document.get("type") or (document.get("vc") or {}).get("type") or []
    return "endorsement" if "EndorsementCredential" in (types if isinstance(types, list) else [types]) else "credential"


def evaluate(issuer_did: str | None, claimed_names: Sequence[str], entries: Sequence[TrustEntry],
             kind: str = "credential") -> Trust:
    """The trust verdict for a credential of ``issuer_did`` that calls its issuer ``claimed_names``.

    Entries are in order of authority: the first trusted entry with the DID names the registry. An entry
    whose scope does not cover ``kind`` does not make the issuer trusted (an endorsement-only key
    signing a badge is not a vetted badge issuer).
    """
    claimed = [n for n in claimed_names if isinstance(n, str) and n.strip()]
    mine = [e for e in entries if issuer_did and e.did == issuer_did]
    out_of_scope = next((e for e in mine if e.trusted and not covers(e, kind)), None)
    mine = [e for e in mine if covers(e, kind)]
    trusted_mine = next((e for e in mine if e.trusted), None)
    # Our own suspension outweighs another registry still listing the DID.
    suspended = any(e.registry == SKILLPASS and e.state == "suspended" for e in mine)
    own = trusted_mine if not suspended else None
    found = _look_alike(issuer_did, claimed, entries, own or out_of_scope)  # its own org is no look-alike
    if found is not None:
        return _impersonation(issuer_did, found[1], found[0])
    if own is not None:
        return _trusted(issuer_did, own, claimed)
    if out_of_scope is not None and own is None:
        why = reason("issuer_out_of_scope", "The issuer is trusted to endorse only, not to issue credentials.",
                     "この発行者が認められているのは推薦だけで、証明書の発行は認められていません")
        return Trust("untrusted", _issuer(issuer_did, out_of_scope, claimed), None, [why])
    known = next((e for e in mine if e.registry == SKILLPASS), mine[0] if mine else None)
    return _untrusted(issuer_did, known, claimed)


def _look_alike(issuer_did: str | None, claimed: Sequence[str], entries: Sequence[TrustEntry],
                own: TrustEntry | None) -> tuple[TrustEntry, str] | None:
    """(the trusted organisation, the claimed name) when the credential claims the name of a trusted
    issuer it is not: any trusted issuer, for a DID nobody vouches for; for a trusted DID, another of our
    verified organisations (a vetted issuer writing another one's name into its badges). External
    registries say nothing of which of their DIDs belong together, so they are not held against a
    trusted DID."""
    for name in claimed:
        if own is not None and (resembles(name, own.name_ja) or resembles(name, own.name_en)):
            continue  # its own name
        for entry in entries:
            if not entry.trusted or entry.did == issuer_did:
                continue
            if own is not None and (entry.org is None or _same_org(entry, own)):
                continue
            if resembles(name, entry.name_ja) or resembles(name, entry.name_en):
                return entry, name
    return None


def _same_org(entry: TrustEntry, own: TrustEntry | None) -> bool:
    return bool(own is not None and entry.org and own.org and entry.org.get("id") == own.org.get("id"))


def _names(value: Any) -> list[str]:
    """Strings of a name: plain, a language value object, a list of those, or a {lang: text} map."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    if isinstance(value, dict):
        if "@value" in value:
            return [value["@value"]] if isinstance(value["@value"], str) else []
        return [v for v in value.values() if isinstance(v, str)]
    return []


def issuer_of(document: dict) -> tuple[str | None, list[str]]:
    """The issuer DID and the names a credential claims for its issuer (a VC-JWT payload works too).

    Presentations are not credentials: evaluate each embedded credential on its own.
    """
    if not isinstance(document, dict):
        return None, []
    issuer = document.get("issuer")
    if issuer is None and isinstance(document.get("vc"), dict):
        issuer = document["vc"].get("issuer") or document.get("iss")
    if isinstance(issuer, str):
        return issuer, []
    if isinstance(issuer, dict):
        did = issuer.get("id") if isinstance(issuer.get("id"), str) else None
        names = list(dict.fromkeys(n for n in _names(issuer.get("name")) if n.strip()))
        return did, names
    return None, []


__all__ = ["SKILLPASS", "STATUSES", "Trust", "TrustEntry", "evaluate", "issuer_of"]
