"""Wallet credentials -> verified evidence. The credential stays in the wallet (credentials domain);
skills keeps which held credential produced which pieces (``CredentialImport``).

Only credentials that count for their holder (``credentials.wallet.counts_for_holder``: verified, naming
the holder, accepted, not an impersonation) give evidence: as *verified* evidence when their issuer is
trusted, as *evidenced* ("signature valid, issuer not recognised") otherwise. Their DSS alignments give skill items and levels;
a credential without alignments is mapped from its achievement's name and description. A credential
that leaves the wallet, changes, or stops verifying takes its evidence with it at the next sync.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.alignments import dss_alignments
from credentials.wallet import WalletService, counts_for_holder
from skills.mapping import suggest_level
from skills.models import CredentialImport
from skills.ob2 import parse_time
from skills.sources.common import drop_evidence, match_text, profile_skill_ids, replace_evidence

SOURCE = "credential"
UNTRUSTED_SOURCE = "credential_untrusted"
CREDENTIAL_WEIGHT = 1.0  # times the mapper's confidence when mapped from text


def _subject(document: dict[str, Any]) -> dict[str, Any]:
    subject = document.get("credentialSubject")
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    return subject if isinstance(subject, dict) else {}


def _plain(value: Any) -> str:
    """A string, or the first value of a language map / list of language values."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _plain(value.get("@value") or next(iter(value.values()), ""))
    if isinstance(value, list) and value:
        return _plain(value[0])
    return ""


def achievement_text(document: dict[str, Any]) -> tuple[str, str]:
    """The achievement's name and description (OB 3.0), falling back to the credential's own."""
    achievement = _subject(document).get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    name = _plain(achievement.get("name")) or _plain(document.get("name"))
    description = _plain(achievement.get("description")) or _plain(document.get("description"))
    return name.strip(), description.strip()


def issued_on(document: dict[str, Any]) -> date | None:
    when = parse_time(document.get("validFrom") or document.get("issuanceDate"))
    return when.date() if when else None


async def credential_pieces(document: dict[str, Any]) -> tuple[list[tuple[str, str, float]], str]:
    """(skill_id, level, weight) pieces of a verified credential and how they were found."""
    aligned = []
    for skill_id, level in dss_alignments(document):
        for sid in profile_skill_ids(skill_id):
            aligned.append((sid, level or suggest_level(passed=True), CREDENTIAL_WEIGHT))
    if aligned:
        return aligned, "alignment"
    name, description = achievement_text(document)
    matches = await match_text(name, description, passed=True)
    return [(m.id, m.level, CREDENTIAL_WEIGHT * m.confidence) for m in matches], "mapper"


async def sync_wallet(session: AsyncSession, settings: Settings, person_id: uuid.UUID) -> bool:
    """Bring credential evidence in line with the wallet; True when anything changed."""
    wallet = WalletService(session, settings)
    held = [h for h in await wallet.standings(person_id) if counts_for_holder(h)]
    rows = await session.execute(select(CredentialImport).where(CredentialImport.person_id == person_id))
    imports = {row.held_credential_id: row for row in rows.scalars()}
    changed = False
    for credential in held:
        done = imports.pop(credential.id, None)
        source = SOURCE if credential.trust_status == "trusted" else UNTRUSTED_SOURCE
        digest = hashlib.sha256(f"{credential.content_hash}:{source}".encode()).hexdigest()
        if done is not None and done.digest == digest:
            continue
        document = await wallet.document_of(credential)
        pieces, method = await credential_pieces(document)
        await replace_evidence(session, person_id, source, credential.id, pieces, credential.title,
                               issued_on(document))
        if done is None:
            done = CredentialImport(person_id=person_id, held_credential_id=credential.id, digest="",
                                    method="")
            session.add(done)
        done.digest, done.method, done.name = digest, method, credential.title[:500]
        changed = True
    for stale in imports.values():
        await drop_evidence(session, person_id, stale.held_credential_id)
        await session.delete(stale)
        changed = True
    return changed
