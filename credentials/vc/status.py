"""W3C Bitstring Status List (and StatusList2021): encode/decode lists, build list credentials, check entries."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from typing import Any

from credentials.vc.errors import StatusError
from credentials.vc.multibase import b64url_decode, b64url_encode

MIN_ENTRIES = 131_072  # 16 KiB: the minimum list size the spec asks for (herd privacy)
MAX_DECODED_BYTES = 16 * 1024 * 1024
BITSTRING_ENTRY = "BitstringStatusListEntry"
STATUSLIST2021_ENTRY = "StatusList2021Entry"
ENTRY_TYPES = {BITSTRING_ENTRY: ("BitstringStatusListCredential", "BitstringStatusList"),
               STATUSLIST2021_ENTRY: ("StatusList2021Credential", "StatusList2021")}
STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
STATUS_2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"


class Bitstring:
    """A status bitstring; bit 0 is the left-most (most significant) bit of the first byte."""

    def __init__(self, size: int = MIN_ENTRIES, data: bytes | None = None) -> None:
        self.bits = bytearray(data) if data is not None else bytearray((size + 7) // 8)

    def __len__(self) -> int:
        return len(self.bits) * 8

    def get(self, index: int) -> bool:
        if not 0 <= index < len(self):
            raise StatusError(f"status index {index} outside the list (size {len(self)})", code="status_index")
        return bool(self.bits[index >> 3] & (0x80 >> (index & 7)))

    def set(self, index: int, value: bool = True) -> None:
        if not 0 <= index < len(self):
            raise StatusError(f"status index {index} outside the list (size {len(self)})", code="status_index")
        if value:
            self.bits[index >> 3] |= 0x80 >> (index & 7)
        else:
            self.bits[index >> 3] &= ~(0x80 >> (index & 7)) & 0xFF

    def encode(self, multibase: bool = True) -> str:
        """GZIP then base64url; with the multibase 'u' prefix (Bitstring Status List) or without (2021)."""
        text = b64url_encode(gzip.compress(bytes(self.bits), mtime=0))
        return "u" + text if multibase else text


def decode_list(encoded: Any) -> Bitstring:
    """Decode an encodedList (multibase 'u' base64url or bare base64url, GZIP), bounded in size."""
    if not isinstance(encoded, str) or not encoded:
        raise StatusError("encodedList must be a non-empty string", code="status_list_invalid")
    candidates = [encoded[1:], encoded] if encoded.startswith("u") else [encoded]
    for text in candidates:
        try:
            raw = b64url_decode(text)
        except ValueError:
            continue
        if raw[:2] != b"\x1f\x8b":
            continue
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(raw, MAX_DECODED_BYTES + 1)
        except zlib.error:
            continue
        if len(data) > MAX_DECODED_BYTES or inflater.unconsumed_tail:
            raise StatusError("encodedList expands beyond the size limit", code="status_list_invalid")
        return Bitstring(data=data)
    raise StatusError("encodedList is not GZIP-compressed base64url data", code="status_list_invalid")


def build_status_list_credential(*, list_id: str, issuer: str, purpose: str = "revocation",
                                 bits: Bitstring | None = None, valid_from: str | None = None,
                                 valid_until: str | None = None) -> dict:
    """An unsigned VCDM 2.0 BitstringStatusListCredential (sign it with sign_credential)."""
    bits = bits or Bitstring()
    if len(bits) < MIN_ENTRIES:
        raise StatusError(f"status lists need at least {MIN_ENTRIES} entries", code="status_list_invalid")
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": f"{list_id}#list", "type": "BitstringStatusList",
                              "statusPurpose": purpose, "encodedList": bits.encode()},
    }
    if valid_from:
        credential["validFrom"] = valid_from
    if valid_until:
        credential["validUntil"] = valid_until
    return credential


def status_entry(list_id: str, index: int, purpose: str = "revocation") -> dict:
    """A BitstringStatusListEntry pointing at index of list_id."""
    return {"id": f"{list_id}#{index}", "type": BITSTRING_ENTRY, "statusPurpose": purpose,
            "statusListIndex": str(index), "statusListCredential": list_id}


@dataclass
class StatusOutcome:
    ok: bool
    code: str
    message: str
    purpose: str = ""
    bit: bool | None = None


def check_entry(entry: Any, resolver: Any, verify_list: Any) -> StatusOutcome:
    """Check one credentialStatus entry.  verify_list(list_credential) -> (ok, reason) verifies the
    list credential's own proof and dates."""
    if not isinstance(entry, dict):
        return StatusOutcome(False, "status_entry_invalid", "credentialStatus entry must be an object")
    type_ = entry.get("type")
    types = type_ if isinstance(type_, list) else [type_]
    kind = next((t for t in types if t in ENTRY_TYPES), None)
    if kind is None:
        return StatusOutcome(False, "status_type_unknown", f"unsupported credentialStatus type {type_!r}")
    purpose = entry.get("statusPurpose")
    url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex"))
    except (TypeError, ValueError):
        return StatusOutcome(False, "status_entry_invalid", "statusListIndex must be an integer string")
    if not isinstance(url, str) or not isinstance(purpose, str):
        return StatusOutcome(False, "status_entry_invalid", "statusListCredential and statusPurpose are required")
    try:
        list_vc = resolver.fetch(url)
    except Exception as exc:  # ResolutionError, network
        return StatusOutcome(False, "status_list_unavailable", f"could not load status list {url}: {exc}", purpose)
    ok, reason = verify_list(list_vc)
    if not ok:
        return StatusOutcome(False, "status_list_unverified", f"status list credential {url} not verified: {reason}",
                             purpose)
    try:
        bit = _read_bit(list_vc, kind, purpose, index, url)
    except StatusError as exc:
        return StatusOutcome(False, exc.code, str(exc), purpose)
    if bit and purpose in ("revocation", "suspension"):
        word = "revoked" if purpose == "revocation" else "suspended"
        return StatusOutcome(False, word, f"credential is {word} (bit {index} of {url} is set)", purpose, True)
    return StatusOutcome(True, "ok", f"{purpose} bit {index} of {url} is {'set' if bit else 'not set'}", purpose, bit)


def _read_bit(list_vc: Any, kind: str, purpose: str, index: int, url: str) -> bool:
    cred_type, subject_type = ENTRY_TYPES[kind]
    if not isinstance(list_vc, dict):
        raise StatusError(f"status list {url} is not a JSON object", code="status_list_invalid")
    types = list_vc.get("type")
    if cred_type not in (types if isinstance(types, list) else [types]):
        raise StatusError(f"status list credential type must include {cred_type!r}", code="status_list_invalid")
    subject = list_vc.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") not in (subject_type, [subject_type]):
        raise StatusError(f"status list credentialSubject must be a {subject_type}", code="status_list_invalid")
    list_purpose = subject.get("statusPurpose")
    if purpose not in (list_purpose if isinstance(list_purpose, list) else [list_purpose]):
        raise StatusError(f"status list purpose {list_purpose!r} does not match entry purpose {purpose!r}",
                          code="status_purpose_mismatch")
    return decode_list(subject.get("encodedList")).get(index)
