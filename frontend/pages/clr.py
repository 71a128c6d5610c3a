"""CLR 2.0 transcripts in the consoles: the provider issues one to a learner (JSON-LD or VC-JWT), lists
the ones it issued and revokes one; the learner sees each CLR in the wallet with its achievements, their
associations and every embedded credential's verdict (the same domain functions as the API)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError, NotFound
from core.settings import Settings
from credentials.clr import service, store
from credentials.models import HeldCredential
from credentials.wallet import WalletService
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.forms import FormData, errors_by_field, form_error_status, redirect, text_of
from frontend.provider_console import BASE, MEMBER, base_of, console
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me

PER_PAGE = 50


async def _console(request: Request, db: AsyncSession, org_id: uuid.UUID, values: dict[str, Any],
                   errors: dict[str, str], notice: str | None = None) -> dict[str, Any]:
    rows, total = await store.issued(db, org_id, limit=PER_PAGE)
    return await console(request, db, org_id, "clr", transcripts=rows, total=total, values=values,
                         errors=errors, notice=notice)


@get(f"{BASE}/clr", **MEMBER, include_in_schema=False)
async def clr_console(request: Request, org_id: OrgId, db_session: DbSession) -> Template:
    """The transcripts this organization issued, and the form for a new one."""
    notice = request.query_params.get("done")
    context = await _console(request, db_session, org_id, {"format": "ldp"}, {},
                             notice if notice in ("issued", "revoked") else None)
    return page(request, "clr/console.html", context)


@post(f"{BASE}/clr", **MEMBER, include_in_schema=False)
async def clr_issue(request: Request, org_id: OrgId, data: FormData, db_session: DbSession,
                    settings: AppSettings) -> Response:
    """Issue a transcript; errors show next to their fields."""
    fmt = "jwt" if data.get("format") == "jwt" else "ldp"
    try:
        await service.issue_transcript(db_session, settings, org_id, text_of(data, "recipient_email"),
                                       lang_of(request), fmt)
    except DomainError as exc:
        values = {"recipient_email": text_of(data, "recipient_email"), "format": fmt}
        errors = errors_by_field(exc, lang_of(request), "clr")
        context = await _console(request, db_session, org_id, values, errors)
        return page(request, "clr/console.html", context, status_code=form_error_status(request, 422))
    return redirect(request, f"{base_of(org_id)}/clr?done=issued")


@post(f"{BASE}/clr/{{transcript_id:uuid}}/revoke", **MEMBER, include_in_schema=False)
async def clr_revoke(request: Request, org_id: OrgId, transcript_id: FromPath[uuid.UUID], data: FormData,
                     db_session: DbSession, settings: AppSettings) -> Response:
    """Revoke one transcript (final)."""
    try:
        await store.revoke(db_session, settings, org_id, transcript_id, text_of(data, "reason"))
    except NotFound:
        raise  # another organization's transcript or none: the error page, not the form
    except DomainError as exc:
        context = await _console(request, db_session, org_id, {"format": "ldp"},
                                 errors_by_field(exc, lang_of(request), "clr", default_field="reason"))
        return page(request, "clr/console.html", context, status_code=form_error_status(request, 422))
    return redirect(request, f"{base_of(org_id)}/clr?done=revoked")


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):  # a language map
        return str(value.get(lang) or next(iter(value.values()), ""))
    return str(value or "")


def transcript_view(held: HeldCredential, lang: str) -> dict[str, Any]:
    """What the wallet shows of a held CLR: its achievements (with credits), the associations between
    them by name, and each embedded credential's verdict as verified when it was last checked."""
    subject = held.document.get("credentialSubject") or {}
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievements = subject.get("achievement") or []
    achievements = achievements if isinstance(achievements, list) else [achievements]
    names = {a.get("id"): _text(a.get("name"), lang) for a in achievements if isinstance(a, dict)}
    associations = subject.get("association") or []
    associations = associations if isinstance(associations, list) else [associations]
    checks = [c for c in (held.verification or {}).get("checks", []) if c.get("check") == "embedded"]
    embedded = []
    for i, credential in enumerate(service.embedded_credentials(held.document)):
        inner = (credential.get("credentialSubject") or {}) if isinstance(credential, dict) else {}
        achievement = inner.get("achievement") if isinstance(inner, dict) else None
        verdict = next((c for c in checks if c.get("path", "").endswith(f"[{i}]")), None)
        embedded.append({"name": _text((achievement or {}).get("name") or credential.get("name"), lang),
                         "ok": bool(verdict and verdict["ok"]),
                         "message": (verdict or {}).get("message_ja" if lang == "ja" else "message", "")})
    return {"held": held, "name": _text(held.document.get("name"), lang),
            "achievements": [{"name": names.get(a.get("id"), ""), "credits": a.get("creditsAvailable"),
                              "type": a.get("achievementType")} for a in achievements if isinstance(a, dict)],
            "associations": [{"type": a.get("associationType"),
                              "source": names.get(a.get("sourceId"), a.get("sourceId")),
                              "target": names.get(a.get("targetId"), a.get("targetId"))}
                             for a in associations if isinstance(a, dict)],
            "embedded": embedded}


async def _held_clrs(db: AsyncSession, settings: Settings, person_id: uuid.UUID) -> list[HeldCredential]:
    held = await WalletService(db, settings).list_for_person(person_id)
    return [h for h in held if service.is_clr(h.document)]


@get("/wallet/clr", **SIGNED_IN)
async def wallet_clrs(request: Request, db_session: DbSession, settings: AppSettings) -> Template:
    """The CLR transcripts in my wallet, each with its achievements and its embedded credentials' verdicts."""
    lang = lang_of(request)
    held = await _held_clrs(db_session, settings, me(request))
    return page(request, "clr/wallet.html", {"transcripts": [transcript_view(h, lang) for h in held]})


handlers: list = [clr_console, clr_issue, clr_revoke, wallet_clrs]
