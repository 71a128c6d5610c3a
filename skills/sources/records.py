"""Learning records importer: a CSV/JSONL upload -> stored file, one row per good record, evidence by
the mapper. Bad rows are reported (line, field, message), duplicates are recognised within the file
and against earlier uploads, and everything is added in the caller's one transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound, TooLarge
from skills import corrections
from skills.models import LearningRecordRow, RecordUpload
from skills.record_parsing import LearningRecord, ParseResult, RecordsFileError, duplicate_key, parse_records
from skills.sources.common import drop_evidence, match_records, replace_evidence

SOURCE = "record"
RECORD_WEIGHT = 0.6  # times the mapper's confidence
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@dataclass
class ImportReport:
    """What an upload did: imported records, rows refused and duplicates skipped."""

    upload_id: uuid.UUID
    encoding: str
    format: str
    imported: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"upload_id": str(self.upload_id), "encoding": self.encoding, "format": self.format,
                "imported": self.imported, "errors": self.errors, "duplicates": self.duplicates,
                "ignored_columns": self.ignored_columns}


def dedupe_key(record: LearningRecord) -> str:
    return "|".join(duplicate_key(record))[:600]


def parse_upload(data: bytes, filename: str) -> ParseResult:
    """Parse the bytes or refuse the whole file with a 4xx."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(f"the records file is larger than {MAX_UPLOAD_BYTES // 1024} KB; split it")
    if not data.strip():
        raise InvalidInput("the records file is empty", field="file")
    try:
        return parse_records(data, filename)
    except RecordsFileError as exc:
        raise InvalidInput(str(exc), field="file") from exc


async def existing_keys(session: AsyncSession, person_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(select(LearningRecordRow.dedupe_key, LearningRecordRow.id)
                                 .where(LearningRecordRow.person_id == person_id))
    return {key: row_id for key, row_id in rows}


async def import_records(session: AsyncSession, person_id: uuid.UUID, data: bytes,
                         filename: str = "") -> ImportReport:
    """Import the good, new rows of a file; a file without a single good row is refused."""
    result = parse_upload(data, filename)
    errors = [{"line": e.line, "field": e.field, "message": e.message} for e in result.errors]
    if not result.records:
        raise InvalidInput("no row of the file could be imported", field="file", errors=errors)
    upload = RecordUpload(person_id=person_id, filename=filename[:255], encoding=result.encoding,
                          format=result.format, content=data)
    session.add(upload)
    report = ImportReport(upload.id, result.encoding, result.format, errors=errors,
                          ignored_columns=result.ignored_columns)
    known = await existing_keys(session, person_id)
    fresh = []
    for record in result.records:
        key = dedupe_key(record)
        if record.duplicate_of is not None:
            report.duplicates.append({"line": record.line, "duplicate_of_line": record.duplicate_of})
        elif key in known:
            report.duplicates.append({"line": record.line, "duplicate_of_record": str(known[key])})
        else:
            fresh.append(record)
    await session.flush()
    try:
        for record, matches in zip(fresh, await match_records(fresh)):
            row = await _add_record(session, person_id, upload.id, record, matches)
            report.imported.append({"line": record.line, "record_id": str(row.id), "title": record.title,
                                    "skills": [{"skill_id": m.id, "level": m.level, "confidence": m.confidence}
                                               for m in matches]})
        upload.report = report.as_dict()
        await session.flush()
    except IntegrityError:  # the same records imported by a concurrent upload since existing_keys read them
        raise Conflict("These records are being imported by another upload; try again.", field="file") from None
    return report


async def _add_record(session: AsyncSession, person_id: uuid.UUID, upload_id: uuid.UUID,
                      record: LearningRecord, matches: list) -> LearningRecordRow:
    row = LearningRecordRow(
        person_id=person_id, upload_id=upload_id, line=record.line, title=record.title[:500],
        description=record.description, provider=record.provider[:200], hours=record.hours,
        completion_date=record.completion_date, score=record.score, passed=record.passed, lang=record.lang,
        course_level=record.course_level, url=record.url, dedupe_key=dedupe_key(record))
    session.add(row)
    pieces = [(m.id, m.level, RECORD_WEIGHT * m.confidence) for m in matches]
    await replace_evidence(session, person_id, SOURCE, row.id,
                           await corrections.apply(session, person_id, row.dedupe_key, pieces),
                           record.title, record.completion_date)
    return row


async def list_records(session: AsyncSession, person_id: uuid.UUID) -> list[LearningRecordRow]:
    rows = await session.execute(select(LearningRecordRow).where(LearningRecordRow.person_id == person_id)
                                 .order_by(LearningRecordRow.created_at, LearningRecordRow.line))
    return list(rows.scalars())


async def get_record(session: AsyncSession, person_id: uuid.UUID, record_id: uuid.UUID) -> LearningRecordRow:
    row = await session.get(LearningRecordRow, record_id)
    if row is None or row.person_id != person_id:
        raise NotFound("No such learning record.")
    return row


async def delete_record(session: AsyncSession, person_id: uuid.UUID, record_id: uuid.UUID) -> None:
    row = await get_record(session, person_id, record_id)
    await drop_evidence(session, person_id, row.id)
    await session.delete(row)
