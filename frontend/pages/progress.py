"""Goals and progress: the target role's figure and chart, milestones, the weekly streak and its opt-out;
and the printable certificate (PDF) of each held credential."""

from __future__ import annotations

import uuid

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from credentials.wallet import WalletService
from frontend.certificate import certificate_pdf
from frontend.charts import Series, line_chart
from frontend.forms import FormData, redirect
from frontend.i18n import fmt_date, translate
from frontend.rendering import lang_of, page
from frontend.signed_in import SIGNED_IN, me
from skills import progress


def _chart(view: progress.ProgressView, lang: str):
    if view.role is None or len(view.history) < 2:
        return None
    labels = [fmt_date(day, lang) for day, _ in view.history]
    name = getattr(view.role, f"name_{lang}") or view.role.name_ja
    return line_chart(labels, [Series(translate("progress.chart.series", lang), [p for _, p in view.history])],
                      title=translate("progress.chart.title", lang, role=name),
                      desc=translate("progress.chart.desc", lang, role=name), y_label="%")


@get("/wallet/progress", **SIGNED_IN)
async def progress_page(request: Request, db_session: NamedDependency[AsyncSession],
                        settings: NamedDependency[Settings]) -> Template:
    """The goal's progress figure and its history; milestones and the streak unless hidden."""
    view = await progress.progress_view(db_session, settings, me(request))
    return page(request, "progress/index.html", {"view": view, "chart": _chart(view, lang_of(request))})


@post("/wallet/progress/settings", **SIGNED_IN)
async def progress_settings(request: Request, data: FormData, db_session: NamedDependency[AsyncSession]) -> Response:
    """Show or hide the streak and milestones."""
    await progress.set_show_motivation(db_session, me(request), data.get("show_motivation") == "on")
    return redirect(request, "/wallet/progress")


@get("/wallet/certificates", **SIGNED_IN)
async def certificates_page(request: Request, db_session: NamedDependency[AsyncSession],
                            settings: NamedDependency[Settings]) -> Template:
    """My credentials, each with a button for its printable certificate."""
    held = await WalletService(db_session, settings).list_for_person(me(request))
    return page(request, "progress/certificates.html", {"held": held})


@post("/wallet/certificates/{held_id:uuid}", status_code=200, **SIGNED_IN)
async def certificate_download(request: Request, held_id: FromPath[uuid.UUID], db_session: NamedDependency[AsyncSession],
                               settings: NamedDependency[Settings]) -> Response:
    """The certificate as PDF (its QR code: a new one-year share link of this credential alone)."""
    pdf = await certificate_pdf(db_session, settings, me(request), held_id, lang_of(request))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="certificate-{held_id}.pdf"', "Cache-Control": "no-store"})


handlers: list = [progress_page, progress_settings, certificates_page, certificate_download]
