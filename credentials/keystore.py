"""Issuer private keys at rest: AES-256-GCM under a key derived from ``settings.master_key`` (HKDF-SHA256).

The stored value is ``version byte || 12-byte nonce || ciphertext+tag``; the key row's public key is
bound in as associated data, so a ciphertext copied onto another row does not decrypt.
Private keys never leave this module except as a :class:`KeyPair` used for signing.
"""

from __future__ import annotations

from cryptography.exceptions import InvalidTag

from core.sealing import Sealer
from credentials.vc import KeyPair
from credentials.vc.keys import ed25519_from_seed

_SEALER = Sealer(b"skillpass/issuer-keys", b"skillpass issuer private keys v1", version=b"\x01")


class KeyDecryptionError(Exception):
    """The stored key does not decrypt with this master key (wrong key, or the value was altered)."""


def seal_key(pair: KeyPair, master_key: str) -> bytes:
    """Encrypt the 32-byte Ed25519 seed of ``pair``."""
    from cryptography.hazmat.primitives import serialization

    seed = pair.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                      serialization.NoEncryption())
    return _SEALER.seal(master_key, seed, pair.public.multibase.encode("ascii"))


def open_key(sealed: bytes, public_multibase: str, master_key: str) -> KeyPair:
    """Decrypt a sealed key and check it matches its public key."""
    try:
        seed = _SEALER.open(master_key, sealed, public_multibase.encode("ascii"))
    except ValueError:
        raise KeyDecryptionError("unknown key encryption version") from None
    except InvalidTag:
        raise KeyDecryptionError("issuer key does not decrypt with the configured master key") from None
    pair = ed25519_from_seed(seed)
    if pair.public.multibase != public_multibase:
        raise KeyDecryptionError("decrypted key does not match its public key")
    return pair
