"""core.sealing keeps every stored format: a value sealed the way each module sealed it before they
shared one implementation (written out here with cryptography directly) still opens, and a value bound
to one row does not open for another."""

from __future__ import annotations

import os
import uuid

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from accounts import outbox
from core.sealing import Sealer
from core.settings import Settings
from credentials import keystore
from credentials.ob_consumer import sealing as ob_sealing
from credentials.webhooks import sealing as webhook_sealing
from credentials.vc.keys import ed25519_from_seed
from skills import sharing

MASTER = "test-master-key-0123456789"


def _sealed_as_before(salt: bytes | None, info: bytes, version: bytes, plain: bytes, bound: bytes) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(MASTER.encode())
    nonce = os.urandom(12)
    return version + nonce + AESGCM(key).encrypt(nonce, plain, bound)


def test_values_sealed_in_each_former_format_still_open() -> None:
    row = uuid.uuid4()
    secret = "whsec_" + "A" * 43
    assert webhook_sealing.unseal(_sealed_as_before(b"skillpass/webhook-secrets", b"skillpass webhook secrets v1",
                                                    b"\x01", secret.encode(), row.bytes), row, MASTER) == secret
    assert ob_sealing.unseal(_sealed_as_before(b"skillpass/ob-consumer", b"skillpass ob consumer secrets v1",
                                               b"\x01", b'{"a":1}', row.bytes), row, MASTER) == {"a": 1}
    settings = Settings(master_key=MASTER, secret_key="test-secret-key-0123456789")
    assert outbox.unseal(settings, _sealed_as_before(None, b"skillpass mail outbox v1", b"", b"mail", row.bytes),
                         row) == b"mail"
    token = "t" * 43

    class Link:  # the two fields open_token reads, as a ShareLink row has them
        id, token_sealed, token_hash = row, _sealed_as_before(b"skillpass/share-tokens", b"skillpass share link tokens v1",
                                                              b"", token.encode(), row.bytes), sharing.token_hash(token)

    assert sharing.open_token(MASTER, Link) == token

    seed = os.urandom(32)
    pair = ed25519_from_seed(seed)
    sealed_key = _sealed_as_before(b"skillpass/issuer-keys", b"skillpass issuer private keys v1", b"\x01", seed,
                                   pair.public.multibase.encode("ascii"))
    assert keystore.open_key(sealed_key, pair.public.multibase, MASTER).public.multibase == pair.public.multibase


def test_a_sealed_value_opens_only_for_its_row_its_key_and_its_version() -> None:
    sealer = Sealer(b"salt", b"info", version=b"\x01")
    row, other = uuid.uuid4().bytes, uuid.uuid4().bytes
    sealed = sealer.seal(MASTER, b"secret", row)
    assert sealer.open(MASTER, sealed, row) == b"secret"
    with pytest.raises(InvalidTag):
        sealer.open(MASTER, sealed, other)
    with pytest.raises(InvalidTag):
        sealer.open("another-master-key-0123456789", sealed, row)
    with pytest.raises(ValueError):
        sealer.open(MASTER, b"\x02" + sealed[1:], row)
    with pytest.raises(InvalidTag):
        Sealer(b"salt", b"other purpose", version=b"\x01").open(MASTER, sealed, row)
