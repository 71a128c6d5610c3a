"""Ed25519 and P-256 keys: Multikey / JWK / base58 forms, did:key encoding, generation, sign and verify."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from credentials.vc.errors import KeyError_
from credentials.vc.multibase import (
    ED25519_PRIV,
    ED25519_PUB,
    P256_PRIV,
    P256_PUB,
    b58decode,
    b64url_decode,
    b64url_encode,
    multibase_decode,
    multibase_encode,
    multicodec_unwrap,
    multicodec_wrap,
)

ED25519 = "Ed25519"
P256 = "P-256"
_P256_ORDER_BYTES = 32


@lru_cache(maxsize=1024)
def _ed_public(raw: bytes) -> ed25519.Ed25519PublicKey:
    return ed25519.Ed25519PublicKey.from_public_bytes(raw)


@lru_cache(maxsize=1024)
def _p256_public(raw: bytes) -> ec.EllipticCurvePublicKey:
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


@dataclass(frozen=True)
class PublicKey:
    """A public key: algorithm name and raw bytes (Ed25519: 32 bytes; P-256: compressed 33 bytes)."""

    algorithm: str
    raw: bytes

    def verify(self, signature: bytes, message: bytes) -> bool:
        """True when signature is valid over message (Ed25519, or ECDSA-SHA256 with raw r||s)."""
        try:
            if self.algorithm == ED25519:
                _ed_public(self.raw).verify(signature, message)
                return True
            if len(signature) != 2 * _P256_ORDER_BYTES:
                return False
            r = int.from_bytes(signature[:32], "big")
            s = int.from_bytes(signature[32:], "big")
            _p256_public(self.raw).verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
            return True
        except (InvalidSignature, ValueError):
            return False

    @property
    def multibase(self) -> str:
        """publicKeyMultibase (multicodec-prefixed, base58btc)."""
        code = ED25519_PUB if self.algorithm == ED25519 else P256_PUB
        return multibase_encode(multicodec_wrap(code, self.raw))

    @property
    def did(self) -> str:
        """did:key DID of this key."""
        return "did:key:" + self.multibase

    @property
    def did_key_vm(self) -> str:
        """did:key verification method id (DID#fingerprint)."""
        return f"{self.did}#{self.multibase}"

    def jwk(self) -> dict[str, str]:
        """Public JWK."""
        if self.algorithm == ED25519:
            return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(self.raw)}
        point = _p256_public(self.raw).public_bytes(serialization.Encoding.X962,
                                                     serialization.PublicFormat.UncompressedPoint)
        return {"kty": "EC", "crv": "P-256", "x": b64url_encode(point[1:33]), "y": b64url_encode(point[33:])}


