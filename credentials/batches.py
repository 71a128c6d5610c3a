"""Batch issuance: recipients from a JSON array or a CSV file become a durable job.

Every line is checked when the batch is submitted; lines with errors are stored as ``failed`` with
the field at fault, the others as ``pending`` (the lines are inserted in bulk). The job
(``credentials.jobs``) then issues the pending lines in chunks, one transaction per chunk. Line
numbers: the CSV file's physical line (the header is line 1), or the 1-based position in the JSON array.
A line may carry the learner's own results (``results`` in JSON, ``result:<key>`` columns in CSV), checked
against its achievement's result descriptions like a single issue (``achievements.check_results``).
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import Conflict, InvalidInput, NotFound, TooLarge
from credentials.achievements import check_results
from credentials.idempotency import Idempotency
from credentials.issuance import IssueRequest
from credentials.models import FORMATS, Achievement, BatchRow, BatchState, IssuanceBatch, RowState

MAX_ROWS = 10_000
CSV_COLUMNS = ("recipient_email", "recipient_name", "achievement_id", "valid_from", "valid_until",
               "evidence_url", "evidence_name", "evidence_narrative")
CSV_ALIASES = {"email": "recipient_email", "name": "recipient_name"}
TEMPLATE_EXAMPLE = ("hanako.yamada@example.jp", "山田 花子", "", "2026-04-01", "", "https://example.jp/work/1",
                    "修了制作", "データ分析の最終課題")
EXPORT_COLUMNS = ("row", "recipient", "status", "error", "credential_id")
ROW_FIELDS = {"recipient_email", "recipient_name", "achievement_id", "valid_from", "valid_until", "evidence",
              "results"}
RESULT_COLUMN = "result:"  # a CSV column ``result:<key>`` holds the learner's result for that description


@dataclass
class ParsedRow:
    line: int
    data: dict[str, Any]
    errors: list[dict[str, str]] = field(default_factory=list)


def parse_datetime(value: Any, name: str, errors: list[dict[str, str]]) -> str | None:
    """ISO 8601 date or date-time (a date means 00:00 UTC; no offset means UTC), as an ISO string."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        errors.append({"field": name, "message": f"{value!r} is not an ISO 8601 date or date-time."})
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _check_row(line: int, raw: dict[str, Any]) -> ParsedRow:
    errors: list[dict[str, str]] = []
    unknown = sorted(set(raw) - ROW_FIELDS)
    if unknown:
        errors.append({"field": unknown[0], "message": f"Unknown field(s): {', '.join(unknown)}."})
    data = {"recipient_email": str(raw.get("recipient_email") or "").strip().lower(),
            "recipient_name": (str(raw["recipient_name"]).strip() or None) if raw.get("recipient_name") else None,
            "achievement_id": str(raw["achievement_id"]).strip() if raw.get("achievement_id") else None,
            "valid_from": parse_datetime(raw.get("valid_from"), "valid_from", errors),
            "valid_until": parse_datetime(raw.get("valid_until"), "valid_until", errors),
            "evidence": raw.get("evidence") or [], "results": raw.get("results") or []}
    errors.extend(e for e in request_of(data, None).check() if e["field"] != "achievement_id")
    for name in ("valid_from", "valid_until"):
        if data[name] is None and raw.get(name):  # kept as given: a re-run checks it again, never drops it
            data[name] = str(raw[name])
    return ParsedRow(line, data, errors)


def request_of(data: dict[str, Any], batch: IssuanceBatch | None, lang: str = "ja") -> IssueRequest:
    """The issue request of one stored batch line."""
    return IssueRequest(
        achievement_id=data.get("achievement_id"), recipient_email=data.get("recipient_email", ""),
        recipient_name=data.get("recipient_name"),
        valid_from=datetime.fromisoformat(data["valid_from"]) if data.get("valid_from") else None,
        valid_until=datetime.fromisoformat(data["valid_until"]) if data.get("valid_until") else None,
        evidence=data.get("evidence") or [], results=data.get("results") or [],
        format=batch.format if batch else "ldp",
        suspendable=batch.suspendable if batch else False, lang=data.get("lang", lang),
    )


