"""What skillpass tells wallets about itself: the credential issuer metadata (OpenID4VCI 1.0 section 12.2)
and the OAuth authorization server metadata (RFC 8414) of the pre-authorized code flow."""

from __future__ import annotations

from typing import Any

from core.settings import Settings
from credentials.achievements import base_url
from credentials.documents import CREDENTIAL_TYPES, OB3_CONTEXT, VCDM2_CONTEXT
from credentials.vc.proof_jwt import BINDING_METHODS

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
SCOPE = "oid4vci:credential"
LDP_VC = "OpenBadgeCredential_ldp_vc"
JWT_VC_JSON = "OpenBadgeCredential_jwt_vc_json"
SD_JWT_VC = "OpenBadgeCredential_dc_sd_jwt"
CONFIGURATIONS = (LDP_VC, JWT_VC_JSON, SD_JWT_VC)
PROOF_ALGORITHMS = ["EdDSA", "ES256"]

CREDENTIAL_DISPLAY = [
    {"name": "オープンバッジ（skillpass）", "locale": "ja", "description": "デジタルスキル標準に沿った学習の証明",
     "background_color": "#1d4ed8", "text_color": "#ffffff"},
    {"name": "Open Badge (skillpass)", "locale": "en",
     "description": "A learning achievement aligned to Japan's Digital Skill Standard",
     "background_color": "#1d4ed8", "text_color": "#ffffff"},
]
CLAIMS = [
    {"path": ["name"], "display": [{"name": "バッジ名", "locale": "ja"}, {"name": "Badge", "locale": "en"}]},
    {"path": ["issuer", "name"], "display": [{"name": "発行者", "locale": "ja"}, {"name": "Issuer", "locale": "en"}]},
    {"path": ["credentialSubject", "achievement", "name"],
     "display": [{"name": "達成内容", "locale": "ja"}, {"name": "Achievement", "locale": "en"}]},
    {"path": ["credentialSubject", "achievement", "alignment"],
     "display": [{"name": "スキル（DSS）", "locale": "ja"}, {"name": "Skills (DSS)", "locale": "en"}]},
    {"path": ["validFrom"], "display": [{"name": "授与日", "locale": "ja"}, {"name": "Awarded", "locale": "en"}]},
]


def issuer_id(settings: Settings) -> str:
    """The Credential Issuer Identifier: the platform's base URL (the ``aud`` of key proofs)."""
    return base_url(settings)


def endpoint(settings: Settings, name: str) -> str:
    return f"{base_url(settings)}/oid4vci/{name}"


def vct(settings: Settings) -> str:
    """The SD-JWT VC type of our badges (a URI of ours; no type metadata is served for it yet)."""
    return f"{base_url(settings)}/oid4vci/vct/OpenBadgeCredential"


SD_JWT_CLAIMS = [
    {"path": ["name"], "display": [{"name": "バッジ名", "locale": "ja"}, {"name": "Badge", "locale": "en"}]},
    {"path": ["issuer", "name"], "display": [{"name": "発行者", "locale": "ja"}, {"name": "Issuer", "locale": "en"}]},
    {"path": ["achievement", "name"],
     "display": [{"name": "達成内容", "locale": "ja"}, {"name": "Achievement", "locale": "en"}]},
    {"path": ["achievement", "alignment", None],
     "display": [{"name": "スキル（DSS）", "locale": "ja"}, {"name": "Skills (DSS)", "locale": "en"}]},
    {"path": ["identifier", None],
     "display": [{"name": "受領者", "locale": "ja"}, {"name": "Recipient", "locale": "en"}]},
]


def _sd_jwt_configuration(settings: Settings) -> dict[str, Any]:
    return {
        "format": "dc+sd-jwt",
        "scope": "OpenBadgeCredential",
        "vct": vct(settings),
        "cryptographic_binding_methods_supported": ["jwk"],
        "credential_signing_alg_values_supported": ["EdDSA"],
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": PROOF_ALGORITHMS}},
        "credential_metadata": {"display": CREDENTIAL_DISPLAY, "claims": SD_JWT_CLAIMS},
    }


def _configuration(fmt: str, signing: list[str]) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": list(CREDENTIAL_TYPES)}
    if fmt == "ldp_vc":
        definition = {"@context": [VCDM2_CONTEXT, OB3_CONTEXT], **definition}
    return {
        "format": fmt,
        "scope": "OpenBadgeCredential",
        "cryptographic_binding_methods_supported": [m for m in BINDING_METHODS if m.startswith("did:")],
        "credential_signing_alg_values_supported": signing,
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": PROOF_ALGORITHMS}},
        "credential_definition": definition,
        "credential_metadata": {"display": CREDENTIAL_DISPLAY, "claims": CLAIMS},
    }


def credential_issuer_metadata(settings: Settings) -> dict[str, Any]:
    """``/.well-known/openid-credential-issuer``."""
    return {
        "credential_issuer": issuer_id(settings),
        "credential_endpoint": endpoint(settings, "credential"),
        "nonce_endpoint": endpoint(settings, "nonce"),
        "display": [{"name": "skillpass（スキルパス）", "locale": "ja"}, {"name": "skillpass", "locale": "en"}],
        "credential_configurations_supported": {
            LDP_VC: _configuration("ldp_vc", ["eddsa-rdfc-2022"]),
            JWT_VC_JSON: _configuration("jwt_vc_json", ["EdDSA"]),
            SD_JWT_VC: _sd_jwt_configuration(settings),
        },
    }


def authorization_server_metadata(settings: Settings) -> dict[str, Any]:
    """``/.well-known/oauth-authorization-server``: only the pre-authorized code grant, anonymous clients."""
    return {
        "issuer": issuer_id(settings),
        "token_endpoint": endpoint(settings, "token"),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "token_endpoint_auth_methods_supported": ["none"],
        "response_types_supported": [],
        "scopes_supported": ["OpenBadgeCredential"],
    }
