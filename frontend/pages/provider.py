"""The training provider's console: the dashboard and achievements aligned to DSS skill items.
Issuing and revoking credentials: ``provider_credentials``; batch issuance: ``provider_batches``; API
keys: ``provider_keys``; webhooks: ``provider_webhooks``.

Every route is for members of the provider in the ``org_id`` path parameter.
The credentials services do the work; these handlers parse the form, call one service, render.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from pydantic import ValidationError

from core.errors import InvalidInput
from credentials.achievements import (ACHIEVEMENT_TYPES, CREDIT_UNITS, LEVEL_FRAMEWORKS, MAX_RESULT_DESCRIPTIONS,
                                      MAX_RUBRIC_LEVELS, RESULT_TYPES, AchievementService, achievement_json,
                                      micro_detail)
from credentials.batches import BatchService
from credentials.endorsements import for_achievement
from credentials.issuance import IssuanceService
from credentials.models import Achievement
from credentials.schemas import AchievementCreate, MicroCredentialIn
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.dss_picker import alignment_rows, skill_choices
from frontend.forms import FormData, as_list, form_error_status, redirect, text_of
from frontend.i18n import translate
from frontend.pagination import paginate
from frontend.provider_console import BASE, MEMBER, PER_PAGE, base_of, console, errors_by_field
from frontend.rendering import lang_of, page
from taxonomies.dss import LEVELS, get_taxonomy

ACHIEVEMENT_TEXT = ("name_ja", "name_en", "description_ja", "description_en", "criteria_ja", "criteria_en")
OPTIONAL = ("criteria_url", "image", "achievement_type")
MICRO = ("credits_available", "credit_unit", "workload_hours", "level_framework", "qualification_level",
         "field_of_study", "instruction_language")  # result descriptions: the rows below (RD)
RD = "result_descriptions"
RD_FIELDS = ("key", "result_type", "name_ja", "name_en", "required_level", "value_min", "value_max", "allowed_values")
LIST_SEPARATORS = re.compile(r"[,、，]")
LEVEL_FIELDS = ("key", "name_ja", "name_en")


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
        revoked=revoked, recent=recent))


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


def editor_context(values: dict[str, Any], rows: list[dict], errors: dict[str, str],
                   descriptions: list[dict] | None = None) -> dict[str, Any]:
    return {"values": values, "alignments": rows, "errors": errors, "levels": list(reversed(LEVELS)),
            "types": ACHIEVEMENT_TYPES, "credit_units": CREDIT_UNITS, "level_frameworks": LEVEL_FRAMEWORKS,
            "result_types": RESULT_TYPES, "rd_rows": description_rows(descriptions or []),
            "rd_open": bool(descriptions) or any(k.startswith(RD) for k in errors)}


def description_rows(typed: list[dict]) -> list[dict]:
    """The result-description rows to show: those typed, then empty ones to fill in (repeatable rows
    without JavaScript: three rows at first, a spare one each time the form comes back, spare levels too)."""
    rows = [dict(d, levels=[*d.get("levels", []), *({} for _ in range(max(1, 3 - len(d.get("levels", [])))))])
            for d in typed]
    spare = min(max(1, 3 - len(rows)), MAX_RESULT_DESCRIPTIONS - len(rows))
    return [*rows, *({"levels": [{}, {}, {}]} for _ in range(spare))]


def form_descriptions(data: dict[str, Any]) -> tuple[list[dict], list[int]]:
    """The ``result_descriptions[i]`` rows as typed (empty rows left out) and, for each one kept, its form
    index, so the service's ``result_descriptions[n]...`` errors land on the row the provider sees."""
    typed, at = [], []
    for i in range(MAX_RESULT_DESCRIPTIONS + 1):
        entry = {f: text_of(data, f"{RD}[{i}].{f}") for f in RD_FIELDS}
        levels = []
        for j in range(MAX_RUBRIC_LEVELS + 3):
            level = {f: text_of(data, f"{RD}[{i}].levels[{j}].{f}") for f in LEVEL_FIELDS}
            if any(level.values()):
                levels.append(level)
        if any(v for k, v in entry.items() if k != "result_type") or levels:
            # every text present (empty when not typed), so the domain rule, not the schema, names the field
            typed.append({**entry, **{k: entry[k] or None for k in ("required_level", "value_min", "value_max")},
                          "allowed_values": [v.strip() for v in LIST_SEPARATORS.split(entry["allowed_values"])
                                             if v.strip()],
                          "levels": levels})
            at.append(i)
    return typed, at


