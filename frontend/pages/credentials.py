"""The learner's credentials: list, detail with checks in plain words, downloads (JSON, VC-JWT, QR),
import (file, paste, baked badge image), verify again, remove."""

from __future__ import annotations

import io
import json
import uuid

import segno
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import DomainError
from core.settings import Settings
from credentials import badge_images
from credentials.achievements import micro_detail
from credentials.baked import BakedError
from credentials.wallet import WalletService
from frontend import changes_note
from frontend.i18n import translate
from frontend.forms import FormData, MultipartData, form_error_status, redirect
from frontend.signed_in import SIGNED_IN, me
from frontend.pagination import paginate
from frontend.rendering import lang_of, not_found_page, page
from frontend.verification import summary_of, verdict_of
from skills import sharing
from skills.changes import what_changed
from skills.imports import import_credential
from skills.service import ProfileService


async def _held(request: Request, session: AsyncSession, settings: Settings, held_id: uuid.UUID):
    try:
        return await WalletService(session, settings).get(me(request), held_id)
    except DomainError:
        return None


@get("/wallet/credentials", **SIGNED_IN)
async def credential_list(request: Request, db_session: NamedDependency[AsyncSession],
                          settings: NamedDependency[Settings]) -> Template:
    """Every credential in the wallet, newest first."""
    held = await WalletService(db_session, settings).list_for_person(me(request))
    listed = paginate(held, request.query_params.get("page"), per_page=10, path="/wallet/credentials")
    return page(request, "credentials/list.html", {"credentials": listed}, block="credential_list")


@get("/wallet/credentials/{held_id:uuid}", **SIGNED_IN)
async def credential_detail(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                            settings: NamedDependency[Settings]) -> Template:
    """What the credential says, whether it verifies now (each check in plain words), downloads.

    Verified again on every visit: revocation or expiry since the last check must show here.
    """
    held = await _held(request, db_session, settings, held_id)
    if held is None:
        return not_found_page(request)
    held = await WalletService(db_session, settings).reverify(me(request), held.id)
    await ProfileService(db_session, settings).profile(me(request))  # the profile follows the verdict
    reusable = await sharing.reusable_link(db_session, settings, me(request), parts=[], credential_ids=[held.id])
    context = _detail_context(request, held, changes=changes_note.take(request),
                              qr_reusable=reusable[0] if reusable else None,
                              shown_image=badge_images.shown_image(held.document, settings.base_url))
    return page(request, "credentials/detail.html", context, block="credential_checks")


def _detail_context(request: Request, held, **extra) -> dict:
    lang = lang_of(request)
    return {"held": held, "summary": summary_of(held.document, lang), "verdict": verdict_of(held.verification, lang),
            "micro": micro_detail(held.document), **extra}


