"""Pure builders of Open Badges 3.0 documents: the unsigned ``OpenBadgeCredential`` and its parts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime
from typing import Any

VCDM2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


def iso(moment: datetime) -> str:
    """XML Schema dateTime in UTC with a 'Z', seconds precision (the form credentials use)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def email_identity(email: str, salt: str | None = None) -> dict[str, Any]:
    """A salted SHA-256 ``IdentityObject`` for an email address (the address itself is not disclosed)."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return {"type": "IdentityObject", "identityHash": f"sha256${digest}", "identityType": "emailAddress",
            "hashed": True, "salt": salt}


def email_matches(identity: dict[str, Any], email: str) -> bool:
    """True when a hashed (or plain) emailAddress identity is this email."""
    if identity.get("identityType") != "emailAddress":
        return False
    value = str(identity.get("identityHash", ""))
    if not identity.get("hashed"):
        return value.strip().lower() == email.strip().lower()
    algorithm, _, digest = value.partition("$")
    if algorithm not in ("sha256", "md5"):
        return False
    material = (email.strip().lower() + str(identity.get("salt") or "")).encode("utf-8")
    return hashlib.new(algorithm, material).hexdigest() == digest.lower()


def evidence_json(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OB 3.0 ``Evidence`` entries from plain dicts (url, name, description, narrative, genre, audience)."""
    out = []
    for item in items:
        entry: dict[str, Any] = {"type": ["Evidence"]}
        if item.get("url"):
            entry["id"] = item["url"]
        for key in ("name", "description", "narrative", "genre", "audience"):
            if item.get(key):
                entry[key] = item[key]
        out.append(entry)
    return out


def open_badge_credential(*, credential_id: str, issuer: dict[str, Any], achievement: dict[str, Any],
                          results: list[dict[str, Any]], recipient_email: str, recipient_name: str | None,
                          valid_from: datetime, valid_until: datetime | None, evidence: list[dict[str, Any]],
                          status: dict[str, Any] | list[dict[str, Any]] | None) -> dict[str, Any]:
    """An unsigned OpenBadgeCredential (VCDM 2.0 + OB 3.0.3 contexts). An achievement without an image
    gets its stable image URL (uploaded image or generated art, ``credentials.badge_images``)."""
    if "image" not in achievement and str(achievement.get("id", "")).startswith("http"):
        achievement = {**achievement, "image": {"id": f"{achievement['id']}/image", "type": "Image"}}
    identifiers = [email_identity(recipient_email)]
    if recipient_name:
        identifiers.append({"type": "IdentityObject", "identityHash": recipient_name, "identityType": "name",
                            "hashed": False})
    subject: dict[str, Any] = {"type": ["AchievementSubject"], "identifier": identifiers,
                               "achievement": achievement}
    if results:
        subject["result"] = results
    credential: dict[str, Any] = {
        "@context": [VCDM2_CONTEXT, OB3_CONTEXT],
        "id": credential_id,
        "type": list(CREDENTIAL_TYPES),
        "name": achievement["name"],
        "issuer": issuer,
        "validFrom": iso(valid_from),
        "awardedDate": iso(valid_from),
        "credentialSubject": subject,
    }
    if valid_until is not None:
        credential["validUntil"] = iso(valid_until)
    if evidence:
        credential["evidence"] = evidence_json(evidence)
    if status:
        credential["credentialStatus"] = status
    return credential


def issuer_profile(*, did: str, name: str, url: str | None, image: str | None = None) -> dict[str, Any]:
    """The OB 3.0 issuer ``Profile``."""
    profile: dict[str, Any] = {"id": did, "type": ["Profile"], "name": name}
    if url:
        profile["url"] = url
    if image:
        profile["image"] = {"id": image, "type": "Image"}
    return profile


def issued_on(document: dict) -> date | None:
    """The day a credential document says it was issued (``validFrom``, or VCDM 1.1's ``issuanceDate``)."""
    for key in ("validFrom", "issuanceDate"):
        value = document.get(key)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            except ValueError:
                continue
    return None
