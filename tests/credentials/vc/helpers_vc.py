"""Small builders shared by the credentials.vc tests."""

from __future__ import annotations

import copy

from credentials.vc.keys import KeyPair


def badge_for(key: KeyPair, *, valid_from: str = "2024-01-01T00:00:00Z", **extra: object) -> dict:
    """A VCDM 2.0 OB 3.0 AchievementCredential issued by key's did:key."""
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:2a7c3e1e-6b44-4f43-9a4e-5b1f4a9c0001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.public.did, "type": ["Profile"], "name": "SkillPass Test Issuer"},
        "validFrom": valid_from,
        "name": "Python 中級",
        "credentialSubject": {
            "id": "did:example:learner-1",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://skillpass.example/achievements/python-2",
                "type": ["Achievement"],
                "name": "Python Intermediate",
                "description": "Writes tested, typed Python modules.",
                "criteria": {"narrative": "Passed the practical assessment."},
            },
        },
    }
    credential.update(copy.deepcopy(extra))
    return credential
