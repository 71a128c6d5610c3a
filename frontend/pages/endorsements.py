"""Pages: endorsements. In the provider console and the employer console (one page, one form), the
endorsements an organization gave, the form to endorse another organization's achievement or issuer
profile, and withdrawal; in public, one endorsement verified
now (and its signed JSON) and an achievement's page with the endorsements in force and their endorsers'
trust. ``credentials.endorsements`` keeps the rules, so the form and the API refuse alike."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from accounts.models import Organization
from core.errors import DomainError
from core.settings import Settings
from credentials import endorsements
from credentials.achievements import AchievementService
from credentials.models import Achievement
from credentials.verification import check
from frontend import employer_console, provider_console
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.flash import flash
from frontend.forms import FormData, form_error_status, redirect, text_of
from frontend.i18n import translate
from frontend.rendering import lang_of, not_found_page, page
from frontend.verification import verdict_of

# The domain's fields, as the form names them (one picker for an achievement or an issuer).
FORM_FIELD = {"achievement_id": "subject", "issuer_org_id": "subject", "comment": "comment"}
ERROR_KEY = {"not_verified": "endorse.error.not_verified", "own": "endorse.error.own"}
# Each console that has the page: its context builder, URL base and layout.
CONSOLES = {"provider": (provider_console.console, provider_console.base_of, "provider/_layout.html"),
            "employer": (employer_console.console, employer_console.base_of, "employer/_layout.html")}


def form_errors(exc: DomainError, lang: str) -> dict[str, str]:
    """Each form field's error in ``lang`` (the services speak English)."""
    code = exc.extra.get("code")
    found: dict[str, str] = {}
    listed = getattr(exc, "errors", None) or [{"field": exc.field or "form"}]
    for error in listed:
        field = str(error.get("field") or "form")
        name = FORM_FIELD.get(field, field)
        key = ERROR_KEY.get(code) or f"endorse.error.{name}"
        found.setdefault(name, translate(key, lang))
    return found


def parse_subject(value: str) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """``a:<achievement id>`` or ``o:<organization id>`` from the picker; (None, None) when neither."""
    kind, _, raw = value.partition(":")
    try:
        parsed = uuid.UUID(raw)
    except ValueError:
        return None, None
    return (parsed, None) if kind == "a" else (None, parsed) if kind == "o" else (None, None)


async def console_context(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
                          side: str, **extra: Any) -> dict[str, Any]:
    console, _, layout = CONSOLES[side]
    achievements, providers = await endorsements.endorsable(db, org_id)
    extra.setdefault("errors", {})
    extra.setdefault("values", {"subject": "", "comment_ja": "", "comment_en": ""})
    org = await db.get(Organization, org_id)
    return await console(request, db, org_id, "endorsements", achievements=achievements, providers=providers,
                         given=await endorsements.by_endorser(db, settings, org_id), layout=layout,
                         may_endorse=endorsements.may_endorse(org), **extra)


async def show(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID,
               side: str) -> Template:
    context = await console_context(request, db, settings, org_id, side)
    return page(request, "endorsements/console.html", context)


async def submit(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID, side: str,
                 data: FormData) -> Response | Template:
    values = {"subject": text_of(data, "subject"), "comment_ja": text_of(data, "comment_ja"),
              "comment_en": text_of(data, "comment_en")}
    achievement_id, issuer_org_id = parse_subject(values["subject"])
    lang = lang_of(request)
    try:
        await endorsements.endorse(db, settings, org_id, achievement_id=achievement_id,
                                   issuer_org_id=issuer_org_id, lang=lang,
                                   comments={"ja": values["comment_ja"], "en": values["comment_en"]})
    except DomainError as exc:
        context = await console_context(request, db, settings, org_id, side, values=values,
                                        errors=form_errors(exc, lang))
        return page(request, "endorsements/console.html", context, block="endorse_form",
                    status_code=form_error_status(request, exc.status_code))
    flash(request, "endorse.created")
    return redirect(request, f"{CONSOLES[side][1](org_id)}/endorsements")


async def withdraw(request: Request, db: AsyncSession, settings: Settings, org_id: uuid.UUID, side: str,
                   endorsement_id: uuid.UUID) -> Response:
    try:
        await endorsements.withdraw(db, settings, org_id, endorsement_id)
    except DomainError as exc:
        if exc.status_code != 409:  # withdrawn already (a second click): the list says so
            raise
    flash(request, "endorse.withdrawn_flash")
    return redirect(request, f"{CONSOLES[side][1](org_id)}/endorsements")


