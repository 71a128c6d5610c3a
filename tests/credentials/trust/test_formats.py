"""The registry formats (pure): DCC legacy registry files and our signed trust lists."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from credentials.trust.dcc import parse_dcc
from credentials.trust.errors import RegistryFormatError, TrustListError
from credentials.trust.evaluate import TrustEntry
from credentials.trust.trustlist import build_trust_list, read_trust_list
from credentials.vc import canonicalize, generate_ed25519, sign_credential, verify

BUNDLED = Path(__file__).resolve().parents[3] / "credentials" / "trust" / "data" / "dcc-sandbox-registry.json"
NOW = datetime.now(timezone.utc)
LISTED = [
    TrustEntry("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "東京デジタルアカデミー",
               "Tokyo Digital Academy", "x", url="https://tda.example.jp", scope=("dss:v2",)),
    TrustEntry("did:web:school.example.jp", "", "Example School", "x"),
]


@pytest.mark.parametrize("folder", ["dcc-registry", "community-registry", "sandbox-registry", "issuer-registry"])
def test_every_shared_dcc_snapshot_parses(shared_dir: Path, folder: str) -> None:
    path = shared_dir / "standards" / "trust-registries" / "dcc-legacy-registries" / folder / "registry.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    entries = parse_dcc(path.read_bytes(), "DCC")
    assert [e.did for e in entries] == list(raw["registry"])
    first = raw["registry"][entries[0].did]
    assert (entries[0].name_en, entries[0].url, entries[0].registry, entries[0].trusted) == (
        first["name"], first["url"], "DCC", True)


def test_the_bundled_snapshot_is_the_shared_sandbox_registry(shared_dir: Path) -> None:
    shared = shared_dir / "standards/trust-registries/dcc-legacy-registries/sandbox-registry/registry.json"
    assert BUNDLED.read_bytes() == shared.read_bytes()


def test_a_japanese_name_in_a_dcc_file_is_the_japanese_name() -> None:
    entry, = parse_dcc({"registry": {"did:key:z1": {"name": "東京デジタルアカデミー", "url": "https://x"}}}, "r")
    assert (entry.name_ja, entry.name_en) == ("東京デジタルアカデミー", "")


@pytest.mark.parametrize(("document", "named"), [
    (b"{not json", "not JSON"),
    (b'{"meta": {}}', '"registry"'),
    (b'{"registry": {"https://not-a-did": {"name": "X"}}}', "registry['https://not-a-did']"),
    (b'{"registry": {"did:key:z1": {"name": "A"}, "did:key:z2": {"url": "https://x"}}}', "registry['did:key:z2'].name"),
    (b'{"registry": {"did:key:z1": {"name": "A", "url": 5}}}', "registry['did:key:z1'].url"),
    (b'{"registry": {"did:key:z1": "A"}}', "registry['did:key:z1']"),
])
def test_a_malformed_dcc_file_is_refused_naming_the_entry(document: bytes, named: str) -> None:
    with pytest.raises(RegistryFormatError) as caught:
        parse_dcc(document, "r")
    assert named in caught.value.detail


def _signed(key=None, **dates):
    key = key or generate_ed25519()
    valid = {"valid_from": NOW - timedelta(days=1), "valid_until": NOW + timedelta(days=30), **dates}
    return key, build_trust_list(LISTED, key, key.public.did_key_vm, **valid)


def test_a_signed_list_reads_back_with_names_scope_and_url() -> None:
    key, document = _signed()
    assert document["type"] == ["VerifiableCredential", "TrustedIssuerList"]
    assert verify(document).verified
    entries = read_trust_list(document, key.public.did, registry="Partner list")
    assert [(e.did, e.name_ja, e.name_en, e.scope, e.url, e.registry, e.state) for e in entries] == [
        (LISTED[0].did, "東京デジタルアカデミー", "Tokyo Digital Academy", ("dss:v2",), "https://tda.example.jp",
         "Partner list", "listed"),
        (LISTED[1].did, "", "Example School", (), None, "Partner list", "listed")]
    assert read_trust_list(document, key.public.did_key_vm)  # pinned by verification method


def test_every_term_of_the_list_is_in_the_signed_canonical_form() -> None:
    _, document = _signed()
    quads = canonicalize({k: v for k, v in document.items() if k != "proof"})
    for term in ("skillpass.example/ns/trust-list#trustedIssuer", "skillpass.example/ns/trust-list#scope",
                 "schema.org/url", "東京デジタルアカデミー\"@ja", "dss:v2"):
        assert term in quads


@pytest.mark.parametrize("tamper", [
    lambda d: d["credentialSubject"]["trustedIssuer"][0]["name"][0].update({"@value": "東京デジタルアカデミ"}),
    lambda d: d["credentialSubject"]["trustedIssuer"][0].update({"scope": ["everything"]}),
    lambda d: d["credentialSubject"]["trustedIssuer"][1].update({"id": "did:web:forger.example"}),
    lambda d: d["credentialSubject"]["trustedIssuer"].append({"id": "did:key:z6MkForger", "name": "Forger"}),
])
def test_a_tampered_list_is_refused(tamper) -> None:
    key, document = _signed()
    tampered = copy.deepcopy(document)
    tamper(tampered)
    with pytest.raises(TrustListError) as caught:
        read_trust_list(tampered, key.public.did)
    assert caught.value.field == "proof" and "signature" in caught.value.detail


def test_a_flipped_byte_of_the_signature_is_refused() -> None:
    key, document = _signed()
    value = document["proof"]["proofValue"]
    document["proof"]["proofValue"] = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    with pytest.raises(TrustListError):
        read_trust_list(document, key.public.did)


def test_a_list_signed_by_someone_else_than_the_pinned_operator_is_refused() -> None:
    _, document = _signed()
    other = generate_ed25519()
    for pinned in (other.public.did, other.public.did_key_vm):
        with pytest.raises(TrustListError) as caught:
            read_trust_list(document, pinned)
        assert "pinned operator" in caught.value.detail


def test_an_expired_or_not_yet_valid_list_is_refused() -> None:
    key, expired = _signed(valid_from=NOW - timedelta(days=40), valid_until=NOW - timedelta(days=1))
    with pytest.raises(TrustListError) as caught:
        read_trust_list(expired, key.public.did)
    assert caught.value.field == "validUntil" and "expired" in caught.value.detail
    key, early = _signed(valid_from=NOW + timedelta(days=1))
    with pytest.raises(TrustListError) as caught:
        read_trust_list(early, key.public.did)
    assert caught.value.field == "validFrom"


def test_a_list_of_the_wrong_shape_names_the_field() -> None:
    key, document = _signed()
    with pytest.raises(TrustListError) as caught:
        read_trust_list({**document, "type": ["VerifiableCredential"]}, key.public.did)
    assert caught.value.field == "type"
    unsigned = {k: v for k, v in copy.deepcopy(document).items() if k != "proof"}
    unsigned["credentialSubject"]["trustedIssuer"][1]["name"] = 5
    signed = sign_credential(unsigned, key, verification_method=key.public.did_key_vm)
    with pytest.raises(TrustListError) as caught:
        read_trust_list(signed, key.public.did)
    assert caught.value.field == "credentialSubject.trustedIssuer[1].name"
    with pytest.raises(TrustListError) as caught:
        read_trust_list(document, "not-a-did")
    assert caught.value.field == "pinned"
