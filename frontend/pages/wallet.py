"""The learner's wallet home (profile chart), skill profile, target role and gap, consent settings,
data export and account deletion."""

from __future__ import annotations

import json
import uuid
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts.access import principal_of
from core.errors import Conflict, InvalidInput
from core.settings import Settings
from credentials.wallet import WalletService
from frontend import changes_note
from frontend.account import delete_everything, export_everything
from frontend.forms import FormData, form_error_status, redirect
from frontend.i18n import translate
from frontend.learning import learning_path_for
from frontend.pagination import paginate
from frontend.profile_chart import profile_chart
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me
from skills import consent
from skills.consent import EMPLOYER_PARTS
from skills.prefectures import PREFECTURES
from skills.profile import STATUSES
from skills.service import ProfileService
from taxonomies.dss import get_taxonomy

HOME_CREDENTIALS = 5  # the wallet home lists the newest few; /wallet/credentials lists them all


@get("/wallet", **SIGNED_IN)
async def wallet_home(request: Request, db_session: NamedDependency[AsyncSession],
                      settings: NamedDependency[Settings]) -> Template:
    """Wallet home: the skill profile by DSS category (chart and table), credentials, target role."""
    person, lang = me(request), lang_of(request)
    learner = await consent.learner_settings(db_session, person)
    view = await ProfileService(db_session, settings).overview(person, learner.target_role)
    newest, held_count = await WalletService(db_session, settings).newest(person, HOME_CREDENTIALS)
    counts = {s: sum(1 for i in view.profile.items.values() if i.status == s) for s in STATUSES}
    return page(request, "wallet/home.html", {
        "profile": view.profile, "updated_at": view.updated_at, "counts": counts, "categories": view.categories,
        "chart": profile_chart(view.categories, lang), "credentials": newest, "credential_count": held_count,
        "learner": learner, "gap": view.gap, "role": get_taxonomy().role(learner.target_role) if view.gap else None,
    })


@get("/wallet/profile", **SIGNED_IN)
async def profile_page(request: Request, db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings], status: FromQuery[str | None] = None) -> Template:
    """Every skill item of the profile with its level, how it is backed, and the evidence."""
    profile, updated_at = await ProfileService(db_session, settings).profile(me(request))
    tx = get_taxonomy()
    order = {s.id: i for i, s in enumerate(tx.skill_items("2.0"))}
    items = sorted((i for i in profile.items.values() if status in (None, "", i.status)),
                   key=lambda i: order.get(i.skill_id, len(order)))
    rows = paginate([(tx.skill_item(i.skill_id), i) for i in items if i.skill_id in order or _known(tx, i.skill_id)],
                    request.query_params.get("page"), per_page=20, path="/wallet/profile",
                    params={"status": status})
    return page(request, "wallet/profile.html", {"rows": rows, "status": status or "", "updated_at": updated_at,
                                                 "statuses": STATUSES, "changes": changes_note.take(request)},
                block="profile_items")


def _known(tx, skill_id: str) -> bool:
    try:
        tx.skill_item(skill_id)
        return True
    except KeyError:
        return False


@get("/wallet/gap", **SIGNED_IN)
async def gap_page(request: Request, db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings],
                   role: FromQuery[str | None] = None) -> Template:
    """Choose a target role; see what is met, partly met or missing, and a learning path to close it."""
    person = me(request)
    learner = await consent.learner_settings(db_session, person)
    return await _gap_view(request, db_session, settings, person, role or learner.target_role, {})


async def _gap_view(request: Request, session: AsyncSession, settings: Settings, person: uuid.UUID,
                    role_id: str | None, errors: dict[str, str]) -> Template:
    tx = get_taxonomy()
    lang = lang_of(request)
    role = next((r for r in tx.roles() if r.id == role_id), None)
    gap = await ProfileService(session, settings).gap(person, role.id) if role else None
    rows = None
    path = None
    if gap is not None:
        rows = paginate(gap.items, request.query_params.get("page"), per_page=15, path="/wallet/gap",
                        params={"role": role.id})
        path = await learning_path_for(session, settings, person, role.id, lang)
    person_types = [(pt, [tx.role(r) for r in pt.role_ids]) for pt in tx.person_types("1.2")]
    extensions = [r for r in tx.roles() if r.extension]
    return page(request, "wallet/gap.html", {
        "role": role, "gap": gap, "rows": rows, "path": path, "person_types": person_types,
        "extensions": extensions, "errors": errors, "overlay": tx.overlay,
    }, block="gap_rows")