@post("/wallet/credentials/{held_id:uuid}/verify", **SIGNED_IN)
async def credential_reverify(request: Request, held_id: FromPath[uuid.UUID],
                              db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Template:
    """Verify again now (revocation, expiry and keys may have changed)."""
    held = await WalletService(db_session, settings).reverify(me(request), held_id)
    await ProfileService(db_session, settings).profile(me(request))  # the profile follows the new verdict
    return page(request, "credentials/detail.html", _detail_context(request, held, rechecked=True),
                block="credential_checks")


@post("/wallet/credentials/{held_id:uuid}/offer", **SIGNED_IN)
async def credential_offer(request: Request, held_id: FromPath[uuid.UUID], data: FormData,
                           db_session: NamedDependency[AsyncSession], settings: NamedDependency[Settings]) -> Response:
    """Accept (``answer=accept``) or decline a credential an untrusted issuer offered; the profile follows."""
    accept = str(data.get("answer") or "") == "accept"
    await WalletService(db_session, settings).answer_offer(me(request), held_id, accept=accept)
    return redirect(request, f"/wallet/credentials/{held_id}")


@get("/wallet/credentials/{held_id:uuid}/credential.json", **SIGNED_IN)
async def download_json(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Response:
    """The credential as a JSON-LD file."""
    held = await WalletService(db_session, settings).get(me(request), held_id)
    body = json.dumps(held.document, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/ld+json",
                    headers={"Content-Disposition": f'attachment; filename="credential-{held.id}.json"'})


@get("/wallet/credentials/{held_id:uuid}/credential.jwt", **SIGNED_IN)
async def download_jwt(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                       settings: NamedDependency[Settings]) -> Response:
    """The credential as its VC-JWT (only credentials issued or imported in that form have one)."""
    held = await WalletService(db_session, settings).get(me(request), held_id)
    if not held.jwt:
        return not_found_page(request, "credential.no_jwt")
    return Response(held.jwt, media_type="application/vc+jwt",
                    headers={"Content-Disposition": f'attachment; filename="credential-{held.id}.jwt"'})


@post("/wallet/credentials/{held_id:uuid}/qr", **SIGNED_IN)
async def make_qr(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                  settings: NamedDependency[Settings]) -> Template:
    """A QR code of a share link to this credential alone (whoever scans it can verify it): a live one
    shown again when there is one, else a new 30-day link (``skills.sharing.qr_link``)."""
    held = await WalletService(db_session, settings).get(me(request), held_id)
    label = translate("credential.qr.label", lang_of(request), title=held.title or "")
    made = await sharing.qr_link(db_session, settings, me(request), held.id, label)
    url = f"{settings.base_url.rstrip('/')}/s/{made.token}"
    context = _detail_context(request, held, qr=qr_svg(url), qr_url=url, qr_link=made.link, qr_reused=made.reused)
    return page(request, "credentials/detail.html", context, block="credential_qr")


def qr_svg(url: str) -> str:
    """An SVG QR code (dark on light, with the quiet zone) as markup to inline in the page."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, border=4, xmldecl=False, svgns=True,
                                    title="QR", dark="#000", light="#fff")
    return out.getvalue().decode("utf-8")


@post("/wallet/credentials/{held_id:uuid}/delete", **SIGNED_IN)
async def credential_delete(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                            settings: NamedDependency[Settings]) -> Response:
    """Remove a credential from the wallet (an issued credential stays valid at its issuer)."""
    await WalletService(db_session, settings).delete(me(request), held_id)
    await ProfileService(db_session, settings).profile(me(request))
    return redirect(request, "/wallet/credentials")


@get("/wallet/credentials/import", **SIGNED_IN)
async def import_page(request: Request) -> Template:
    """Import a credential: a file (JSON, VC-JWT, baked PNG/SVG badge) or pasted text."""
    return page(request, "credentials/import.html", {"errors": {}, "document": ""})


@post("/wallet/credentials/import", **SIGNED_IN)
async def import_submit(request: Request, data: MultipartData, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Response:
    """Verify and keep the credential with ``skills.imports`` (the rule of the import API); Open Badges
    2.0 images go to the OB 2.0 importer. The page it goes on to shows what the import changed."""
    upload, text = data.get("file"), str(data.get("document") or "").strip()
    uploaded = isinstance(upload, UploadFile) and bool(upload.filename)
    content = await upload.read() if uploaded else b""
    try:
        media_type = upload.content_type or "" if uploaded else ""
        imported, changes = await what_changed(ProfileService(db_session, settings), me(request), lambda: (
            import_credential(db_session, settings, me(request), data=content, media_type=media_type, text=text)))
    except (BakedError, DomainError) as exc:
        return _import_error(request, "file" if uploaded else "document", exc, text)
    to = "/wallet/profile" if imported.held is None else f"/wallet/credentials/{imported.held.id}"
    changes_note.keep(request, changes, to)  # shown once there ("what changed", as after any import)
    return redirect(request, to + ("?imported=ob2" if imported.held is None else ""))


def _import_error(request: Request, field: str, exc: BakedError | DomainError, text: str) -> Template:
    """The refusal next to the field: 422 as the import API answers (a domain error keeps its own status)."""
    lang = lang_of(request)
    if isinstance(exc, BakedError):
        message, status = translate(f"verify.error.{exc.code}", lang), 422
    else:  # unreadable, not a credential, already imported, too large
        message, status = translate("import.error.unreadable", lang, detail=exc.detail), exc.status_code
    return page(request, "credentials/import.html", {"errors": {field: message}, "document": text},
                block="import_form", status_code=form_error_status(request, status))


handlers = [credential_list, import_page, import_submit, credential_detail, credential_reverify, download_json,
            download_jwt, make_qr, credential_delete, credential_offer]
