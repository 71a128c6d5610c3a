"""Multibase (base58btc 'z', base64url 'u') and multicodec varint helpers."""

from __future__ import annotations

import base64

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(B58_ALPHABET)}

ED25519_PUB = 0xED
ED25519_PRIV = 0x1300
P256_PUB = 0x1200
P256_PRIV = 0x1306


def b58encode(data: bytes) -> str:
    """Encode bytes as base58 (bitcoin alphabet)."""
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(B58_ALPHABET[r])
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Decode base58 (bitcoin alphabet); ValueError on a bad character."""
    n = 0
    for c in text:
        try:
            n = n * 58 + _B58_INDEX[c]
        except KeyError:
            raise ValueError(f"invalid base58 character {c!r}") from None
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def b64url_encode(data: bytes) -> str:
    """Base64url without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Base64url with or without padding; ValueError on bad input."""
    if not isinstance(text, str):
        raise ValueError("base64url value must be a string")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except Exception as exc:  # binascii.Error
        raise ValueError(f"invalid base64url: {exc}") from None


def multibase_encode(data: bytes, base: str = "z") -> str:
    """Encode bytes with a multibase prefix ('z' base58btc or 'u' base64url)."""
    if base == "z":
        return "z" + b58encode(data)
    if base == "u":
        return "u" + b64url_encode(data)
    raise ValueError(f"unsupported multibase prefix {base!r}")


def multibase_decode(text: str) -> bytes:
    """Decode a 'z' (base58btc) or 'u' (base64url) multibase string."""
    if not isinstance(text, str) or not text:
        raise ValueError("multibase value must be a non-empty string")
    if text[0] == "z":
        return b58decode(text[1:])
    if text[0] == "u":
        return b64url_decode(text[1:])
    raise ValueError(f"unsupported multibase prefix {text[0]!r}")


def varint(n: int) -> bytes:
    """Unsigned LEB128 varint (multicodec prefix)."""
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_varint(data: bytes) -> tuple[int, int]:
    """Return (value, length) of the varint at the start of data."""
    value = shift = 0
    for i, byte in enumerate(data[:9]):
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, i + 1
        shift += 7
    raise ValueError("invalid varint")


def multicodec_wrap(code: int, data: bytes) -> bytes:
    """Prefix data with its multicodec varint."""
    return varint(code) + data


def multicodec_unwrap(data: bytes) -> tuple[int, bytes]:
    """Split multicodec-prefixed bytes into (code, payload)."""
    code, n = read_varint(data)
    return code, data[n:]
