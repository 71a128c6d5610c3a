"""Skill trends: supply (opted-in people) and demand (job postings) per DSS skill item or role, by month,
charted on the server; cells of fewer than 10 people are suppressed by ``matching.trends``."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from frontend.charts import Series, line_chart
from frontend.i18n import translate
from frontend.pagination import paginate
from frontend.rendering import lang_of, page
from matching.contact.outcomes import statistics as outcome_statistics
from matching.search import holder_of
from matching.trend_report import TrendReport, trend_report
from matching.trends import THRESHOLD
from skills.prefectures import PREFECTURES
from taxonomies.dss import LEVELS, get_taxonomy


def _name(kind: str, identifier: str, lang: str) -> str:
    tx = get_taxonomy()
    try:
        concept = tx.skill_item(identifier) if kind == "skill" else tx.role(identifier)
    except KeyError:
        return identifier
    return getattr(concept, f"name_{lang}") or concept.name_ja


def trend_chart(report: TrendReport, name: str, lang: str):
    if not report.series:
        return None
    return line_chart(report.months, [
        Series(translate("trends.supply", lang), report.series["supply"]),
        Series(translate("trends.demand", lang), report.series["demand"], dashed=True)],
        title=translate("trends.chart.title", lang, name=name), desc=translate("trends.chart.desc", lang, threshold=THRESHOLD))


@get("/trends", **access.public(), include_in_schema=False)
async def trends_page(request: Request, db_session: NamedDependency[AsyncSession], kind: FromQuery[str] = "skill",
                      item: FromQuery[str] = "", prefecture: FromQuery[str] = "", min_level: FromQuery[str] = "d") -> Template:
    """Supply and demand over the last 12 months: a chart for one item, a ranking of all."""
    lang, tx = lang_of(request), get_taxonomy()
    params = {"kind": kind if kind in ("skill", "role") else "skill", "item": item,
              "prefecture": prefecture if prefecture in PREFECTURES else "",
              "min_level": min_level if min_level in LEVELS else "d"}
    report = await trend_report(db_session, holder_of(request.app.state), **params)
    for row in report.ranking:
        row["name"] = _name(params["kind"], row["id"], lang)
    name = _name(params["kind"], report.item, lang) if report.item else ""
    return page(request, "public/trends.html", {
        **params, "item": report.item, "item_name": name, "levels": LEVELS, "prefectures": PREFECTURES,
        "options": tx.skill_items("2.0") if params["kind"] == "skill" else tx.roles(),
        "chart": trend_chart(report, name, lang), "threshold": THRESHOLD,
        "rows": list(zip(report.months, report.series["supply"], report.series["demand"])) if report.series else [],
        "ranking": paginate(report.ranking, request.query_params.get("page"), per_page=15, path="/trends", params=params),
        "outcomes": await outcome_statistics(db_session),
    }, block="trend_results")


handlers = [trends_page]
