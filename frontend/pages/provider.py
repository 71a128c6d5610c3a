"""The training provider's console: achievements aligned to DSS skill items, issuing to one person or
from a CSV (dry run first, then a job with progress), revoking, issued credentials, API keys.

Every route is for members of the provider in the ``org_id`` path parameter; API keys for its admins.
The credentials services do the work; these handlers parse the form, call one service, render.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.access import principal_of
from accounts.service import AccountService
from core.errors import Conflict, DomainError, InvalidInput
from core.settings import Settings
from credentials.achievements import ACHIEVEMENT_TYPES, DSS_VERSION, AchievementService
from credentials.batches import BatchOptions, BatchService, decode_csv, parse_datetime, rows_from_csv
from credentials.deps import provide_runner
from credentials.idempotency import fingerprint
from credentials.issuance import IssuanceService, IssueRequest, has_suspension
from credentials.models import CREDENTIAL_STATES, ROW_STATES
from credentials.schemas import AchievementCreate
from frontend.i18n import messages, translate
from frontend.pages import FormData, MultipartData, form_error_status, redirect
from frontend.pagination import page_number, page_of, paginate
from frontend.rendering import lang_of, page
from taxonomies.dss import LEVELS, get_taxonomy

DbSession = NamedDependency[AsyncSession]
AppSettings = NamedDependency[Settings]
OrgId = FromPath[uuid.UUID]
BASE = "/provider/{org_id:uuid}"
MEMBER = access.org_member("provider")
ADMIN = access.org_member("provider", admin_only=True)
PER_PAGE = 20
PICKER_LIMIT = 15
DEFAULT_LEVEL = "c"
INDEX = re.compile(r"\[\d+\]")
ACHIEVEMENT_TEXT = ("name_ja", "name_en", "description_ja", "description_en", "criteria_ja", "criteria_en")


# -- shared helpers --------------------------------------------------------------------------------

def base_of(org_id: uuid.UUID) -> str:
    return f"/provider/{org_id}"


def as_list(value: Any) -> list[str]:
    """A form or query value that may be sent once, many times, or not at all."""
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def text_of(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    value = value[-1] if isinstance(value, list) else value
    return str(value).strip() if value is not None else ""


def error_text(field: str, message: str, lang: str) -> str:
    """Our wording for a field's error when we have one (the services speak English)."""
    key = "provider.error." + INDEX.sub("", field).split(".")[-1]
    return translate(key, lang) if key in messages() else message


def translated_errors(errors: list[dict[str, Any]] | None, lang: str) -> list[tuple[str, str]]:
    """(field, message in ``lang``) for each error a service stored."""
    pairs = [(str(e.get("field", "")), str(e.get("message", ""))) for e in errors or []]
    return [(field, error_text(field, message, lang)) for field, message in pairs]


def errors_by_field(exc: InvalidInput, lang: str, default_field: str = "form") -> dict[str, str]:
    found: dict[str, str] = {}
    for error in exc.errors or [{"field": exc.field or default_field, "message": exc.detail}]:
        field = str(error.get("field") or default_field)
        found.setdefault(field, error_text(field, str(error.get("message", "")), lang))
    return found


def is_org_admin(request: Request, org_id: uuid.UUID) -> bool:
    principal = principal_of(request)
    membership = principal.membership(org_id)
    return principal.is_admin or (membership is not None and membership.role == "admin")


async def console(request: Request, db: AsyncSession, org_id: uuid.UUID, tab: str,
                  **extra: Any) -> dict[str, Any]:
    """What every console page needs: the organization, the active tab, whether the viewer is an admin."""
    org = await AccountService(db).get_org(org_id)
    return {"org": org, "base": base_of(org_id), "tab": tab, "is_admin": is_org_admin(request, org_id),
            **extra}


def with_background(response: Response, task: BackgroundTask) -> Response:
    response.background = task
    return response


# -- dashboard -------------------------------------------------------------------------------------