@dataclass
class KeyPair:
    """A signing key with its public key and optional verification-method id / controller."""

    public: PublicKey
    private: Any = field(repr=False)
    id: str | None = None
    controller: str | None = None

    @property
    def algorithm(self) -> str:
        return self.public.algorithm

    @property
    def verification_method(self) -> str:
        """The id used in proofs: the given id, else the did:key verification method."""
        return self.id or self.public.did_key_vm

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature, or ECDSA P-256/SHA-256 as raw r||s."""
        if self.algorithm == ED25519:
            return self.private.sign(message)
        r, s = decode_dss_signature(self.private.sign(message, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def secret_multibase(self) -> str:
        """secretKeyMultibase: Ed25519 32-byte seed (0x1300) or P-256 scalar (0x1306)."""
        if self.algorithm == ED25519:
            seed = self.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                              serialization.NoEncryption())
            return multibase_encode(multicodec_wrap(ED25519_PRIV, seed))
        scalar = self.private.private_numbers().private_value.to_bytes(32, "big")
        return multibase_encode(multicodec_wrap(P256_PRIV, scalar))

    def private_jwk(self) -> dict[str, str]:
        """Private JWK (OKP Ed25519 or EC P-256) with 'd'."""
        jwk = self.public.jwk()
        if self.algorithm == ED25519:
            seed = self.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                              serialization.NoEncryption())
            return {**jwk, "d": b64url_encode(seed)}
        return {**jwk, "d": b64url_encode(self.private.private_numbers().private_value.to_bytes(32, "big"))}

    def to_multikey(self) -> dict[str, str]:
        """Multikey document holding the secret (store it like a password)."""
        doc = {"type": "Multikey", "publicKeyMultibase": self.public.multibase,
               "secretKeyMultibase": self.secret_multibase()}
        if self.controller:
            doc["controller"] = self.controller
        if self.id:
            doc["id"] = self.id
        return doc


def _ed_pair(private: ed25519.Ed25519PrivateKey, **kw: Any) -> KeyPair:
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return KeyPair(PublicKey(ED25519, raw), private, **kw)


def _p256_pair(private: ec.EllipticCurvePrivateKey, **kw: Any) -> KeyPair:
    raw = private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    return KeyPair(PublicKey(P256, raw), private, **kw)


def generate_ed25519(**kw: Any) -> KeyPair:
    """A new random Ed25519 key pair."""
    return _ed_pair(ed25519.Ed25519PrivateKey.generate(), **kw)


def generate_p256(**kw: Any) -> KeyPair:
    """A new random P-256 key pair."""
    return _p256_pair(ec.generate_private_key(ec.SECP256R1()), **kw)


def ed25519_from_seed(seed: bytes, **kw: Any) -> KeyPair:
    """Ed25519 key pair from a 32-byte seed."""
    if len(seed) != 32:
        raise KeyError_("Ed25519 seed must be 32 bytes")
    return _ed_pair(ed25519.Ed25519PrivateKey.from_private_bytes(seed), **kw)


def public_key_from_multibase(value: str) -> PublicKey:
    """Decode publicKeyMultibase (Ed25519 0xed or P-256 0x1200)."""
    try:
        code, raw = multicodec_unwrap(multibase_decode(value))
    except ValueError as exc:
        raise KeyError_(f"invalid publicKeyMultibase: {exc}") from None
    if code == ED25519_PUB and len(raw) == 32:
        return PublicKey(ED25519, raw)
    if code == P256_PUB and len(raw) in (33, 65):
        return PublicKey(P256, _compress_p256(raw))
    raise KeyError_(f"unsupported or malformed multikey (codec 0x{code:x}, {len(raw)} bytes)")


def _compress_p256(raw: bytes) -> bytes:
    try:
        return _p256_public(raw).public_bytes(serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint)
    except ValueError:
        raise KeyError_("invalid P-256 public key point") from None


def public_key_from_jwk(jwk: dict) -> PublicKey:
    """Ed25519 (OKP) or P-256 (EC) public JWK."""
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            raw = b64url_decode(jwk["x"])
            if len(raw) == 32:
                return PublicKey(ED25519, raw)
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            x, y = b64url_decode(jwk["x"]), b64url_decode(jwk["y"])
            if len(x) == 32 and len(y) == 32:
                return PublicKey(P256, _compress_p256(b"\x04" + x + y))
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    raise KeyError_("unsupported or malformed public JWK (Ed25519 OKP or P-256 EC expected)")


def keypair_from_jwk(jwk: dict, **kw: Any) -> KeyPair:
    """Private Ed25519 / P-256 JWK (with 'd')."""
    public = public_key_from_jwk(jwk)
    try:
        d = b64url_decode(jwk["d"])
    except (KeyError, ValueError):
        raise KeyError_("private JWK needs a 'd' member") from None
    pair = ed25519_from_seed(d, **kw) if public.algorithm == ED25519 else _p256_from_scalar(d, **kw)
    if pair.public != public:
        raise KeyError_("JWK 'd' does not match its public key")
    return pair


def _p256_from_scalar(scalar: bytes, **kw: Any) -> KeyPair:
    try:
        private = ec.derive_private_key(int.from_bytes(scalar, "big"), ec.SECP256R1())
    except ValueError:
        raise KeyError_("invalid P-256 private scalar") from None
    return _p256_pair(private, **kw)


def keypair_from_multikey(doc: dict, **kw: Any) -> KeyPair:
    """Multikey document with secretKeyMultibase (or the test vectors' privateKeyMultibase)."""
    secret = doc.get("secretKeyMultibase") or doc.get("privateKeyMultibase")
    if not isinstance(secret, str):
        raise KeyError_("key document has no secretKeyMultibase")
    try:
        code, raw = multicodec_unwrap(multibase_decode(secret))
    except ValueError as exc:
        raise KeyError_(f"invalid secretKeyMultibase: {exc}") from None
    if code == ED25519_PRIV and len(raw) in (32, 64):
        pair = ed25519_from_seed(raw[:32], **kw)
    elif code == P256_PRIV and len(raw) == 32:
        pair = _p256_from_scalar(raw, **kw)
    else:
        raise KeyError_(f"unsupported secret key (codec 0x{code:x}, {len(raw)} bytes)")
    if "publicKeyMultibase" in doc and public_key_from_multibase(doc["publicKeyMultibase"]) != pair.public:
        raise KeyError_("secretKeyMultibase does not match publicKeyMultibase")
    return pair


def load_key(doc: dict) -> KeyPair:
    """A signing key from a Multikey document or a private JWK (id/controller kept when present)."""
    if not isinstance(doc, dict):
        raise KeyError_("key file must hold a JSON object")
    kw = {"id": doc.get("id") if isinstance(doc.get("id"), str) else None,
          "controller": doc.get("controller") if isinstance(doc.get("controller"), str) else None}
    if "kty" in doc:
        pair = keypair_from_jwk(doc, id=doc.get("kid") if isinstance(doc.get("kid"), str) else None)
        return pair
    if "privateKeyJwk" in doc:
        return keypair_from_jwk(doc["privateKeyJwk"], **kw)
    return keypair_from_multikey(doc, **kw)


def public_key_from_method(method: dict) -> PublicKey:
    """Public key of a verification method (Multikey, Ed25519VerificationKey2018/2020, JsonWebKey(2020))."""
    if isinstance(method.get("publicKeyMultibase"), str):
        return public_key_from_multibase(method["publicKeyMultibase"])
    if isinstance(method.get("publicKeyJwk"), dict):
        return public_key_from_jwk(method["publicKeyJwk"])
    if isinstance(method.get("publicKeyBase58"), str):
        try:
            raw = b58decode(method["publicKeyBase58"])
        except ValueError as exc:
            raise KeyError_(f"invalid publicKeyBase58: {exc}") from None
        if len(raw) == 32:
            return PublicKey(ED25519, raw)
    raise KeyError_(f"verification method {method.get('id')!r} has no supported public key")


def did_key_document(did: str) -> dict:
    """Resolve did:key (Ed25519 or P-256) offline to its DID document (Multikey form)."""
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise KeyError_(f"not a did:key: {did!r}")
    fingerprint = did[len("did:key:"):].split("#", 1)[0]
    public = public_key_from_multibase(fingerprint)
    vm_id = f"did:key:{fingerprint}#{fingerprint}"
    method = {"id": vm_id, "type": "Multikey", "controller": f"did:key:{fingerprint}", "publicKeyMultibase": fingerprint}
    doc = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": f"did:key:{fingerprint}",
        "verificationMethod": [method],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityDelegation": [vm_id],
        "capabilityInvocation": [vm_id],
    }
    if public.algorithm == ED25519:
        doc["keyAgreement"] = []
    return doc
