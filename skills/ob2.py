"""Open Badges 2.0 assertions from JSON or baked images (PNG ``iTXt`` "openbadges", SVG
``<openbadges:assertion>``), checked as far as possible without the network.

Pure functions; nothing here touches a database or fetches a URL. Hosted verification needs the
issuer's server, so it is always reported as not checked; a signed (JWS) assertion is read but its
signature is not checked (the key would have to be fetched).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone
from typing import Any

from credentials.baked import OB2_KEYWORD, OB2_NAMESPACE, PNG_SIGNATURE, BakedError, png_text_chunks, svg_root

_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")

CHECK_WEIGHTS = {"recipient_confirmed": 0.6, "recipient_unconfirmed": 0.4, "not_checked": 0.0}
EXPIRED_FACTOR = 0.5


class BadgeError(ValueError):
    """The upload is not a readable Open Badges 2.0 assertion; ``field`` names the part at fault."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Badge:
    """What an assertion says and how far it could be checked; ``weight`` 0 means no skill evidence."""

    assertion: dict[str, Any]
    badge_class: dict[str, Any] | None
    key: str  # assertion id, or a digest of the assertion when it has none
    name: str
    description: str
    issuer_name: str
    issued_on: datetime | None
    check_level: str
    checks: dict[str, Any] = field(default_factory=dict)
    weight: float = 0.0
    alignments: tuple[dict[str, Any], ...] = ()


def png_baked_text(data: bytes) -> str | None:
    """The text of the PNG ``iTXt`` (or legacy ``tEXt``) chunk with keyword "openbadges", if any."""
    if not data.startswith(PNG_SIGNATURE):
        raise BadgeError("not a PNG image")
    try:
        return next((text for _, text in png_text_chunks(data, (OB2_KEYWORD,))), None)
    except BakedError as exc:
        raise BadgeError(str(exc)) from exc


def svg_baked_text(data: bytes) -> str | None:
    """The content (or ``verify`` URL) of the SVG ``<openbadges:assertion>`` element, if any."""
    try:
        root = svg_root(data)
    except BakedError as exc:
        raise BadgeError(str(exc)) from exc
    element = root.find(f".//{{{OB2_NAMESPACE}}}assertion")
    if element is None:
        return None
    text = (element.text or "").strip()
    return text or element.get("verify")


def baked_text(data: bytes, media_type: str) -> str:
    """The assertion text inside an image or JSON upload (JSON, JWS or a hosted URL)."""
    if data.startswith(PNG_SIGNATURE):
        text = png_baked_text(data)
    elif b"<svg" in data[:4096] or "svg" in media_type:
        text = svg_baked_text(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadgeError("send a PNG or SVG badge image or the assertion JSON") from exc
    if not text or not text.strip():
        raise BadgeError("the image carries no Open Badges assertion (no 'openbadges' data baked in)")
    return text.strip()


def parse_assertion_text(text: str) -> tuple[dict[str, Any] | None, str | None, str]:
    """(assertion, hosted URL, form) from baked text; form is "json", "jws" or "url"."""
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadgeError(f"the assertion is not valid JSON: {exc.msg}") from exc
        if not isinstance(value, dict):
            raise BadgeError("the assertion must be a JSON object")
        return value, None, "json"
    if _JWS.match(text):
        return jws_payload(text), None, "jws"
    if re.match(r"^https?://\S+$", text):
        return None, text, "url"
    raise BadgeError("the baked data is neither assertion JSON, a signed assertion nor a URL")


def jws_payload(token: str) -> dict[str, Any]:
    """The payload of a compact JWS, read without checking the signature."""
    payload = token.split(".")[1]
    try:
        value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, json.JSONDecodeError) as exc:
        raise BadgeError("the signed assertion's payload is not JSON") from exc
    if not isinstance(value, dict):
        raise BadgeError("the signed assertion's payload must be a JSON object")
    return value


def _is_type(obj: Any, name: str) -> bool:
    kinds = obj.get("type") if isinstance(obj, dict) else None
    return kinds == name or (isinstance(kinds, list) and name in kinds)


