"""Learning records: upload a CSV (or JSONL) with a report per row, the template, the list, delete."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, InvalidInput
from core.settings import Settings
from frontend.i18n import translate
from frontend.forms import FormData, MultipartData, form_error_status, redirect
from frontend.signed_in import SIGNED_IN, me
from frontend.pagination import paginate
from frontend.rendering import dss_skill, lang_of, page
from skills import corrections
from skills.changes import what_changed
from skills.service import ProfileService
from skills.sources import records

TEMPLATE_URL = "/api/v1/me/records/template.csv"


async def _context(request: Request, session: AsyncSession, **extra) -> dict:
    rows = await records.list_records(session, me(request))
    rows.sort(key=lambda r: (r.created_at, r.line), reverse=True)
    listed = paginate(rows, request.query_params.get("page"), per_page=15, path="/wallet/records")
    skills = await corrections.record_skills(session, me(request), list(listed.items))
    return {"records": listed, "record_skills": skills, "template_url": TEMPLATE_URL, "errors": {}, "report": None,
            "changes": None, **extra}


@get("/wallet/records", **SIGNED_IN)
async def records_page(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """The upload form, the template and the records imported so far."""
    return page(request, "records/index.html", await _context(request, db_session), block="record_list")


def report_view(report: dict, lang: str) -> dict:
    """The importer's report with skill names, sorted by line, for the per-row table."""
    rows = []
    for item in report.get("imported", []):
        skills = [(dss_skill(s["skill_id"]), s["level"], s["confidence"]) for s in item.get("skills", [])]
        rows.append({"line": item["line"], "outcome": "imported", "title": item.get("title", ""),
                     "skills": [s for s in skills if s[0] is not None]})
    for item in report.get("errors", []):
        rows.append({"line": item.get("line"), "outcome": "error", "field": item.get("field") or "",
                     "message": item.get("message", "")})
    for item in report.get("duplicates", []):
        rows.append({"line": item["line"], "outcome": "duplicate", "of_line": item.get("duplicate_of_line")})
    rows.sort(key=lambda r: r["line"] or 0)
    counts = {k: sum(1 for r in rows if r["outcome"] == k) for k in ("imported", "error", "duplicate")}
    return {"rows": rows, "counts": counts, "encoding": report.get("encoding"), "format": report.get("format"),
            "ignored_columns": report.get("ignored_columns", [])}


@post("/wallet/records", **SIGNED_IN)
async def records_upload(request: Request, data: MultipartData, db_session: NamedDependency[AsyncSession],
                         settings: NamedDependency[Settings]) -> Template:
    """Import the good rows; show what happened to each row (imported, refused with the reason, duplicate)."""
    lang = lang_of(request)
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _upload_error(request, db_session, translate("records.error.no_file", lang))
    content = await upload.read()
    profiles = ProfileService(db_session, settings)
    try:
        report, changes = await what_changed(profiles, me(request),
                                             lambda: profiles.import_records(me(request), content, upload.filename))
    except InvalidInput as exc:
        rows = [e for e in exc.errors if e.get("line")]
        view = report_view({"errors": rows}, lang) if rows else None
        return await _upload_error(request, db_session, translate("records.error.none", lang, detail=exc.detail), view)
    except DomainError as exc:
        return await _upload_error(request, db_session, translate("records.error.file", lang, detail=exc.detail))
    context = await _context(request, db_session, report=report_view(report.as_dict(), lang),
                             filename=upload.filename, changes=changes)
    # the list below the form reloads itself on this event (ASCII only: headers are latin-1)
    return page(request, "records/index.html", context, block="records_panel", headers={"HX-Trigger": "records-changed"})


async def _upload_error(request: Request, session: AsyncSession, message: str, report: dict | None = None) -> Template:
    status = form_error_status(request, 400)
    context = await _context(request, session, errors={"file": message}, report=report)
    return page(request, "records/index.html", context, block="records_panel", status_code=status)


@post("/wallet/records/{record_id:uuid}/delete", **SIGNED_IN)
async def record_delete(request: Request, record_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Response:
    """Remove one record and the evidence it gave; the profile is recomputed."""
    await ProfileService(db_session, settings).delete_record(me(request), record_id)
    return redirect(request, "/wallet/records")


@post("/wallet/records/{record_id:uuid}/skills/{skill_id:str}", **SIGNED_IN)
async def record_skill_correct(request: Request, record_id: FromPath[uuid.UUID], skill_id: FromPath[str],
                               data: FormData, db_session: NamedDependency[AsyncSession],
                               settings: NamedDependency[Settings]) -> Response:
    """The learner corrects a skill read in a record (a lower level, "reject"), or undoes their correction;
    the same rule as ``PUT /api/v1/me/records/{id}/skills/{skill}`` (a refused level: the error page)."""
    choice = str(data.get("level", ""))
    profiles = ProfileService(db_session, settings)
    if choice == "undo":
        await profiles.undo_correction(me(request), record_id, skill_id)
    else:
        await profiles.correct_skill(me(request), record_id, skill_id, None if choice == "reject" else choice)
    return redirect(request, f"/wallet/records#record-{record_id}")


handlers = [records_page, records_upload, record_delete, record_skill_correct]
