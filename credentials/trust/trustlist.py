"""Signed trusted-issuer lists of our design: a VCDM 2.0 credential of type ``TrustedIssuerList``
whose subject lists issuers (DID, names, URL, scope), valid from/until a date, signed with
eddsa-rdfc-2022 by a registry operator.  Every term is defined (bundled context
``https://skillpass.example/ns/trust-list/v1``), so the signature covers every name and scope.

``read_trust_list`` accepts a list only when it is signed by the operator the admin pinned (a DID or
one verification method id), the proof verifies, and it is valid now.  Pure: no database, no network.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from credentials.trust.errors import TrustListError
from credentials.trust.evaluate import TrustEntry
from credentials.vc import KeyPair, Resolver, sign_credential, verify

VCDM2 = "https://www.w3.org/ns/credentials/v2"
TRUST_LIST_CONTEXT = "https://skillpass.example/ns/trust-list/v1"
TYPE = "TrustedIssuerList"


def _iso(value: datetime | str) -> str:
    if isinstance(value, str):
        return value
    return value.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_time(value: Any, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise TrustListError(f"{field}: must be an ISO 8601 date-time.", field=field) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _name_values(entry: TrustEntry) -> list[dict[str, str]]:
    values = [{"@value": entry.name_ja, "@language": "ja"}] if entry.name_ja else []
    if entry.name_en:
        values.append({"@value": entry.name_en, "@language": "en"})
    return values


def _listed(entry: TrustEntry) -> dict[str, Any]:
    item: dict[str, Any] = {"id": entry.did, "type": "TrustedIssuer", "name": _name_values(entry)}
    if entry.url:
        item["url"] = entry.url
    item["scope"] = list(entry.scope)
    return item


def build_trust_list(entries: Sequence[TrustEntry], key: KeyPair, verification_method: str,
                     valid_from: datetime | str, valid_until: datetime | str, *,
                     name: str = "skillpass trusted issuers", created: str | None = None) -> dict:
    """The signed list of ``entries`` (the issuer is the controller of ``verification_method``)."""
    credential = {
        "@context": [VCDM2, TRUST_LIST_CONTEXT],
        "type": ["VerifiableCredential", TYPE],
        "issuer": verification_method.split("#", 1)[0],
        "name": name,
        "validFrom": _iso(valid_from),
        "validUntil": _iso(valid_until),
        "credentialSubject": {"trustedIssuer": [_listed(e) for e in entries]},
    }
    return sign_credential(credential, key, verification_method=verification_method, created=created)


def _japanese(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA")) for c in text)


def _names(value: Any, where: str) -> tuple[str, str]:
    """(ja, en) from a plain text, language value objects, or a {"ja", "en"} map."""
    if isinstance(value, str) and value.strip():
        return (value, "") if _japanese(value) else ("", value)
    items = value if isinstance(value, list) else [value]
    found: dict[str, str] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("@value"), str):
            found.setdefault(str(item.get("@language", "en")).split("-")[0], item["@value"])
        elif isinstance(item, dict) and "@value" not in item:
            found.update({k: v for k, v in item.items() if k in ("ja", "en") and isinstance(v, str)})
    if not any(v.strip() for v in found.values()):
        raise TrustListError(f"{where}.name: must be a text or names by language (ja, en).", field=f"{where}.name")
    return found.get("ja", ""), found.get("en", "")


def _entry(item: Any, index: int, registry: str) -> TrustEntry:
    where = f"credentialSubject.trustedIssuer[{index}]"
    if not isinstance(item, dict):
        raise TrustListError(f"{where}: must be an object.", field=where)
    did = item.get("id")
    if not isinstance(did, str) or not did.startswith("did:") or len(did) > 500:
        raise TrustListError(f"{where}.id: must be the issuer's DID.", field=f"{where}.id")
    ja, en = _names(item.get("name"), where)
    scope = item.get("scope", [])
    scope = [scope] if isinstance(scope, str) else scope
    if not isinstance(scope, list) or not all(isinstance(s, str) for s in scope):
        raise TrustListError(f"{where}.scope: must be a list of texts.", field=f"{where}.scope")
    url = item.get("url")
    if url is not None and not isinstance(url, str):
        raise TrustListError(f"{where}.url: must be a text.", field=f"{where}.url")
    return TrustEntry(did=did, name_ja=ja, name_en=en, registry=registry, state="listed", scope=tuple(scope),
                      url=url)


def _items(document: Any) -> list:
    if not isinstance(document, dict):
        raise TrustListError("A trust list must be a JSON object (a Verifiable Credential).", field="file")
    types = document.get("type")
    if not isinstance(types, list) or TYPE not in types:
        raise TrustListError(f"type: must include {TYPE!r}.", field="type")
    subject = document.get("credentialSubject")
    if not isinstance(subject, dict) or not isinstance(subject.get("trustedIssuer"), list):
        raise TrustListError("credentialSubject.trustedIssuer: must be a list of issuers.",
                             field="credentialSubject.trustedIssuer")
    return subject["trustedIssuer"]


def _check_dates(document: dict, at: datetime) -> None:
    for field in ("validFrom", "validUntil"):
        if field not in document:
            raise TrustListError(f"{field}: a trust list must say when it is valid.", field=field)
    if at < _parse_time(document["validFrom"], "validFrom"):
        raise TrustListError("The trust list is not valid yet (validFrom is in the future).", field="validFrom")
    if at > _parse_time(document["validUntil"], "validUntil"):
        raise TrustListError("The trust list has expired (validUntil has passed).", field="validUntil")


def _signed_by(method: Any, pinned: str) -> bool:
    if not isinstance(method, str):
        return False
    return method == pinned if "#" in pinned else method.split("#", 1)[0] == pinned


def _check_signer(document: dict, pinned: str) -> None:
    proofs = document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs] if isinstance(proofs, dict) else []
    if not proofs:
        raise TrustListError("The trust list is not signed.", field="proof")
    if not any(isinstance(p, dict) and _signed_by(p.get("verificationMethod"), pinned) for p in proofs):
        raise TrustListError(f"The trust list is not signed by the pinned operator {pinned}.", field="proof")
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if issuer_id != pinned.split("#", 1)[0]:
        raise TrustListError(f"issuer: the list's issuer {issuer_id!r} is not the pinned operator.", field="issuer")


def read_trust_list(document: Any, pinned: str, *, registry: str | None = None, resolver: Resolver | None = None,
                    at: datetime | None = None) -> list[TrustEntry]:
    """The issuers of a signed trust list, or TrustListError saying why the list is refused."""
    if not isinstance(pinned, str) or not pinned.startswith("did:"):
        raise TrustListError("Pin the operator's DID or verification method id (did:…).", field="pinned")
    items = _items(document)
    _check_dates(document, at or datetime.now(timezone.utc))
    _check_signer(document, pinned)
    result = verify(document, resolver=resolver, at=at)
    if not result.verified:
        raise TrustListError("The trust list's signature does not verify: " + "; ".join(result.errors),
                             field="proof")
    name = registry or (document.get("name") if isinstance(document.get("name"), str) else None) or pinned
    return [_entry(item, i, name) for i, item in enumerate(items)]


__all__ = ["TRUST_LIST_CONTEXT", "TYPE", "build_trust_list", "read_trust_list"]
