"""Skill trends: supply (opted-in people) and demand (job postings) per DSS skill item or role, by month,
charted on the server; cells of fewer than 10 people are suppressed by ``matching.trends``."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from accounts import access
from core.errors import InvalidInput
from frontend.charts import Series, line_chart
from frontend.i18n import translate
from frontend.pagination import paginate
from frontend.rendering import lang_of, page
from matching import service as matching
from matching.search import holder_of
from matching.trends import ALL, THRESHOLD
from skills.prefectures import PREFECTURES
from taxonomies.dss import LEVELS, get_taxonomy


def _series(cells: list, item: str, prefecture: str, months: list[str]) -> dict[str, list[int | None]]:
    """Counts by side and month for one item; absent cells are 0, suppressed ones None."""
    found: dict[tuple[str, str], Any] = {}
    for c in cells:
        if c.id == item and c.prefecture == prefecture:
            found[(c.side, c.month)] = None if c.suppressed else c.count
    return {side: [found.get((side, m), 0) for m in months] for side in ("supply", "demand")}


def _ranking(cells: list, prefecture: str) -> list[dict[str, Any]]:
    """Items by demand over the window (then supply); suppressed supply counts as unknown."""
    totals: dict[str, dict[str, Any]] = defaultdict(lambda: {"supply": 0, "demand": 0, "suppressed": False})
    for c in cells:
        if c.prefecture != prefecture:
            continue
        row = totals[c.id]
        if c.suppressed:
            row["suppressed"] = True
        else:
            row[c.side] += c.count or 0
    return sorted(({"id": k, **v} for k, v in totals.items()), key=lambda r: (-r["demand"], -r["supply"], r["id"]))


def _months(cells: list, window: tuple[int, int]) -> list[str]:
    first, last = window
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def _name(kind: str, identifier: str, lang: str) -> str:
    tx = get_taxonomy()
    try:
        concept = tx.skill_item(identifier) if kind == "skill" else tx.role(identifier)
    except KeyError:
        return identifier
    return getattr(concept, f"name_{lang}") or concept.name_ja


@get("/trends", **access.public(), include_in_schema=False)
async def trends_page(request: Request, db_session: NamedDependency[AsyncSession], kind: FromQuery[str] = "skill",
                      item: FromQuery[str] = "", prefecture: FromQuery[str] = "", min_level: FromQuery[str] = "d") -> Template:
    """Supply and demand over the last 12 months: a chart for one item, a ranking of all."""
    lang = lang_of(request)
    kind = kind if kind in ("skill", "role") else "skill"
    min_level = min_level if min_level in LEVELS else "d"
    prefecture = prefecture if prefecture in PREFECTURES else ""
    window = matching.trend_window(None, None)
    try:
        cells = await matching.trends(db_session, holder_of(request.app.state), kind=kind, min_level=min_level,
                                      prefecture=prefecture or None)
    except InvalidInput:
        cells = []
    area = prefecture or ALL
    ranking = _ranking(cells, area)
    for row in ranking:
        row["name"] = _name(kind, row["id"], lang)
    chosen = item if item else (ranking[0]["id"] if ranking else "")
    months = _months(cells, window)
    series = _series(cells, chosen, area, months) if chosen else None
    chart = None
    if series:
        chart = line_chart(months, [Series(translate("trends.supply", lang), series["supply"]),
                                    Series(translate("trends.demand", lang), series["demand"], dashed=True)],
                           title=translate("trends.chart.title", lang, name=_name(kind, chosen, lang)),
                           desc=translate("trends.chart.desc", lang, threshold=THRESHOLD))
    tx = get_taxonomy()
    options = tx.skill_items("2.0") if kind == "skill" else tx.roles()
    params = {"kind": kind, "item": item, "prefecture": prefecture, "min_level": min_level}
    return page(request, "public/trends.html", {
        "kind": kind, "item": chosen, "item_name": _name(kind, chosen, lang) if chosen else "", "prefecture": prefecture,
        "min_level": min_level, "levels": LEVELS, "prefectures": PREFECTURES, "options": options, "chart": chart,
        "rows": list(zip(months, series["supply"], series["demand"])) if series else [],
        "ranking": paginate(ranking, request.query_params.get("page"), per_page=15, path="/trends", params=params),
        "threshold": THRESHOLD,
    }, block="trend_results")


handlers = [trends_page]