@get(f"{provider_console.BASE}/endorsements", **provider_console.MEMBER, include_in_schema=False)
async def endorsements_page(request: Request, org_id: OrgId, db_session: DbSession,
                            settings: AppSettings) -> Template:
    """The endorsements this provider gave, and the form to endorse."""
    return await show(request, db_session, settings, org_id, "provider")


@post(f"{provider_console.BASE}/endorsements", **provider_console.MEMBER, include_in_schema=False)
async def endorse_submit(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                         settings: AppSettings) -> Response | Template:
    """Sign an endorsement of the picked achievement or issuer, with the comment in ja and/or en."""
    return await submit(request, db_session, settings, org_id, "provider", data)


@post(f"{provider_console.BASE}/endorsements/{{endorsement_id:uuid}}/withdraw", **provider_console.MEMBER,
      include_in_schema=False)
async def withdraw_submit(request: Request, org_id: OrgId, endorsement_id: FromPath[uuid.UUID],
                          db_session: DbSession, settings: AppSettings) -> Response:
    """Withdraw one of our endorsements (final; verifiers then see it revoked)."""
    return await withdraw(request, db_session, settings, org_id, "provider", endorsement_id)


@get(f"{employer_console.BASE}/endorsements", **employer_console.MEMBER, include_in_schema=False)
async def employer_endorsements_page(request: Request, org_id: OrgId, db_session: DbSession,
                                     settings: AppSettings) -> Template:
    """The endorsements this employer gave, and the form to endorse (signed with its endorsement key)."""
    return await show(request, db_session, settings, org_id, "employer")


@post(f"{employer_console.BASE}/endorsements", **employer_console.MEMBER, include_in_schema=False)
async def employer_endorse_submit(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                                  settings: AppSettings) -> Response | Template:
    """The employer signs an endorsement of the picked achievement or issuer."""
    return await submit(request, db_session, settings, org_id, "employer", data)


@post(f"{employer_console.BASE}/endorsements/{{endorsement_id:uuid}}/withdraw", **employer_console.MEMBER,
      include_in_schema=False)
async def employer_withdraw_submit(request: Request, org_id: OrgId, endorsement_id: FromPath[uuid.UUID],
                                   db_session: DbSession, settings: AppSettings) -> Response:
    """The employer withdraws one of its endorsements (final)."""
    return await withdraw(request, db_session, settings, org_id, "employer", endorsement_id)


@get("/endorsements/{endorsement_id:uuid}", **access.public(), include_in_schema=False)
async def endorsement_page(request: Request, endorsement_id: FromPath[uuid.UUID], db_session: DbSession,
                           settings: AppSettings) -> Template:
    """One endorsement: who endorsed what, their trust status, and the credential verified now."""
    try:
        row = await endorsements.get_public(db_session, endorsement_id)
    except DomainError:
        return not_found_page(request)
    checked = await check(db_session, settings, row.document)
    achievement = await db_session.get(Achievement, row.achievement_id) if row.achievement_id else None
    return page(request, "endorsements/public.html", {
        "row": row, "credential": row.document, "trust": checked.trust or {},
        "status_entry": endorsements.has_status_entry(row.document),
        "verdict": verdict_of(checked.to_dict(), lang_of(request)), "achievement": achievement,
        "subject_org": await db_session.get(Organization, row.subject_org_id)})


@get("/endorsements/{endorsement_id:uuid}/credential.json", **access.public(), include_in_schema=False)
async def endorsement_json(endorsement_id: FromPath[uuid.UUID], db_session: DbSession) -> Response:
    """The signed EndorsementCredential, for any verifier."""
    row = await endorsements.get_public(db_session, endorsement_id)
    return Response(row.document, media_type="application/vc+ld+json",
                    headers={"Content-Disposition": f'inline; filename="endorsement-{row.id}.json"'})


@get("/achievements/{achievement_id:uuid}/about", **access.public(), include_in_schema=False)
async def achievement_page(request: Request, achievement_id: FromPath[uuid.UUID], db_session: DbSession,
                           settings: AppSettings) -> Template:
    """An achievement for people (its JSON-LD is at the achievement URL itself), with the endorsements in
    force of it and of its issuer."""
    try:
        achievement = await AchievementService(db_session, settings).get_public(achievement_id)
    except DomainError:
        return not_found_page(request)
    return page(request, "endorsements/achievement.html", {
        "achievement": achievement, "issuer_org": await db_session.get(Organization, achievement.org_id),
        "endorsements": await endorsements.shown_publicly(db_session, settings, achievement)})


handlers: list = [endorsements_page, endorse_submit, withdraw_submit, employer_endorsements_page,
                  employer_endorse_submit, employer_withdraw_submit, endorsement_page, endorsement_json,
                  achievement_page]