def rows_from_json(items: list[Any]) -> list[ParsedRow]:
    """Check each recipient object of a JSON array."""
    if len(items) > MAX_ROWS:
        raise TooLarge(f"A batch holds at most {MAX_ROWS} recipients ({len(items)} given).", field="recipients")
    rows = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.append(ParsedRow(i, {}, [{"field": "(row)", "message": "Each recipient must be a JSON object."}]))
        else:
            rows.append(_check_row(i, item))
    return rows


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else CP932 (Excel in Japan)."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("The CSV file is neither UTF-8 nor Shift_JIS (CP932) text.", field="file")


def rows_from_csv(data: bytes) -> list[ParsedRow]:
    """Check each line of a CSV upload (columns: ``CSV_COLUMNS``; header required)."""
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    try:
        header = [CSV_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    except StopIteration:
        raise InvalidInput("The CSV file is empty.", field="file") from None
    except csv.Error as exc:
        raise InvalidInput(f"The CSV header cannot be read: {exc}", field="file") from None
    header = [RESULT_COLUMN + h.removeprefix(RESULT_COLUMN).strip() if h.startswith(RESULT_COLUMN) else h
              for h in header]
    unknown = [h for h in header if h not in CSV_COLUMNS and not h.startswith(RESULT_COLUMN)]
    if "recipient_email" not in header or unknown:
        raise InvalidInput(f"CSV columns must be among: {', '.join(CSV_COLUMNS)} and result:<key> "
                           "(recipient_email required)"
                           + (f"; unknown: {', '.join(unknown)}" if unknown else "."), field="file")
    rows: list[ParsedRow] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise TooLarge(f"A batch holds at most {MAX_ROWS} recipients.", field="file")
            if len(values) != len(header):
                rows.append(ParsedRow(line, {}, [{"field": "(row)", "message":
                            f"Expected {len(header)} values, found {len(values)}."}]))
                continue
            rows.append(_check_row(line, _csv_record(dict(zip(header, values)))))
    except csv.Error as exc:
        raise InvalidInput(f"CSV line {reader.line_num} cannot be read: {exc}", field="file") from None
    return rows


def _csv_record(values: dict[str, str]) -> dict[str, Any]:
    record: dict[str, Any] = {k: v for k, v in values.items()
                              if not k.startswith(("evidence_", RESULT_COLUMN)) and v.strip()}
    evidence = {k.removeprefix("evidence_"): v.strip() for k, v in values.items() if k.startswith("evidence_") and v.strip()}
    if evidence:
        record["evidence"] = [evidence]
    # A cell cannot say whether it is a grade, a status or a rubric level: check_results takes the one
    # its description's type asks for and drops the others.
    results = [{"key": k.removeprefix(RESULT_COLUMN), "value": v.strip(), "status": v.strip(), "level": v.strip()}
               for k, v in values.items() if k.startswith(RESULT_COLUMN) and v.strip()]
    if results:
        record["results"] = results
    return record


def csv_line(values: Any) -> str:
    """One CSV line; a cell that a spreadsheet would run as a formula is quoted with a leading '."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(
        "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in values)
    return out.getvalue()


def csv_template(result_descriptions: list[dict[str, Any]] | None = None) -> bytes:
    """The CSV a provider fills in: the header and one example line, UTF-8 with a BOM so Excel reads
    the Japanese right; ``rows_from_csv`` reads it as it is. Given an achievement's result descriptions,
    one ``result:<key>`` column each, with an example value of the right kind."""
    columns, example = list(CSV_COLUMNS), list(TEMPLATE_EXAMPLE)
    for entry in result_descriptions or []:
        columns.append(RESULT_COLUMN + entry["key"])
        example.append(entry["levels"][-1]["key"] if entry.get("levels") else
                       "Completed" if entry["result_type"] == "Status" else "")
    return ("\ufeff" + csv_line(columns) + csv_line(example)).encode("utf-8")


def rerun_rows(failed: list[BatchRow]) -> list[ParsedRow]:
    """A finished batch's failed lines as new input (same line numbers), checked again from the start."""
    rows = []
    for row in failed:
        raw = {k: v for k, v in (row.data or {}).items() if k in ROW_FIELDS and v not in (None, "", [])}
        rows.append(_check_row(row.line, raw))
    return rows


@dataclass
class BatchOptions:
    achievement_id: uuid.UUID | None = None
    format: str = "ldp"
    suspendable: bool = False
    lang: str = "ja"


@dataclass
class PreviewLine:
    """One line of a batch as it would be stored: its achievement (the line's own, else the batch's)
    and every error, the ownership of the achievement included."""

    line: int
    data: dict[str, Any]
    achievement: str | None
    achievement_id: uuid.UUID | None
    errors: list[dict[str, str]]


def checked_line(row: ParsedRow, options: BatchOptions, owned: dict[uuid.UUID, list | None]) -> PreviewLine:
    """The one rule for a line's achievement: the line's own id, else the batch's, and it must be ours
    (``owned``: our achievements' ids and result descriptions); the line's results must fit that achievement."""
    errors = list(row.errors)
    achievement = row.data.get("achievement_id") or (str(options.achievement_id) if options.achievement_id else None)
    try:
        chosen: uuid.UUID | None = uuid.UUID(str(achievement))
    except ValueError:
        chosen = None
    if row.data and chosen not in owned:
        errors.append({"field": "achievement_id", "message": "Give the id of one of your achievements."})
    data = row.data
    if chosen in owned and row.data.get("results"):
        try:
            data = dict(row.data, results=check_results(owned[chosen], row.data["results"]))
        except InvalidInput as exc:
            errors.append({"field": exc.field or "results", "message": exc.detail})
    return PreviewLine(row.line, data, achievement, chosen if chosen in owned else None, errors)


class BatchService:
    """Batch jobs of an organization on one session (the caller commits)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def submit(self, org_id: uuid.UUID, rows: list[ParsedRow], options: BatchOptions, *,
                     idempotency_key: str, request_hash: str) -> tuple[IssuanceBatch, bool]:
        """Store the batch and its lines (unless this key already did); returns (batch, created)."""
        idempotency = Idempotency(self.session)
        earlier = await idempotency.replay(org_id, idempotency_key, request_hash, "batch")
        if earlier is not None:
            return await self.get(org_id, earlier), False
        if options.format not in FORMATS:
            raise InvalidInput("Format must be 'ldp' or 'jwt'.", field="format")
        if not rows:
            raise InvalidInput("The batch has no recipients.", field="recipients")
        if len(rows) > MAX_ROWS:
            raise TooLarge(f"A batch holds at most {MAX_ROWS} recipients.", field="recipients")
        owned = await self._owned(org_id)
        batch = IssuanceBatch(org_id=org_id, format=options.format, suspendable=options.suspendable, total=len(rows))
        self.session.add(batch)
        await self.session.flush()
        await self.session.execute(insert(BatchRow.__table__),  # Core: the ORM bulk path cost ~0.1 ms a row
                                   [self._row(batch, row, options, owned) for row in rows])
        await idempotency.remember(org_id, idempotency_key, request_hash, "batch", batch.id)
        return batch, True

    async def preview(self, org_id: uuid.UUID, rows: list[ParsedRow], options: BatchOptions) -> list[PreviewLine]:
        """Each line as ``submit`` would store it (issued, or failed with its errors); nothing is stored."""
        owned = await self._owned(org_id)
        return [checked_line(row, options, owned) for row in rows]

    async def _owned(self, org_id: uuid.UUID) -> dict[uuid.UUID, list | None]:
        """Our achievements' ids and result descriptions (not the whole rows: images can be large)."""
        rows = await self.session.execute(
            select(Achievement.id, Achievement.result_descriptions).where(Achievement.org_id == org_id))
        return {achievement_id: descriptions for achievement_id, descriptions in rows}

    def _row(self, batch: IssuanceBatch, row: ParsedRow, options: BatchOptions,
             owned: dict[uuid.UUID, list | None]) -> dict:
        """The ``batch_row`` values of one line (inserted in bulk: 10,000 ORM objects cost seconds)."""
        line = checked_line(row, options, owned)
        data = dict(line.data, lang=options.lang, achievement_id=line.achievement)
        return {"id": uuid.uuid4(), "batch_id": batch.id, "line": row.line, "data": data,
                "state": "failed" if line.errors else "pending", "errors": line.errors or None,
                "credential_id": None, "updated_at": None}

    async def get(self, org_id: uuid.UUID, batch_id: uuid.UUID) -> IssuanceBatch:
        batch = await self.session.get(IssuanceBatch, batch_id)
        if batch is None or batch.org_id != org_id:
            raise NotFound("No such batch in this organization.")
        return batch

    async def counts(self, batch_id: uuid.UUID) -> dict[str, int]:
        rows = await self.session.execute(
            select(BatchRow.state, func.count()).where(BatchRow.batch_id == batch_id).group_by(BatchRow.state))
        counts = {"pending": 0, "issued": 0, "failed": 0}
        counts.update({state: n for state, n in rows.all()})
        return counts

    async def rows(self, batch_id: uuid.UUID, state: str | None = None, limit: int = 1000,
                   offset: int = 0) -> list[BatchRow]:
        query = select(BatchRow).where(BatchRow.batch_id == batch_id)
        if state:
            query = query.where(BatchRow.state == state)
        rows = await self.session.execute(query.order_by(BatchRow.line).limit(max(1, min(limit, MAX_ROWS)))
                                          .offset(max(0, offset)))
        return list(rows.scalars())

    async def rerun_failed(self, org_id: uuid.UUID, batch_id: uuid.UUID, *,
                           idempotency_key: str) -> tuple[IssuanceBatch, bool]:
        """A new batch of only the failed lines of a finished batch, through ``submit`` (the same checks);
        the achievement each line was stored with stays, the batch's format and options too."""
        batch = await self.get(org_id, batch_id)
        if batch.state != BatchState.done:
            raise Conflict("The batch is still running; re-run its failed lines once it has finished.")
        failed = await self.rows(batch.id, RowState.failed, MAX_ROWS)
        if not failed:
            raise Conflict("This batch has no failed lines to re-run.")
        lang = next((r.data.get("lang") for r in failed if (r.data or {}).get("lang")), "ja")
        options = BatchOptions(None, batch.format, batch.suspendable, lang if lang in ("ja", "en") else "ja")
        return await self.submit(org_id, rerun_rows(failed), options, idempotency_key=idempotency_key,
                                 request_hash=f"rerun:{batch.id}")

    async def export_csv(self, org_id: uuid.UUID, batch_id: uuid.UUID) -> bytes:
        """The result table as CSV (``EXPORT_COLUMNS``, one line per batch line; UTF-8 with a BOM for Excel)."""
        batch = await self.get(org_id, batch_id)
        lines = ["\ufeff" + csv_line(EXPORT_COLUMNS)]
        for row in await self.rows(batch.id, None, MAX_ROWS):
            errors = "; ".join(f"{e.get('field')}: {e.get('message')}" for e in row.errors or [])
            lines.append(csv_line((row.line, (row.data or {}).get("recipient_email") or "", row.state, errors,
                                   str(row.credential_id) if row.credential_id else "")))
        return "".join(lines).encode("utf-8")

    async def list(self, org_id: uuid.UUID, limit: int = 50, offset: int = 0) -> list[IssuanceBatch]:
        rows = await self.session.execute(
            select(IssuanceBatch).where(IssuanceBatch.org_id == org_id)
            .order_by(IssuanceBatch.created_at.desc()).limit(max(1, min(limit, 200))).offset(max(0, offset)))
        return list(rows.scalars())
