"""Goals and progress: the target role's figure and chart, milestones, the weekly streak and its opt-out."""

from __future__ import annotations

from litestar import Request, Response, post, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
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


handlers: list = [progress_page, progress_settings]
