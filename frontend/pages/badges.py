"""Pages: achievement images (served, and uploaded in the provider console), a held credential's baked
badge downloads and public page switch, and the public badge page with its preview image."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import DomainError, InvalidInput
from core.settings import Settings
from credentials import badge_images, public_badges
from credentials.achievements import AchievementService
from credentials.wallet import WalletService
from frontend.consoles import AppSettings, DbSession, OrgId
from frontend.forms import FormData, MultipartData, form_error_status, redirect
from frontend.i18n import translate
from frontend.provider_console import BASE, MEMBER, console
from frontend.rendering import lang_of, not_found_page, page
from frontend.signed_in import SIGNED_IN, me
from frontend.verification import summary_of, verdict_of

# Images are public and change only on upload; an SVG opened on its own runs nothing and loads nothing.
IMAGE_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff",
                 "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"}


@get("/achievements/{achievement_id:uuid}/image", **access.public(), include_in_schema=False)
async def achievement_image(achievement_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                            settings: NamedDependency[Settings]) -> Response:
    """The achievement's image: the provider's upload, else generated badge art (SVG)."""
    achievement = await AchievementService(db_session, settings).get_public(achievement_id)
    picture = await badge_images.picture_of(db_session, achievement)
    return Response(picture.data, media_type=picture.media_type, headers=IMAGE_HEADERS)


@get(f"{BASE}/achievements/{{achievement_id:uuid}}/image", **MEMBER, include_in_schema=False)
async def image_page(request: Request, org_id: OrgId, achievement_id: FromPath[uuid.UUID], db_session: DbSession,
                     settings: AppSettings) -> Template:
    """The achievement's image now, and the form to upload another or go back to generated art."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    uploaded = await badge_images.has_upload(db_session, achievement)
    return page(request, "badges/achievement_image.html",
                await console(request, db_session, org_id, "achievements", achievement=achievement, errors={},
                              uploaded=uploaded, saved=request.query_params.get("saved")))


@post(f"{BASE}/achievements/{{achievement_id:uuid}}/image", **MEMBER, include_in_schema=False)
async def image_upload(request: Request, org_id: OrgId, achievement_id: FromPath[uuid.UUID], data: MultipartData,
                       db_session: DbSession, settings: AppSettings) -> Response:
    """Keep an uploaded PNG or SVG (checked and cleaned by ``credentials.badge_images``), or, with
    ``remove``, go back to generated art."""
    achievement = await AchievementService(db_session, settings).get(org_id, achievement_id)
    back = f"/provider/{org_id}/achievements/{achievement.id}/image"
    if data.get("remove"):
        await badge_images.remove_image(db_session, achievement)
        return redirect(request, f"{back}?saved=removed")
    upload = data.get("image")
    try:
        content = await upload.read() if isinstance(upload, UploadFile) else b""
        await badge_images.set_image(db_session, achievement, content,
                                     upload.content_type if isinstance(upload, UploadFile) else "")
    except InvalidInput as exc:
        errors = {"image": translate(f"badges.upload.error.{exc.extra.get('code', 'type')}", lang_of(request))}
        context = await console(request, db_session, org_id, "achievements", achievement=achievement,
                                errors=errors, saved=None,
                                uploaded=await badge_images.has_upload(db_session, achievement))
        return page(request, "badges/achievement_image.html", context, block="image_form",
                    status_code=form_error_status(request, exc.status_code))
    return redirect(request, f"{back}?saved=uploaded")


@get("/wallet/credentials/{held_id:uuid}/badge", **SIGNED_IN)
async def held_badge_page(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                          settings: NamedDependency[Settings]) -> Template:
    """Baked badge downloads and the public page switch of one held credential."""
    try:
        held = await WalletService(db_session, settings).get(me(request), held_id)
    except DomainError:
        return not_found_page(request)
    public = await public_badges.public_badge_of(db_session, me(request), held.id)
    return page(request, "badges/held.html", _held_context(request, settings, held, public), block="public_form")