def description_errors(exc: InvalidInput, at: list[int], lang: str) -> dict[str, str]:
    """The service's errors on result descriptions, by the form's field names, in ``lang``."""
    field = str(exc.field or "")
    found = re.match(r"result_descriptions\[(\d+)\](.*)", field)
    if not found:
        return {RD: translate("micro.error.rd.count", lang)}
    index = int(found.group(1))
    name = f"{RD}[{at[index] if index < len(at) else index}]{found.group(2)}"
    last = re.sub(r"\[\d+\]", "", found.group(2)).lstrip(".").replace(".", "_")
    return {name: translate(f"micro.error.rd.{last}", lang)}


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


def pydantic_errors(exc: ValidationError, lang: str, at: list[int] | None = None) -> dict[str, str]:
    """The schema's errors by field; one inside a result description lands on its form row (``at``)."""
    found: dict[str, str] = {}
    for error in exc.errors():
        loc = error["loc"]
        if at is not None and len(loc) >= 3 and loc[0] == RD and isinstance(loc[1], int):
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[2:])
            found.update(description_errors(InvalidInput("", field=f"{RD}[{loc[1]}]{path}"), at, lang))
            continue
        field = str(loc[0]) if loc else "form"
        key = "provider.error.required" if error["type"] in ("string_too_short", "too_short", "missing") \
            else "provider.error.too_long"
        if field == "alignments":
            key = "provider.error.alignments"
        found.setdefault(field, translate(key, lang))
    return micro_errors(found, lang)


def micro_errors(found: dict[str, str], lang: str) -> dict[str, str]:
    """Our wording for the micro-credential fields (their i18n keys are ``micro.error.<field>``)."""
    return {f: translate(f"micro.error.{f}", lang) if f in MICRO else text for f, text in found.items()}


def achievement_form(data: dict[str, Any]) -> tuple[dict[str, str], list[dict], dict[str, Any]]:
    """(the texts as typed, the skill rows, the body ``POST .../achievements`` of the API takes)."""
    values = {name: text_of(data, name) for name in (*ACHIEVEMENT_TEXT, *OPTIONAL, *MICRO)}
    rows = alignment_rows(as_list(data.get("align_skill")), as_list(data.get("align_level")))
    body = {**{k: (v or None) if k in OPTIONAL or k in MICRO else v for k, v in values.items()},
            "alignments": [{"skill_id": r["skill"].id, "level": r["level"]} for r in rows]}
    typed, _ = form_descriptions(data)
    body[RD] = typed
    return values, rows, body


@post(f"{BASE}/achievements", **MEMBER, include_in_schema=False)
async def achievement_create(request: Request, org_id: OrgId, data: FormData,
                             db_session: DbSession, settings: AppSettings) -> Response:
    """Create the achievement; errors are shown next to each field (and next to each skill row)."""
    values, rows, body = achievement_form(data)
    typed, at = form_descriptions(data)
    try:
        checked = AchievementCreate.model_validate(body)
        achievement = await AchievementService(db_session, settings).create(org_id, checked.model_dump())
    except ValidationError as exc:
        errors = pydantic_errors(exc, lang_of(request), at)
    except InvalidInput as exc:
        if str(exc.field or "").startswith(RD):
            errors = description_errors(exc, at, lang_of(request))
        else:
            errors = micro_errors(errors_by_field(exc, lang_of(request), "alignments"), lang_of(request))
    else:
        return redirect(request, f"{base_of(org_id)}/achievements/{achievement.id}?created=1")
    return page(request, "provider/achievement_form.html", await console(
        request, db_session, org_id, "achievements", q="", choices=[],
        **editor_context(values, rows, errors, typed)), block="achievement_form",
        status_code=form_error_status(request, 422))


