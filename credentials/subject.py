"""Whose credential it is: does a credential's subject name this person?

A credential counts for a person only when its subject is that person. The subject names its recipient
by a DID (``credentialSubject.id``), by a ``mailto:`` id, or by OB 3.0 ``IdentityObject`` identifiers
(hashed or plain email). The answer is one of:

- ``self``: one of those identifiers is one of the person's confirmed emails or registered DIDs;
- ``other``: the subject names somebody (an email or a DID) and it is not this person;
- ``unknown``: the subject names nobody we can compare (no id, no email identifier).

Only ``self`` counts; ``other`` and ``unknown`` copies can be kept and shown, never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from credentials.documents import email_matches

SUBJECT_SELF, SUBJECT_OTHER, SUBJECT_UNKNOWN = "self", "other", "unknown"


def _subjects(document: dict[str, Any]) -> list[dict[str, Any]]:
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    return [s for s in subjects if isinstance(s, dict)]


def _identities(subject: dict[str, Any]) -> list[dict[str, Any]]:
    identifiers = subject.get("identifier")
    identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
    return [i for i in identifiers if isinstance(i, dict) and i.get("identityType") == "emailAddress"]


def subject_match(document: dict[str, Any], emails: Iterable[str], dids: Iterable[str] = ()) -> str:
    """``self``, ``other`` or ``unknown`` (see the module docstring) for a credential and a person."""
    emails = [e.strip().lower() for e in emails if e]
    dids = {d.strip() for d in dids if d}
    names_someone = False
    for subject in _subjects(document):
        subject_id = subject.get("id")
        if isinstance(subject_id, str) and subject_id:
            names_someone = True
            if subject_id in dids:
                return SUBJECT_SELF
            if subject_id.lower().startswith("mailto:") and subject_id[7:].strip().lower() in emails:
                return SUBJECT_SELF
        for identity in _identities(subject):
            names_someone = True
            if any(email_matches(identity, email) for email in emails):
                return SUBJECT_SELF
    return SUBJECT_OTHER if names_someone else SUBJECT_UNKNOWN
