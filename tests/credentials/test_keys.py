"""Issuer private keys: encrypted at rest, bound to their row, never in responses or logs."""

from __future__ import annotations

import logging

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text

from credentials.keystore import KeyDecryptionError, open_key, seal_key
from credentials.vc import generate_ed25519
from credentials.vc.multibase import b64url_encode
from tests.conftest import csrf_headers
from tests.credentials.conftest import api_headers, issue, new_achievement, new_provider


def secret_forms(pair) -> list[str]:
    seed = pair.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                      serialization.NoEncryption())
    return [seed.hex(), b64url_encode(seed), pair.secret_multibase()]


def test_sealed_key_opens_only_with_its_master_key_and_row() -> None:
    pair = generate_ed25519()
    sealed = seal_key(pair, "master-key-one-0123456789")
    assert open_key(sealed, pair.public.multibase, "master-key-one-0123456789").public == pair.public
    with pytest.raises(KeyDecryptionError):
        open_key(sealed, pair.public.multibase, "master-key-two-0123456789")
    with pytest.raises(KeyDecryptionError):  # copied onto another key's row
        open_key(sealed, generate_ed25519().public.multibase, "master-key-one-0123456789")
    assert all(form.encode() not in sealed for form in secret_forms(pair))


async def test_raw_database_value_holds_no_key_material(client, db, settings) -> None:
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    assert (await issue(client, provider, achievement["id"])).status_code == 201
    rows = (await db.execute(text("SELECT public_multibase, secret_encrypted FROM issuer_key"))).all()
    assert rows
    for public, sealed in rows:
        pair = open_key(bytes(sealed), public, settings.master_key)
        raw = bytes(sealed)
        seed = secret_forms(pair)[0]
        assert bytes.fromhex(seed) not in raw
        assert all(form.encode() not in raw for form in secret_forms(pair))
    dump = " ".join(str(r) for r in (await db.execute(text("SELECT * FROM issuer"))).all())
    dump += " ".join(str(r) for r in (await db.execute(text("SELECT document FROM issued_credential"))).all())
    for public, sealed in rows:
        pair = open_key(bytes(sealed), public, settings.master_key)
        assert all(form not in dump for form in secret_forms(pair))


async def test_private_keys_never_appear_in_responses_or_logs(client, db, settings, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    provider = await new_provider(client)
    achievement = await new_achievement(client, provider)
    texts = [(await issue(client, provider, achievement["id"], format=f)).text for f in ("ldp", "jwt")]
    texts.append((await client.get(f"{provider['base']}/issuer", headers=await api_headers(client, provider))).text)
    rotated = await client.post(f"{provider['base']}/issuer/rotate-key", headers=await csrf_headers(client))
    assert rotated.status_code == 200
    texts.append(rotated.text)
    texts.append((await client.get("/schema/openapi.json")).text)
    rows = (await db.execute(text("SELECT public_multibase, secret_encrypted FROM issuer_key"))).all()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for public, sealed in rows:
        for form in secret_forms(open_key(bytes(sealed), public, settings.master_key)):
            assert all(form not in body for body in texts)
            assert form not in logged
    assert "secret" not in texts[2].lower()


async def test_an_organization_called_platform_cannot_take_the_platform_issuer(client) -> None:
    assert (await client.get("/.well-known/did.json")).status_code == 200  # creates the platform issuer
    provider = await new_provider(client, "platform")
    response = await client.get(f"{provider['base']}/issuer", headers={"x-api-key": provider["key"]})
    assert response.status_code == 409
