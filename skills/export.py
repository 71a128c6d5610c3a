"""Export everything the skills domain holds on a person (JSON), and delete it."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from core.db import utcnow
from skills import events
from skills.models import (
    BadgeImport,
    CredentialImport,
    ExamResult,
    LearnerSettings,
    LearningRecordRow,
    ProfileSnapshot,
    RecordUpload,
    SelfAssessment,
    ShareAccess,
    ShareLink,
    SkillCorrection,
    SkillEvidence,
)

# Tables with a person_id column, in an order that deletes children first.
PERSON_TABLES: tuple[type[SQLModel], ...] = (
    SkillEvidence, LearningRecordRow, RecordUpload, ExamResult, SelfAssessment, BadgeImport, CredentialImport,
    ProfileSnapshot, ShareLink, LearnerSettings, SkillCorrection,
)
EXPORT_FORMAT = "skillpass-skills-export/1"


def jsonable(value: Any) -> Any:
    """Row values as JSON: dates as ISO 8601, bytes as base64, ids as strings."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def row_dict(row: SQLModel, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    return {name: jsonable(value) for name, value in row.model_dump().items() if name not in leave_out}


async def rows_of(session: AsyncSession, model: type[SQLModel], person_id: uuid.UUID) -> list[SQLModel]:
    result = await session.execute(select(model).where(model.person_id == person_id))
    return list(result.scalars())


async def export_all(session: AsyncSession, person_id: uuid.UUID) -> dict[str, Any]:
    """Every skills row of the person; share-link tokens appear neither hashed nor sealed."""
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "person_id": str(person_id),
                            "exported_at": utcnow().isoformat()}
    for model in PERSON_TABLES:
        data[model.__tablename__] = [row_dict(r, leave_out=("token_hash", "token_sealed")) for r in
                                     await rows_of(session, model, person_id)]
    link_ids = [uuid.UUID(link["id"]) for link in data[ShareLink.__tablename__]]
    accesses = await session.execute(select(ShareAccess).where(ShareAccess.link_id.in_(link_ids)))
    data[ShareAccess.__tablename__] = [row_dict(a) for a in accesses.scalars()]
    return data


async def delete_all(session: AsyncSession, person_id: uuid.UUID) -> dict[str, int]:
    """Delete every skills row of the person (the account itself stays); returns counts per table."""
    counts = {}
    for model in PERSON_TABLES:
        result = await session.execute(delete(model).where(model.person_id == person_id))
        counts[model.__tablename__] = result.rowcount or 0
    events.changed_on_commit(session, person_id)
    return counts