@get(BASE, **MEMBER, include_in_schema=False)
async def dashboard(request: Request, org_id: OrgId, db_session: DbSession,
                    settings: AppSettings) -> Template:
    """Overview: how many achievements and credentials, the latest batches, what to do next."""
    achievements = await AchievementService(db_session, settings).list(org_id)
    _, issued = await IssuanceService(db_session, settings).list(org_id, limit=1)
    _, revoked = await IssuanceService(db_session, settings).list(org_id, state="revoked", limit=1)
    batches = BatchService(db_session)
    recent = [(b, await batches.counts(b.id)) for b in await batches.list(org_id, limit=5)]
    return page(request, "provider/dashboard.html", await console(
        request, db_session, org_id, "home", achievement_count=len(achievements), issued=issued,
        revoked=revoked,
        recent=recent))


# -- achievements ----------------------------------------------------------------------------------

@get(f"{BASE}/achievements", **MEMBER, include_in_schema=False)
async def achievement_list(request: Request, org_id: OrgId, db_session: DbSession,
                           settings: AppSettings) -> Template:
    """The provider's achievements, newest last, paginated."""
    items = await AchievementService(db_session, settings).list(org_id)
    listing = paginate(items, request.query_params.get("page"), per_page=PER_PAGE,
                       path=f"{base_of(org_id)}/achievements")
    return page(request, "provider/achievements.html",
                await console(request, db_session, org_id, "achievements", achievements=listing),
                block="achievement_list")


def skill_choices(query: str) -> list[Any]:
    """DSS skill items (of the version badges align to) whose Japanese or English text holds ``query``."""
    if not query.strip():
        return []
    tx = get_taxonomy()
    hits = [h for h in tx.search(query.strip()[:100], None, limit=300)
            if h.kind == "skills" and h.version == DSS_VERSION]
    return [tx.skill_item(h.id) for h in hits[:PICKER_LIMIT]]


def alignment_rows(skills: list[str], levels: list[str], *, add: str = "", remove: str = "") -> list[dict]:
    """The chosen skill items with their levels, after adding or removing one (unknown ids dropped)."""
    tx = get_taxonomy()
    known = {s.id: s for s in tx.skill_items(DSS_VERSION)}
    rows: list[dict] = []
    for i, skill_id in enumerate(skills):
        if skill_id in known and skill_id != remove and all(r["skill"].id != skill_id for r in rows):
            level = levels[i] if i < len(levels) and levels[i] in LEVELS else DEFAULT_LEVEL
            rows.append({"skill": known[skill_id], "level": level})
    if add in known and all(r["skill"].id != add for r in rows):
        rows.append({"skill": known[add], "level": DEFAULT_LEVEL})
    return rows


def editor_context(values: dict[str, Any], rows: list[dict], errors: dict[str, str]) -> dict[str, Any]:
    return {"values": values, "alignments": rows, "errors": errors, "levels": list(reversed(LEVELS)),
            "types": ACHIEVEMENT_TYPES}


@get(f"{BASE}/achievements/new", **MEMBER, include_in_schema=False)
async def achievement_new(request: Request, org_id: OrgId, db_session: DbSession,
                          q: FromQuery[str] = "") -> Template:
    """The achievement editor: texts in both languages and DSS skill items with a level each."""
    context = editor_context({}, [], {})
    return page(request, "provider/achievement_form.html", await console(
        request, db_session, org_id, "achievements", q=q, choices=skill_choices(q), **context))


@get(f"{BASE}/achievements/skills", **MEMBER, include_in_schema=False)
async def skill_picker(request: Request, org_id: OrgId, db_session: DbSession,
                       q: FromQuery[str] = "") -> Template:
    """Type-ahead for the skill picker: skill items matching ``q`` in Japanese or English."""
    context = editor_context({}, [], {})
    return page(request, "provider/achievement_form.html", await console(
        request, db_session, org_id, "achievements", q=q, choices=skill_choices(q), **context),
        block="skill_picker_results")


@get(f"{BASE}/achievements/alignments", **MEMBER, include_in_schema=False)
async def alignment_list(request: Request, org_id: OrgId, db_session: DbSession,
                         add: FromQuery[str] = "", remove: FromQuery[str] = "") -> Template:
    """The chosen skill items again, with one added or removed (the editor swaps this list in)."""
    params = request.query_params
    rows = alignment_rows(params.getall("align_skill", []), params.getall("align_level", []), add=add,
                          remove=remove)
    context = editor_context({}, rows, {})
    return page(request, "provider/achievement_form.html", await console(
        request, db_session, org_id, "achievements", q="", choices=[], removed=bool(remove), **context),
        block="alignment_rows")