@post("/wallet/gap", **SIGNED_IN)
async def gap_choose(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                     settings: NamedDependency[Settings]) -> Response:
    """Keep the chosen role as the target role (the profile and employer search use it)."""
    role_id = str(data.get("role") or "") or None
    try:
        await consent.update_learner_settings(db_session, me(request), {"target_role": role_id})
    except InvalidInput:
        errors = {"role": translate("gap.error.role", lang_of(request))}
        return await _gap_view(request, db_session, settings, me(request), None, errors)
    return redirect(request, f"/wallet/gap?role={role_id}" if role_id else "/wallet/gap")


def _settings_context(learner, saved: bool = False, errors: dict | None = None) -> dict[str, Any]:
    return {"learner": learner, "parts": EMPLOYER_PARTS, "prefectures": PREFECTURES, "saved": saved,
            "errors": errors or {}}


@get("/wallet/settings", **SIGNED_IN)
async def settings_page(request: Request, db_session: NamedDependency[AsyncSession]) -> Template:
    """Employer search opt-in (off by default), what employers may see, prefecture."""
    learner = await consent.learner_settings(db_session, me(request))
    return page(request, "wallet/settings.html", _settings_context(learner))


@post("/wallet/settings", **SIGNED_IN)
async def settings_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Template:
    """Save consent; the form shows what was saved (or the error next to its field)."""
    parts = data.get("employer_parts") or []
    parts = parts if isinstance(parts, list) else [parts]
    changes = {"discoverable": data.get("discoverable") == "on", "employer_parts": [str(p) for p in parts],
               "prefecture": str(data.get("prefecture") or "") or None}
    try:
        learner = await consent.update_learner_settings(db_session, me(request), changes)
        context = _settings_context(learner, saved=True)
    except InvalidInput as exc:
        learner = await consent.learner_settings(db_session, me(request))
        context = _settings_context(learner, errors={exc.field or "form": translate("settings.error", lang_of(request))})
    return page(request, "wallet/settings.html", context, block="settings_form")


@get("/wallet/export", **SIGNED_IN)
async def export_page(request: Request) -> Template:
    """What the export holds, and the download button."""
    return page(request, "wallet/export.html", {})


@get("/wallet/export.json", **SIGNED_IN)
async def export_download(request: Request, db_session: NamedDependency[AsyncSession],
                          settings: NamedDependency[Settings]) -> Response:
    """Everything skillpass holds on me: account, wallet credentials, skills data (one JSON file)."""
    data = await export_everything(db_session, settings, me(request))
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, media_type="application/json",
                    headers={"Content-Disposition": 'attachment; filename="skillpass-export.json"'})


@get("/wallet/delete", **SIGNED_IN)
async def delete_page(request: Request) -> Template:
    """Delete my account: what goes, and a confirmation."""
    return page(request, "wallet/delete.html", {"errors": {}})


@post("/wallet/delete", **SIGNED_IN)
async def delete_submit(request: Request, data: FormData, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Response:
    """Delete the account once the person typed their email address to confirm."""
    principal = principal_of(request)
    if str(data.get("confirm_email", "")).strip().lower() != (principal.email or "").lower():
        errors = {"confirm_email": translate("delete.error.confirm", lang_of(request))}
        status = form_error_status(request, 400)
        return page(request, "wallet/delete.html", {"errors": errors}, block="delete_form", status_code=status)
    try:
        await delete_everything(db_session, settings, me(request))
    except Conflict:
        errors = {"confirm_email": translate("delete.error.sole_admin", lang_of(request))}
        status = form_error_status(request, 409)
        return page(request, "wallet/delete.html", {"errors": errors}, block="delete_form", status_code=status)
    request.clear_session()
    return redirect(request, "/?deleted=1")


handlers = [wallet_home, profile_page, gap_page, gap_choose, settings_page, settings_submit, export_page,
            export_download, delete_page, delete_submit]