def _held_context(request: Request, settings: Settings, held, public, **extra) -> dict:
    url = f"{settings.base_url.rstrip('/')}/b/{public.token}" if public else None
    return {"held": held, "public": public, "public_url": url, "errors": {}, **extra}


@get("/wallet/credentials/{held_id:uuid}/badge.png", **SIGNED_IN)
async def baked_png(held_id: FromPath[uuid.UUID], request: Request, db_session: NamedDependency[AsyncSession],
                    settings: NamedDependency[Settings]) -> Response:
    """The credential baked into its badge picture as PNG (iTXt ``openbadgecredential``)."""
    return await _baked(request, db_session, settings, held_id, "png")


@get("/wallet/credentials/{held_id:uuid}/badge.svg", **SIGNED_IN)
async def baked_svg(held_id: FromPath[uuid.UUID], request: Request, db_session: NamedDependency[AsyncSession],
                    settings: NamedDependency[Settings]) -> Response:
    """The credential baked into its badge picture as SVG (``openbadges:credential``)."""
    return await _baked(request, db_session, settings, held_id, "svg")


async def _baked(request: Request, session: AsyncSession, settings: Settings, held_id: uuid.UUID,
                 kind: str) -> Response:
    baked = await public_badges.baked_file(session, settings, me(request), held_id, kind)
    return Response(baked.data, media_type=baked.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{baked.filename}"',
                             "X-Content-Type-Options": "nosniff"})


@post("/wallet/credentials/{held_id:uuid}/public", **SIGNED_IN)
async def public_switch(request: Request, held_id: FromPath[uuid.UUID], data: FormData,
                        db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Turn the public badge page on (``public=on``, optionally ``show_name=on``) or off."""
    try:
        await public_badges.set_public(db_session, settings, me(request), held_id,
                                       public=data.get("public") == "on", show_name=data.get("show_name") == "on")
    except InvalidInput as exc:
        held = await WalletService(db_session, settings).get(me(request), held_id)
        context = _held_context(request, settings, held, None)
        context["errors"] = {"public": translate(f"badges.public.error.{exc.extra.get('code', 'not_yours')}",
                                                   lang_of(request))}
        return page(request, "badges/held.html", context, block="public_form",
                    status_code=form_error_status(request, exc.status_code))
    return redirect(request, f"/wallet/credentials/{held_id}/badge")


@get("/b/{token:str}", **access.public(), include_in_schema=False)
async def public_badge(request: Request, token: FromPath[str], db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings]) -> Template:
    """A learner's public badge page: what the badge says, verified now, and the LinkedIn link."""
    try:
        view = await public_badges.public_view(db_session, settings, token)
    except DomainError:
        return not_found_page(request)
    lang = lang_of(request)
    summary = summary_of(view.held.document, lang) or {}
    verdict = verdict_of(view.checked.to_dict(), lang)
    linkedin = public_badges.linkedin_url(
        name=summary.get("name") or view.held.title, organization=summary.get("issuer_name") or view.held.issuer_name,
        issued=summary.get("valid_from"), page_url=view.page_url, credential_id=str(view.held.document.get("id") or ""))
    return page(request, "badges/public.html", {"view": view, "summary": summary, "verdict": verdict,
                                                "linkedin": linkedin})


@get("/b/{token:str}/image.png", **access.public(), include_in_schema=False)
async def public_badge_image(token: FromPath[str], db_session: NamedDependency[AsyncSession],
                             settings: NamedDependency[Settings]) -> Response:
    """The badge picture of a public page (PNG, for link previews)."""
    data = await public_badges.public_png(db_session, settings, token)
    return Response(data, media_type="image/png", headers=IMAGE_HEADERS)


handlers: list = [achievement_image, image_page, image_upload, held_badge_page, baked_png, baked_svg, public_switch,
                  public_badge, public_badge_image]