def _text(obj: Any, key: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    return value.strip() if isinstance(value, str) else ""


def parse_time(value: Any) -> datetime | None:
    """An OB 2.0 DateTime (ISO 8601, or the legacy Unix timestamp) in UTC; None when unreadable."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def recipient_check(recipient: Any, email: str) -> str:
    """"match", "mismatch" or "unknown" for the assertion's recipient against the person's email."""
    if not isinstance(recipient, dict):
        return "unknown"
    identity = _text(recipient, "identity")
    if not identity or recipient.get("type", "email") != "email":
        return "unknown"
    email = email.strip().lower()
    if not recipient.get("hashed"):
        return "match" if identity.lower() == email else "mismatch"
    algorithm, _, digest = identity.partition("$")
    if algorithm.lower() not in ("sha256", "md5") or not digest:
        return "unknown"
    salted = (email + (recipient.get("salt") or "")).encode("utf-8")
    return "match" if hashlib.new(algorithm.lower(), salted).hexdigest() == digest.lower() else "mismatch"


def _badge_class(assertion: dict[str, Any], provided: dict[str, Any] | None) -> tuple[dict | None, str]:
    embedded = assertion.get("badge")
    if isinstance(embedded, dict):
        return embedded, "embedded"
    if provided is None:
        return None, "missing"
    if isinstance(embedded, str) and provided.get("id") not in (None, embedded):
        raise BadgeError(f"the badge class given has id {provided.get('id')!r}, the assertion names "
                         f"{embedded!r}", field="badge_class")
    return provided, "provided"


def read_badge(data: bytes, media_type: str, email: str, *, assertion: dict[str, Any] | None = None,
               badge_class: dict[str, Any] | None = None, now: datetime | None = None) -> Badge:
    """Read and check an upload; ``assertion``/``badge_class`` supply JSON a hosted badge points to."""
    found, url, form = parse_assertion_text(baked_text(data, media_type)) if data else (None, None, "json")
    assertion = found or assertion
    if assertion is None:
        raise BadgeError(f"the badge only points to {url}; fetching it needs the network, so provide the "
                         "assertion JSON as well", field="assertion")
    if url and assertion.get("id") not in (None, url):
        raise BadgeError("the assertion given is not the one the image points to", field="assertion")
    if not _is_type(assertion, "Assertion") and "recipient" not in assertion:
        raise BadgeError("this is not an Open Badges 2.0 assertion (no type Assertion, no recipient)")
    klass, klass_origin = _badge_class(assertion, badge_class)
    recipient = recipient_check(assertion.get("recipient"), email)
    if recipient == "mismatch":
        raise BadgeError("the badge was awarded to a different email address than this account's",
                         field="recipient")
    return _checked(assertion, klass, klass_origin, recipient, form, now or datetime.now(UTC))


def _checked(assertion: dict[str, Any], klass: dict[str, Any] | None, klass_origin: str, recipient: str,
             form: str, now: datetime) -> Badge:
    verification = assertion.get("verification") if isinstance(assertion.get("verification"), dict) else {}
    kind = "signed" if form == "jws" else str(verification.get("type") or "hosted").lower()
    expires = parse_time(assertion.get("expires"))
    checks = {
        "format": form, "badge_class": klass_origin, "recipient": recipient,
        "verification": f"{kind}: not checked (offline)",
        "expired": bool(expires and expires < now), "revoked": "not checked (offline)",
    }
    if klass is None:
        level = "not_checked"
    else:
        level = "recipient_confirmed" if recipient == "match" else "recipient_unconfirmed"
    weight = CHECK_WEIGHTS[level] * (EXPIRED_FACTOR if checks["expired"] else 1.0)
    issuer = klass.get("issuer") if klass else None
    key = _text(assertion, "id") or hashlib.sha256(
        json.dumps(assertion, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    alignments = tuple(a for a in (klass or {}).get("alignment") or () if isinstance(a, dict))
    return Badge(assertion, klass, key, _text(klass, "name"), _text(klass, "description"),
                 _text(issuer, "name"), parse_time(assertion.get("issuedOn")), level, checks,
                 round(weight, 2), alignments)