def pydantic_errors(exc: ValidationError, lang: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "form"
        key = "provider.error.required" if error["type"] in ("string_too_short", "too_short", "missing") \
            else "provider.error.too_long"
        if field == "alignments":
            key = "provider.error.alignments"
        found.setdefault(field, translate(key, lang))
    return found


@post(f"{BASE}/achievements", **MEMBER, include_in_schema=False)
async def achievement_create(request: Request, org_id: OrgId, data: FormData,
                             db_session: DbSession, settings: AppSettings) -> Response:
    """Create the achievement; errors are shown next to each field (and next to each skill row)."""
    lang = lang_of(request)
    values = {name: text_of(data, name) for name in (*ACHIEVEMENT_TEXT, "criteria_url", "image",
                                                     "achievement_type")}
    rows = alignment_rows(as_list(data.get("align_skill")), as_list(data.get("align_level")))
    body = {**values, "alignments": [{"skill_id": r["skill"].id, "level": r["level"]} for r in rows]}
    body = {k: (v or None) if k in ("criteria_url", "image", "achievement_type") else v for k,
            v in body.items()}
    try:
        checked = AchievementCreate.model_validate(body)
        achievement = await AchievementService(db_session, settings).create(org_id, checked.model_dump())
    except ValidationError as exc:
        errors = pydantic_errors(exc, lang)
    except InvalidInput as exc:
        errors = errors_by_field(exc, lang, "alignments")
    else:
        return redirect(request, f"{base_of(org_id)}/achievements/{achievement.id}?created=1")
    context = editor_context(values, rows, errors)
    status = form_error_status(request, 422)
    return page(request, "provider/achievement_form.html", await console(
        request, db_session, org_id, "achievements", q="", choices=[], **context),
        block="achievement_form", status_code=status)


@get(f"{BASE}/achievements/{{achievement_id:uuid}}", **MEMBER, include_in_schema=False)
async def achievement_page(request: Request, org_id: OrgId, achievement_id: FromPath[uuid.UUID],
                           db_session: DbSession, settings: AppSettings,
                           created: FromQuery[bool] = False) -> Template:
    """One achievement: its texts, the skill items and levels it attests, and what to do with it."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    tx = get_taxonomy()
    aligned = [(tx.skill_item(a["skill_id"]), a["level"]) for a in achievement.alignments]
    _, issued = await IssuanceService(db_session, settings).list(org_id, achievement_id=achievement.id,
                                                                 limit=1)
    return page(request, "provider/achievement.html", await console(
        request, db_session, org_id, "achievements", achievement=achievement, aligned=aligned, issued=issued,
        created=created))


# -- issuing one credential ------------------------------------------------------------------------

async def issue_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                        values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    achievements = await AchievementService(db, settings).list(org_id)
    if len(achievements) == 1 and not values.get("achievement_id"):
        values["achievement_id"] = str(achievements[0].id)
    values.setdefault("idempotency_key", str(uuid.uuid4()))
    values.setdefault("lang", lang_of(request))
    values.setdefault("format", "ldp")
    return await console(request, db, org_id, "issue", achievements=achievements, values=values,
                         errors=errors)


@get(f"{BASE}/issue", **MEMBER, include_in_schema=False)
async def issue_form(request: Request, org_id: OrgId, db_session: DbSession,
                     settings: AppSettings, achievement_id: FromQuery[str] = "") -> Template:
    """Issue one credential: achievement, recipient, optional expiry and evidence."""
    context = await issue_context(request, db_session, settings, org_id, {"achievement_id": achievement_id},
                                  {})
    return page(request, "provider/issue.html", context)


def issue_request(values: dict[str, str]) -> IssueRequest:
    """The service's request from the form (a date means 00:00 UTC, as in CSV batches)."""
    date_errors: list[dict[str, str]] = []
    valid_until = parse_datetime(values.get("valid_until"), "valid_until", date_errors)
    if date_errors:
        raise InvalidInput(date_errors[0]["message"], field="valid_until", errors=date_errors)
    evidence = {k: values[f"evidence_{k}"] for k in ("url", "narrative") if values.get(f"evidence_{k}")}
    return IssueRequest(
        achievement_id=values.get("achievement_id") or None,
        recipient_email=values.get("recipient_email", ""),
        recipient_name=values.get("recipient_name") or None,
        valid_until=datetime.fromisoformat(valid_until) if valid_until else None,
        evidence=[evidence] if evidence else [], format=values.get("format") or "ldp",
        suspendable=values.get("suspendable") == "on", lang=values.get("lang") or "ja",
    )


@post(f"{BASE}/issue", **MEMBER, include_in_schema=False)
async def issue_submit(request: Request, org_id: OrgId, data: FormData,
                       db_session: DbSession, settings: AppSettings) -> Response:
    """Issue now (the form's idempotency key makes a double submit return the first credential)."""
    names = ("achievement_id", "recipient_email", "recipient_name", "valid_until", "evidence_url",
             "evidence_narrative", "format", "lang", "suspendable", "idempotency_key")
    values = {name: text_of(data, name) for name in names}
    lang = lang_of(request)
    try:
        credential = await IssuanceService(db_session, settings).issue_once(
            org_id, issue_request(values), values["idempotency_key"] or str(uuid.uuid4()))
    except InvalidInput as exc:
        errors = errors_by_field(exc, lang)
    except DomainError as exc:  # e.g. the achievement is not ours (404), a reused key (409)
        field = exc.field if exc.field in values else "form"
        errors = {field: error_text(exc.field or "form", exc.detail, lang)}
    else:
        return redirect(request, f"{base_of(org_id)}/credentials/{credential.id}?issued=1")
    errors = {("evidence_url" if k.startswith("evidence") else k): v for k, v in errors.items()}
    context = await issue_context(request, db_session, settings, org_id, values, errors)
    status = form_error_status(request, 422)
    return page(request, "provider/issue.html", context, block="issue_form", status_code=status)


# -- issued credentials and revocation -------------------------------------------------------------

@get(f"{BASE}/credentials", **MEMBER, include_in_schema=False)
async def credential_list(request: Request, org_id: OrgId, db_session: DbSession,
                          settings: AppSettings, achievement_id: FromQuery[str] = "",
                          email: FromQuery[str] = "", batch_id: FromQuery[str] = "") -> Template:
    """Issued credentials, newest first, filtered live by achievement, state, recipient and batch."""
    achievements = await AchievementService(db_session, settings).list(org_id)
    chosen = _uuid(achievement_id) if _uuid(achievement_id) in {a.id for a in achievements} else None
    batch = _uuid(batch_id)
    state = request.query_params.get("state", "")  # ("state" is a name Litestar reserves for app state)
    state = state if state in CREDENTIAL_STATES else ""
    filters = {"achievement_id": chosen, "state": state or None, "recipient_email": email.strip() or None,
               "batch_id": batch}
    number = page_number(request.query_params.get("page"))
    issuance = IssuanceService(db_session, settings)
    items, total = await issuance.list(org_id, **filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    last = max(1, -(-total // PER_PAGE))
    if number > last:
        number = last
        items, total = await issuance.list(org_id, **filters, limit=PER_PAGE, offset=(number - 1) * PER_PAGE)
    params = {"achievement_id": chosen, "state": state, "email": email.strip(), "batch_id": batch}
    listing = page_of(items, number, PER_PAGE, total, path=f"{base_of(org_id)}/credentials", params=params)
    return page(request, "provider/credentials.html", await console(
        request, db_session, org_id, "credentials", credentials=listing, achievements=achievements,
        names={a.id: a for a in achievements}, filters=params, states=CREDENTIAL_STATES),
        block="credential_list")


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


async def credential_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                             credential_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    credential = await IssuanceService(db, settings).get(org_id, credential_id)
    achievement = await AchievementService(db, settings).get(org_id, credential.achievement_id)
    document = json.dumps(credential.document, ensure_ascii=False, indent=2)
    return await console(request, db, org_id, "credentials", credential=credential, achievement=achievement,
                         document=document, suspendable=has_suspension(credential), **extra)


@get(f"{BASE}/credentials/{{credential_id:uuid}}", **MEMBER, include_in_schema=False)
async def credential_page(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                          db_session: DbSession, settings: AppSettings,
                          issued: FromQuery[bool] = False) -> Template:
    """One issued credential: recipient, state, the signed document, and the revoke form."""
    context = await credential_context(request, db_session, settings, org_id, credential_id, issued=issued,
                                       errors={}, reason="")
    return page(request, "provider/credential.html", context)


@post(f"{BASE}/credentials/{{credential_id:uuid}}/revoke", **MEMBER, include_in_schema=False)
async def credential_revoke(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                            data: FormData, db_session: DbSession,
                            settings: AppSettings) -> Response:
    """Revoke for good, with a reason (the status list is re-signed at once)."""
    lang = lang_of(request)
    reason = text_of(data, "reason")
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = translate("provider.error.reason", lang)
    elif len(reason) > 500:
        errors["reason"] = translate("provider.error.too_long", lang)
    elif text_of(data, "confirm") != "on":
        errors["confirm"] = translate("provider.error.confirm", lang)
    else:
        try:
            await IssuanceService(db_session, settings).change_state(org_id, credential_id, "revoke", reason)
        except Conflict as exc:
            errors["form"] = error_text("revoked", exc.detail, lang)
        else:
            return redirect(request, f"{base_of(org_id)}/credentials/{credential_id}")
    context = await credential_context(request, db_session, settings, org_id, credential_id, issued=False,
                                       errors=errors, reason=reason)
    status = form_error_status(request, 422)
    return page(request, "provider/credential.html", context, block="revoke_form", status_code=status)


@post(f"{BASE}/credentials/{{credential_id:uuid}}/suspension", **MEMBER, include_in_schema=False)
async def credential_suspension(request: Request, org_id: OrgId, credential_id: FromPath[uuid.UUID],
                                data: FormData, db_session: DbSession, settings: AppSettings) -> Response:
    """Suspend, or lift a suspension (only credentials issued with a suspension entry)."""
    action = text_of(data, "action")
    reason = text_of(data, "reason")[:500] or None
    try:
        await IssuanceService(db_session, settings).change_state(org_id, credential_id, action, reason)
    except (Conflict, InvalidInput) as exc:
        context = await credential_context(request, db_session, settings, org_id, credential_id, issued=False,
                                           errors={"suspension": error_text("suspension", exc.detail,
                                                                             lang_of(request))}, reason="")
        status = form_error_status(request, 409)
        return page(request, "provider/credential.html", context, block="revoke_form", status_code=status)
    return redirect(request, f"{base_of(org_id)}/credentials/{credential_id}")


# -- batch issuance --------------------------------------------------------------------------------

async def batch_form_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                             values: dict[str, Any], errors: dict[str, str], **extra: Any) -> dict[str, Any]:
    achievements = await AchievementService(db, settings).list(org_id)
    values.setdefault("lang", lang_of(request))
    values.setdefault("format", "ldp")
    return await console(request, db, org_id, "batches", achievements=achievements, values=values,
                         errors=errors,
                         preview=None, **extra)


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
    achievement = _uuid(values.get("achievement_id"))
    if values.get("achievement_id") and achievement is None:
        errors["achievement_id"] = translate("provider.error.achievement_id", lang)
    fmt = values.get("format") if values.get("format") in ("ldp", "jwt") else "ldp"
    lang_of_credentials = values.get("lang") if values.get("lang") in ("ja", "en") else "ja"
    return BatchOptions(achievement, fmt, values.get("suspendable") == "on", lang_of_credentials)


async def csv_text_of(data: dict[str, Any], errors: dict[str, str], lang: str) -> str:
    """The CSV as text: the uploaded file (UTF-8 or Shift_JIS) or else the pasted text."""
    upload = data.get("file")
    content = await upload.read() if isinstance(upload, UploadFile) and upload.filename else b""
    text = ""
    try:
        text = decode_csv(content) if content.strip() else text_of(data, "csv_text")
    except InvalidInput:
        errors["file"] = translate("provider.error.encoding", lang)
    if not text.strip() and "file" not in errors:
        errors["file"] = translate("provider.error.file", lang)
    return text


def preview_rows(rows: list[Any], options: BatchOptions, owned: dict[uuid.UUID, Any],
                 lang: str) -> list[dict]:
    """Each CSV line as it would be issued, or with the reasons it would be skipped (nothing is stored)."""
    preview = []
    for row in rows:
        errors = [{"field": e["field"], "message": error_text(e["field"], e["message"],
                                                              lang)} for e in row.errors]
        chosen = _uuid(row.data.get("achievement_id")) or options.achievement_id
        if row.data and chosen not in owned:
            message = translate("provider.error.achievement_id", lang)
            errors.append({"field": "achievement_id", "message": message})
        preview.append({"line": row.line, "data": row.data, "achievement": owned.get(chosen),
                        "errors": errors})
    return preview


@post(f"{BASE}/batches/preview", **MEMBER, include_in_schema=False)
async def batch_preview(request: Request, org_id: OrgId, data: MultipartData,
                        db_session: DbSession, settings: AppSettings) -> Template:
    """Dry run: check every line and show what would be issued and which lines are bad, issuing nothing."""
    lang = lang_of(request)
    values = {n: text_of(data, n) for n in ("achievement_id", "format", "lang", "suspendable", "show")}
    errors: dict[str, str] = {}
    options = batch_options(values, errors, lang)
    text = await csv_text_of(data, errors, lang)
    rows: list[Any] = []
    if not errors:
        try:
            rows = rows_from_csv(text.encode("utf-8"))
        except DomainError as exc:
            errors["file"] = f"{translate('provider.error.csv', lang)} {exc.detail}"
    context = await batch_form_context(request, db_session, settings, org_id, values, errors)
    if not errors:
        owned = {a.id: a for a in context["achievements"]}
        checked = preview_rows(rows, options, owned, lang)
        wanted = values["show"]
        shown = [r for r in checked if bool(r["errors"]) == (wanted == "bad")] if wanted else checked
        context["preview"] = {
            "total": len(checked), "bad": sum(1 for r in checked if r["errors"]), "csv_text": text,
            "rows": paginate(shown, data.get("page"),
                             per_page=PER_PAGE), "idempotency_key": str(uuid.uuid4()),
        }
    return page(request, "provider/batch_new.html", context, block="batch_work")


@post(f"{BASE}/batches", **MEMBER, include_in_schema=False)
async def batch_submit(request: Request, org_id: OrgId, data: FormData,
                       db_session: DbSession, settings: AppSettings) -> Response:
    """Store the checked lines as a batch job and start it; then watch its progress."""
    lang = lang_of(request)
    values = {n: text_of(data, n) for n in ("achievement_id", "format", "lang", "suspendable",
                                            "idempotency_key")}
    errors: dict[str, str] = {}
    options = batch_options(values, errors, lang)
    text = str(data.get("csv_text") or "")
    try:
        rows = rows_from_csv(text.encode("utf-8"))
        batch, _ = await BatchService(db_session).submit(
            org_id, rows, options, idempotency_key=values["idempotency_key"] or str(uuid.uuid4()),
            request_hash=fingerprint(text + repr(options)))
    except DomainError as exc:
        errors["file"] = f"{translate('provider.error.csv', lang)} {exc.detail}"
        context = await batch_form_context(request, db_session, settings, org_id, values, errors)
        return page(request, "provider/batch_new.html", context, block="batch_work",
                    status_code=form_error_status(request, 422))
    runner = await provide_runner(request)
    response = redirect(request, f"{base_of(org_id)}/batches/{batch.id}")
    # the job starts once the response (and so the transaction) is done
    return with_background(response, BackgroundTask(runner.submit, batch.id))


@get(f"{BASE}/batches/{{batch_id:uuid}}", **MEMBER, include_in_schema=False)
async def batch_page(request: Request, org_id: OrgId, batch_id: FromPath[uuid.UUID],
                     db_session: DbSession, settings: AppSettings) -> Response:
    """A batch job: a progress bar while it runs (htmx polls the status), then the result of every line."""
    batches = BatchService(db_session)
    batch = await batches.get(org_id, batch_id)
    counts = await batches.counts(batch.id)
    state = request.query_params.get("state", "")
    state = state if state in ROW_STATES else ""
    number = page_number(request.query_params.get("page"))
    total = counts[state] if state else batch.total
    number = min(number, max(1, -(-total // PER_PAGE)))
    rows = await batches.rows(batch.id, state or None, PER_PAGE, (number - 1) * PER_PAGE)
    listing = page_of(rows, number, PER_PAGE, total, path=f"{base_of(org_id)}/batches/{batch.id}",
                      params={"state": state})
    achievements = {str(a.id): a for a in await AchievementService(db_session, settings).list(org_id)}
    done = counts["issued"] + counts["failed"]
    lang = lang_of(request)
    row_errors = {r.line: translated_errors(r.errors, lang) for r in rows}
    context = await console(request, db_session, org_id, "batches", batch=batch, counts=counts, done=done,
                            rows=listing, state=state, achievements=achievements, states=ROW_STATES,
                            row_errors=row_errors,
                            refreshed=request.headers.get("hx-trigger") == "batch_rows")
    target = request.headers.get("hx-target")
    response = page(request, "provider/batch.html", context,
                    block="batch_rows" if target == "batch_rows" else "batch_status")
    if target == "batch_status" and batch.state == "done":
        response.headers["HX-Trigger"] = "batch-done"  # the rows table reloads once, when the job ends
    return response


# -- API keys (organization admins) ----------------------------------------------------------------

async def keys_context(request: Request, db: AsyncSession, org_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    keys = await AccountService(db).list_api_keys(org_id)
    listing = paginate(keys, request.query_params.get("page"), per_page=PER_PAGE,
                       path=f"{base_of(org_id)}/api-keys")
    extra.setdefault("errors", {})
    extra.setdefault("new_key", None)
    return await console(request, db, org_id, "keys", keys=listing, **extra)


@get(f"{BASE}/api-keys", **ADMIN, include_in_schema=False)
async def api_keys(request: Request, org_id: OrgId, db_session: DbSession) -> Template:
    """The organization's API keys (prefix, creation, last use); admins only."""
    return page(request, "provider/api_keys.html", await keys_context(request, db_session, org_id),
                block="key_list")


@post(f"{BASE}/api-keys", **ADMIN, include_in_schema=False)
async def api_key_create(request: Request, org_id: OrgId, data: FormData,
                         db_session: DbSession) -> Template:
    """Create a key and show it this once (only its hash is kept)."""
    name = text_of(data, "name")
    lang = lang_of(request)
    if not name or len(name) > 100:
        context = await keys_context(request, db_session, org_id, errors={
            "name": translate("provider.error.required" if not name else "provider.error.too_long", lang)},
            name=name)
        return page(request, "provider/api_keys.html", context, block="api_keys",
                    status_code=form_error_status(request, 422))
    principal = principal_of(request)
    key, secret = await AccountService(db_session).create_api_key(org_id, name, principal.person_id)
    await db_session.flush()
    context = await keys_context(request, db_session, org_id, new_key={"key": key, "secret": secret})
    return page(request, "provider/api_keys.html", context, block="api_keys")


@post(f"{BASE}/api-keys/{{key_id:uuid}}/revoke", **ADMIN, include_in_schema=False)
async def api_key_revoke(request: Request, org_id: OrgId, key_id: FromPath[uuid.UUID],
                         db_session: DbSession) -> Response:
    """Revoke a key at once; calls with it are refused from now on."""
    await AccountService(db_session).revoke_api_key(org_id, key_id)
    return redirect(request, f"{base_of(org_id)}/api-keys")


handlers = [
    dashboard, achievement_list, achievement_new, skill_picker, alignment_list, achievement_create,
    achievement_page,
    issue_form, issue_submit, credential_list, credential_page, credential_revoke, credential_suspension, batch_list, batch_new,
    batch_preview, batch_submit, batch_page, api_keys, api_key_create, api_key_revoke,
]
