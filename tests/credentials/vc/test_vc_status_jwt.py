"""Bitstring Status List (revocation, suspension, StatusList2021) and VC-JWT."""

from __future__ import annotations

import pytest

from credentials.vc.did import Resolver
from credentials.vc.jwt import parse_jwt
from credentials.vc.keys import generate_ed25519, generate_p256
from credentials.vc.signing import sign_credential, sign_presentation
from credentials.vc.status import (
    MIN_ENTRIES,
    Bitstring,
    build_status_list_credential,
    decode_list,
    status_entry,
)
from credentials.vc.verifier import verify
from helpers_vc import badge_for

KEY = generate_ed25519()
LIST_URL = "https://skillpass.example/status/1"


def test_bitstring_encode_decode_round_trip() -> None:
    bits = Bitstring()
    assert len(bits) == MIN_ENTRIES
    for i in (0, 7, 8, 1000, MIN_ENTRIES - 1):
        bits.set(i)
    decoded = decode_list(bits.encode())
    assert bits.encode().startswith("uH4sI")
    assert [decoded.get(i) for i in (0, 1, 7, 8, 9, 1000, MIN_ENTRIES - 1)] == [True, False, True, True, False, True, True]
    assert decoded.bits[0] == 0x81  # bit 0 is the left-most bit
    assert decode_list(bits.encode(multibase=False)).get(1000)


def test_gzip_bomb_is_refused() -> None:
    import gzip

    from credentials.vc.errors import StatusError
    from credentials.vc.multibase import b64url_encode

    bomb = "u" + b64url_encode(gzip.compress(b"\0" * (20 * 1024 * 1024)))
    with pytest.raises(StatusError, match="size limit"):
        decode_list(bomb)


def _setup(purpose: str, revoked: bool, list_valid_until: str | None = None):
    bits = Bitstring()
    if revoked:
        bits.set(42)
    list_vc = build_status_list_credential(list_id=LIST_URL, issuer=KEY.public.did, purpose=purpose, bits=bits,
                                           valid_from="2024-01-01T00:00:00Z", valid_until=list_valid_until)
    resolver = Resolver()
    resolver.register(LIST_URL, sign_credential(list_vc, KEY))
    credential = sign_credential(badge_for(KEY, credentialStatus=status_entry(LIST_URL, 42, purpose)), KEY)
    return credential, resolver


@pytest.mark.parametrize("purpose,code", [("revocation", "revoked"), ("suspension", "suspended")])
def test_revoked_and_suspended(purpose: str, code: str) -> None:
    credential, resolver = _setup(purpose, revoked=True)
    result = verify(credential, resolver=resolver, at="2025-01-01T00:00:00Z")
    assert not result.verified
    assert [c.code for c in result.checks if c.check == "status"] == [code]
    credential, resolver = _setup(purpose, revoked=False)
    assert verify(credential, resolver=resolver, at="2025-01-01T00:00:00Z").verified


def test_status_list_credential_own_proof_and_dates_are_checked() -> None:
    credential, resolver = _setup("revocation", revoked=False, list_valid_until="2024-06-01T00:00:00Z")
    result = verify(credential, resolver=resolver, at="2025-01-01T00:00:00Z")
    assert [c.code for c in result.checks if c.check == "status"] == ["status_list_unverified"]
    credential, resolver = _setup("revocation", revoked=False)
    forged = dict(resolver.registry[LIST_URL])
    other = Bitstring()
    other.set(7)
    forged["credentialSubject"] = dict(forged["credentialSubject"], encodedList=other.encode())
    resolver.register(LIST_URL, forged)
    assert not verify(credential, resolver=resolver, at="2025-01-01T00:00:00Z").verified
    assert not verify(credential, at="2025-01-01T00:00:00Z").verified  # list unavailable


def test_statuslist2021_entry() -> None:
    bits = Bitstring()
    bits.set(5)
    list_vc = {"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1"],
               "id": LIST_URL, "type": ["VerifiableCredential", "StatusList2021Credential"],
               "issuer": KEY.public.did, "issuanceDate": "2024-01-01T00:00:00Z",
               "credentialSubject": {"id": LIST_URL + "#list", "type": "StatusList2021",
                                     "statusPurpose": "revocation", "encodedList": bits.encode(multibase=False)}}
    resolver = Resolver(registry={LIST_URL: sign_credential(list_vc, KEY, suite="Ed25519Signature2018")})
    for index, ok in ((5, False), (6, True)):
        credential = {"@context": list_vc["@context"], "type": ["VerifiableCredential"], "issuer": KEY.public.did,
                      "issuanceDate": "2024-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:1"},
                      "credentialStatus": {"id": f"{LIST_URL}#{index}", "type": "StatusList2021Entry",
                                           "statusPurpose": "revocation", "statusListIndex": str(index),
                                           "statusListCredential": LIST_URL}}
        result = verify(sign_credential(credential, KEY, suite="Ed25519Signature2018"), resolver=resolver)
        assert result.verified is ok, result.errors


@pytest.mark.parametrize("keygen,alg", [(generate_ed25519, "EdDSA"), (generate_p256, "ES256")])
def test_vc_jwt_round_trip(keygen, alg: str) -> None:
    key = keygen()
    token = sign_credential(badge_for(key), key, suite="vc-jwt")
    header, payload, _, _ = parse_jwt(token)
    assert header["alg"] == alg and payload["issuer"]["id"] == key.public.did
    result = verify(token)
    assert result.verified and result.kind == "jwt-credential", result.errors
    head, body, sig = token.split(".")
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    assert not verify(f"{head}.{body}.{flipped}").verified
    assert not verify(f"{head}.{body[:-2]}xx.{sig}").verified


def test_vcdm11_jwt_claims_and_expiry() -> None:
    credential = {"@context": ["https://www.w3.org/2018/credentials/v1"], "id": "urn:uuid:1",
                  "type": ["VerifiableCredential"], "issuer": KEY.public.did, "issuanceDate": "2024-01-01T00:00:00Z",
                  "expirationDate": "2025-01-01T00:00:00Z", "credentialSubject": {"id": "did:example:1"}}
    token = sign_credential(credential, KEY, suite="vc-jwt")
    _, payload, _, _ = parse_jwt(token)
    assert payload["iss"] == KEY.public.did and payload["jti"] == "urn:uuid:1" and payload["sub"] == "did:example:1"
    assert verify(token, at="2024-06-01T00:00:00Z").verified
    assert not verify(token, at="2025-06-01T00:00:00Z").verified


def test_alg_none_and_garbage_jwt_are_rejected() -> None:
    from credentials.vc.multibase import b64url_encode

    token = sign_credential(badge_for(KEY), KEY, suite="vc-jwt")
    _, body, _ = token.split(".")
    none_header = b64url_encode(b'{"alg":"none"}')
    assert not verify(f"{none_header}.{body}.").verified
    assert not verify("aaa.bbb.ccc").verified


def test_vp_jwt_with_nonce_and_audience() -> None:
    holder = generate_ed25519()
    inner = sign_credential(badge_for(KEY), KEY, suite="vc-jwt")
    vp = {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"],
          "verifiableCredential": [inner]}
    token = sign_presentation(vp, holder, challenge="n-1", domain="skillpass.example", suite="vc-jwt")
    assert verify(token, challenge="n-1", domain="skillpass.example").verified
    assert not verify(token, challenge="n-2").verified