@get(f"{BASE}/achievements/{{achievement_id:uuid}}", **MEMBER, include_in_schema=False)
async def achievement_page(request: Request, org_id: OrgId, achievement_id: FromPath[uuid.UUID],
                           db_session: DbSession, settings: AppSettings,
                           created: FromQuery[bool] = False, saved: FromQuery[bool] = False) -> Template:
    """One achievement: its texts, the skill items and levels it attests, and what to do with it."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    tx = get_taxonomy()
    aligned = [(tx.skill_item(a["skill_id"]), a["level"]) for a in achievement.alignments]
    _, issued = await IssuanceService(db_session, settings).list(org_id, achievement_id=achievement.id,
                                                                 limit=1)
    return page(request, "provider/achievement.html", await console(
        request, db_session, org_id, "achievements", achievement=achievement, aligned=aligned, issued=issued,
        created=created, saved=saved, micro=micro_detail({"credentialSubject": {"achievement": achievement_json(
            achievement, settings, lang_of(request))}}),
        endorsements=await for_achievement(db_session, settings, achievement.id)))


def micro_values(achievement: Achievement) -> dict[str, str]:
    """The stored micro-credential detail as the form's texts (numbers without a needless ``.0``)."""
    def shown(value: Any) -> str:
        return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    return {name: shown(getattr(achievement, name)) for name in MICRO}


def micro_form(data: dict[str, Any]) -> tuple[dict[str, str], list[dict], list[int], dict[str, Any]]:
    """(the texts as typed, the result descriptions as typed, their form rows, the body of the API's
    ``PUT .../micro``)."""
    values = {name: text_of(data, name) for name in MICRO}
    typed, at = form_descriptions(data)
    return values, typed, at, {**{k: v or None for k, v in values.items()}, RD: typed}


def micro_context(achievement: Achievement, values: dict[str, str], errors: dict[str, str],
                  descriptions: list[dict]) -> dict[str, Any]:
    return {**editor_context(values, [], errors, descriptions), "achievement": achievement}


@get(f"{BASE}/achievements/{{achievement_id:uuid}}/micro", **MEMBER, include_in_schema=False)
async def micro_edit(request: Request, org_id: OrgId, achievement_id: FromPath[uuid.UUID],
                     db_session: DbSession, settings: AppSettings) -> Template:
    """The micro-credential detail and result items of an achievement, to change."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    return page(request, "provider/achievement_micro.html", await console(
        request, db_session, org_id, "achievements",
        **micro_context(achievement, micro_values(achievement), {}, achievement.result_descriptions or [])))


@post(f"{BASE}/achievements/{{achievement_id:uuid}}/micro", **MEMBER, include_in_schema=False)
async def micro_save(request: Request, org_id: OrgId, achievement_id: FromPath[uuid.UUID], data: FormData,
                     db_session: DbSession, settings: AppSettings) -> Response:
    """Replace the detail with what the form says: the API's ``PUT .../micro`` body and domain function
    (``AchievementService.update_micro``), errors next to each field and result row."""
    service = AchievementService(db_session, settings)
    values, typed, at, body = micro_form(data)
    lang = lang_of(request)
    try:
        achievement = await service.update_micro(org_id, achievement_id,
                                                 MicroCredentialIn.model_validate(body).model_dump())
    except ValidationError as exc:
        errors = pydantic_errors(exc, lang, at)
    except InvalidInput as exc:
        errors = (description_errors(exc, at, lang) if str(exc.field or "").startswith(RD)
                  else micro_errors(errors_by_field(exc, lang), lang))
    else:
        return redirect(request, f"{base_of(org_id)}/achievements/{achievement.id}?saved=1")
    achievement = await service.get(org_id, achievement_id)  # its names for the page; nothing was changed
    return page(request, "provider/achievement_micro.html", await console(
        request, db_session, org_id, "achievements", **micro_context(achievement, values, errors, typed)),
        block="micro_form", status_code=form_error_status(request, 422))


handlers = [
    dashboard, achievement_list, achievement_new, skill_picker, alignment_list, achievement_create,
    achievement_page, micro_edit, micro_save,
]
