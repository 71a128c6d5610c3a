"""Issuer private keys at rest: AES-256-GCM under a key derived from ``settings.master_key`` (HKDF-SHA256).

The stored value is ``version byte || 12-byte nonce || ciphertext+tag``; the key row's public key is
bound in as associated data, so a ciphertext copied onto another row does not decrypt.
Private keys never leave this module except as a :class:`KeyPair` used for signing.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from credentials.vc import KeyPair
from credentials.vc.keys import ed25519_from_seed

VERSION = b"\x01"
_SALT = b"skillpass/issuer-keys"
_INFO = b"skillpass issuer private keys v1"


class KeyDecryptionError(Exception):
    """The stored key does not decrypt with this master key (wrong key, or the value was altered)."""


@lru_cache(maxsize=8)
def _aead(master_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(master_key.encode("utf-8"))
    return AESGCM(key)


def seal_key(pair: KeyPair, master_key: str) -> bytes:
    """Encrypt the 32-byte Ed25519 seed of ``pair``."""
    from cryptography.hazmat.primitives import serialization

    seed = pair.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                      serialization.NoEncryption())
    nonce = os.urandom(12)
    return VERSION + nonce + _aead(master_key).encrypt(nonce, seed, pair.public.multibase.encode("ascii"))


def open_key(sealed: bytes, public_multibase: str, master_key: str) -> KeyPair:
    """Decrypt a sealed key and check it matches its public key."""
    if not sealed or sealed[:1] != VERSION:
        raise KeyDecryptionError("unknown key encryption version")
    try:
        seed = _aead(master_key).decrypt(sealed[1:13], sealed[13:], public_multibase.encode("ascii"))
    except InvalidTag:
        raise KeyDecryptionError("issuer key does not decrypt with the configured master key") from None
    pair = ed25519_from_seed(seed)
    if pair.public.multibase != public_multibase:
        raise KeyDecryptionError("decrypted key does not match its public key")
    return pair
