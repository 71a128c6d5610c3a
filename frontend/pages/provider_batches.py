"""The provider console's batch issuance: upload or paste a CSV, a dry run that stores nothing
(``BatchService.preview``, the rule ``submit`` applies), then a job whose progress the page polls."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials.achievements import AchievementService
from credentials.batches import BatchOptions, BatchService, ParsedRow, csv_template, decode_csv, rows_from_csv
from credentials.deps import provide_runner
from credentials.idempotency import fingerprint
from credentials.models import ROW_STATES, BatchState
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.flash import flash
from frontend.forms import FormData, MultipartData, as_uuid, form_error_status, redirect, text_of
from frontend.i18n import fmt_number, translate
from frontend.pagination import page_number, page_of, paginate
from frontend.provider_console import (
    BASE,
    MEMBER,
    PER_PAGE,
    base_of,
    console,
    error_text,
    translated_errors,
    with_background,
)
from frontend.rendering import htmx_of, lang_of, page

OPTION_FIELDS = ("achievement_id", "format", "lang", "suspendable")


def line_error(field: str, message: str, lang: str) -> str:
    """A line's error in ``lang``: the learner's results (``results[i].level`` …) in the words of the
    single-issue form, the other fields as the console words them."""
    if field == "results" or field.startswith("results["):
        kind = field.rsplit(".", 1)[-1] if "." in field else "list"
        return translate(f"micro.error.result.{kind}", lang)
    return error_text(field, message, lang)


async def batch_form_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                             values: dict[str, Any], errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    achievements = await AchievementService(db, settings).list(org_id)
    values.setdefault("lang", lang_of(request))
    values.setdefault("format", "ldp")
    return await console(request, db, org_id, "batches", achievements=achievements, values=values,
                         errors=errors, preview=None, **extra)


@get(f"{BASE}/batches", **MEMBER, include_in_schema=False)
async def batch_list(request: Request, org_id: OrgId, db_session: DbSession) -> Template:
    """Earlier batches with their progress, newest first."""
    batches = BatchService(db_session)
    number = page_number(request.query_params.get("page"))
    found = await batches.list(org_id, limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE)
    rows = [(b, await batches.counts(b.id)) for b in found[:PER_PAGE]]
    return page(request, "provider/batches.html", await console(
        request, db_session, org_id, "batches", rows=rows, number=number, has_next=len(found) > PER_PAGE),
        block="batch_list")


@get(f"{BASE}/batches/new", **MEMBER, include_in_schema=False)
async def batch_new(request: Request, org_id: OrgId, db_session: DbSession,
                    settings: AppSettings, achievement_id: FromQuery[str] = "") -> Template:
    """Bulk issue: upload or paste a CSV; the next step is a dry run."""
    context = await batch_form_context(request, db_session, settings, org_id,
                                       {"achievement_id": achievement_id}, {})
    return page(request, "provider/batch_new.html", context)


def batch_options(values: dict[str, str], errors: dict[str, str], lang: str) -> BatchOptions:
    achievement = as_uuid(values.get("achievement_id"))
    if values.get("achievement_id") and achievement is None:
        errors["achievement_id"] = translate("provider.error.achievement_id", lang)
    fmt = values.get("format") if values.get("format") in ("ldp", "jwt") else "ldp"
    lang_of_credentials = values.get("lang") if values.get("lang") in ("ja", "en") else "ja"
    return BatchOptions(achievement, fmt, values.get("suspendable") == "on", lang_of_credentials)


async def csv_rows(data: dict[str, Any], errors: dict[str, str], lang: str) -> tuple[str, list[ParsedRow]]:
    """The CSV as text (the uploaded file, UTF-8 or Shift_JIS, or else the pasted text) and its checked lines."""
    upload = data.get("file")
    content = await upload.read() if isinstance(upload, UploadFile) and upload.filename else b""
    text = ""
    try:
        text = decode_csv(content) if content.strip() else text_of(data, "csv_text")
    except InvalidInput:
        errors["file"] = translate("provider.error.encoding", lang)
    if not text.strip() and "file" not in errors:
        errors["file"] = translate("provider.error.file", lang)
    if errors:
        return text, []
    try:
        return text, rows_from_csv(text.encode("utf-8"))
    except DomainError as exc:
        errors["file"] = f"{translate('provider.error.csv', lang)} {exc.detail}"
        return text, []


async def preview_of(request: Request, batches: BatchService, org_id: uuid.UUID, rows: list[ParsedRow],
                     options: BatchOptions, data: dict[str, Any], text: str) -> dict[str, Any]:
    """What the dry run shows: totals and one page of lines (all, or only the bad or the good ones)."""
    lang, wanted = lang_of(request), text_of(data, "show")
    checked = [{"line": p.line, "data": p.data, "achievement": p.achievement_id,
                "errors": [{"field": e["field"], "message": line_error(e["field"], e["message"], lang)}
                           for e in p.errors]} for p in await batches.preview(org_id, rows, options)]
    shown = [r for r in checked if bool(r["errors"]) == (wanted == "bad")] if wanted else checked
    return {"total": len(checked), "bad": sum(1 for r in checked if r["errors"]), "csv_text": text,
            "rows": paginate(shown, data.get("page"), per_page=PER_PAGE), "idempotency_key": str(uuid.uuid4())}


@post(f"{BASE}/batches/preview", **MEMBER, include_in_schema=False)
async def batch_preview(request: Request, org_id: OrgId, data: MultipartData,
                        db_session: DbSession, settings: AppSettings) -> Template:
    """Dry run: check every line and show what would be issued and which lines are bad, issuing nothing."""
    values = {n: text_of(data, n) for n in (*OPTION_FIELDS, "show")}
    errors: dict[str, str] = {}
    options = batch_options(values, errors, lang_of(request))
    text, rows = await csv_rows(data, errors, lang_of(request))
    context = await batch_form_context(request, db_session, settings, org_id, values, errors)
    if not errors:
        context["preview"] = await preview_of(request, BatchService(db_session), org_id, rows, options, data, text)
        names = {a.id: a for a in context["achievements"]}
        for row in context["preview"]["rows"].items:
            row["achievement"] = names.get(row["achievement"])
    return page(request, "provider/batch_new.html", context, block="batch_work")


@post(f"{BASE}/batches", **MEMBER, include_in_schema=False)
async def batch_submit(request: Request, org_id: OrgId, data: FormData,
                       db_session: DbSession, settings: AppSettings) -> Response:
    """Store the checked lines as a batch job and start it; then watch its progress."""
    values = {n: text_of(data, n) for n in (*OPTION_FIELDS, "idempotency_key")}
    options = batch_options(values, {}, lang_of(request))
    text = str(data.get("csv_text") or "")
    try:
        batch, _ = await BatchService(db_session).submit(
            org_id, rows_from_csv(text.encode("utf-8")), options,
            idempotency_key=values["idempotency_key"] or str(uuid.uuid4()), request_hash=fingerprint(text + repr(options)))
    except DomainError as exc:
        errors = {"file": f"{translate('provider.error.csv', lang_of(request))} {exc.detail}"}
        context = await batch_form_context(request, db_session, settings, org_id, values, errors)
        return page(request, "provider/batch_new.html", context, block="batch_work",
                    status_code=form_error_status(request, exc.status_code))
    flash(request, "flash.batch_submitted", count=fmt_number(batch.total, lang_of(request)))
    response = redirect(request, f"{base_of(org_id)}/batches/{batch.id}")
    # the job starts once the response (and so the transaction) is done
    return with_background(response, BackgroundTask((await provide_runner(request)).submit, batch.id))


async def batch_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                        batch_id: uuid.UUID) -> dict[str, Any]:
    """A batch, its counts by state and one page of its lines (filtered by state)."""
    batches = BatchService(db)
    batch = await batches.get(org_id, batch_id)
    counts = await batches.counts(batch.id)
    state = request.query_params.get("state", "")
    state = state if state in ROW_STATES else ""
    total = counts[state] if state else batch.total
    number = min(page_number(request.query_params.get("page")), max(1, -(-total // PER_PAGE)))
    rows = await batches.rows(batch.id, state or None, PER_PAGE, (number - 1) * PER_PAGE)
    listing = page_of(rows, number, PER_PAGE, total, path=f"{base_of(org_id)}/batches/{batch.id}",
                      params={"state": state})
    achievements = {str(a.id): a for a in await AchievementService(db, settings).list(org_id)}
    return await console(request, db, org_id, "batches", batch=batch, counts=counts,
                         done=counts["issued"] + counts["failed"], rows=listing, state=state,
                         achievements=achievements, states=ROW_STATES, rerun_key=str(uuid.uuid4()),
                         row_errors={r.line: [(f, line_error(f, m, lang_of(request)))
                                              for f, m in translated_errors(r.errors, lang_of(request))]
                                     for r in rows})


@get(f"{BASE}/batches/{{batch_id:uuid}}", **MEMBER, include_in_schema=False)
async def batch_page(request: Request, org_id: OrgId, batch_id: FromPath[uuid.UUID],
                     db_session: DbSession, settings: AppSettings) -> Response:
    """A batch job: a progress bar while it runs (htmx polls the status), then the result of every line."""
    context = await batch_context(request, db_session, settings, org_id, batch_id)
    details = htmx_of(request)
    context["refreshed"] = bool(details) and details.trigger == "batch_rows"
    target = details.target if details else None
    response = page(request, "provider/batch.html", context,
                    block="batch_rows" if target == "batch_rows" else "batch_status")
    if target == "batch_status" and context["batch"].state == BatchState.done:
        response.headers["HX-Trigger"] = "batch-done"  # the rows table reloads once, when the job ends
    return response


CSV = "text/csv; charset=utf-8"


@get(f"{BASE}/batches/template.csv", **MEMBER, include_in_schema=False)
async def batch_template(org_id: OrgId, db_session: DbSession, settings: AppSettings,
                         achievement_id: FromQuery[uuid.UUID | None] = None) -> Response[bytes]:
    """The CSV to fill in: the header and one example line (UTF-8 with a BOM, so Excel shows Japanese);
    for an achievement with result descriptions, a ``result:<key>`` column each."""
    descriptions = None
    if achievement_id is not None:
        descriptions = (await AchievementService(db_session, settings).get(org_id, achievement_id)).result_descriptions
    return Response(csv_template(descriptions), media_type=CSV,
                    headers={"Content-Disposition": 'attachment; filename="skillpass-bulk-issue.csv"'})


@get(f"{BASE}/batches/{{batch_id:uuid}}/results.csv", **MEMBER, include_in_schema=False)
async def batch_results(org_id: OrgId, batch_id: FromPath[uuid.UUID], db_session: DbSession) -> Response[bytes]:
    """The result table of a batch as CSV: line, recipient, status, error, credential id."""
    content = await BatchService(db_session).export_csv(org_id, batch_id)
    return Response(content, media_type=CSV,
                    headers={"Content-Disposition": f'attachment; filename="skillpass-batch-{batch_id}.csv"'})


@post(f"{BASE}/batches/{{batch_id:uuid}}/rerun", **MEMBER, include_in_schema=False)
async def batch_rerun(request: Request, org_id: OrgId, batch_id: FromPath[uuid.UUID], data: FormData,
                      db_session: DbSession) -> Response:
    """A new batch of only the failed lines of a finished one (checked again as any batch), then watch it."""
    key = text_of(data, "idempotency_key") or str(uuid.uuid4())
    batch, _ = await BatchService(db_session).rerun_failed(org_id, batch_id, idempotency_key=key)
    flash(request, "flash.batch_rerun", count=fmt_number(batch.total, lang_of(request)))
    response = redirect(request, f"{base_of(org_id)}/batches/{batch.id}")
    return with_background(response, BackgroundTask((await provide_runner(request)).submit, batch.id))


handlers = [batch_list, batch_new, batch_template, batch_preview, batch_submit, batch_page, batch_results,
            batch_rerun]
