"""The skill-trends report the ``/trends`` page shows: supply (opted-in people) and demand (job postings)
by month for one DSS skill item or role, and a ranking of every item over the window. Cells under the
threshold stay suppressed (``matching.trends``): a suppressed supply count is unknown, never zero."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import InvalidInput
from matching import service
from matching.search import IndexHolder
from matching.trends import ALL

SIDES = ("supply", "demand")


@dataclass
class TrendReport:
    """Months of the window, the ranking of items (by demand, then supply), the chosen item and its series."""

    months: list[str]
    ranking: list[dict[str, Any]]
    item: str
    series: dict[str, list[int | None]] | None


def month_labels(window: tuple[int, int]) -> list[str]:
    first, last = window
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def series_of(cells: list, item: str, area: str, months: list[str]) -> dict[str, list[int | None]]:
    """Counts by side and month for one item; absent cells are 0, suppressed ones None."""
    found = {(c.side, c.month): None if c.suppressed else c.count
             for c in cells if c.id == item and c.prefecture == area}
    return {side: [found.get((side, m), 0) for m in months] for side in SIDES}


def ranking_of(cells: list, area: str) -> list[dict[str, Any]]:
    """Items by demand over the window (then supply); suppressed supply counts as unknown."""
    totals: dict[str, dict[str, Any]] = defaultdict(lambda: {"supply": 0, "demand": 0, "suppressed": False})
    for c in cells:
        if c.prefecture != area:
            continue
        row = totals[c.id]
        if c.suppressed:
            row["suppressed"] = True
        else:
            row[c.side] += c.count or 0
    return sorted(({"id": k, **v} for k, v in totals.items()), key=lambda r: (-r["demand"], -r["supply"], r["id"]))


async def trend_report(session: AsyncSession, holder: IndexHolder, *, kind: str, item: str = "",
                       prefecture: str = "", min_level: str = "d") -> TrendReport:
    """The last 12 months for ``item`` (else the most demanded one) in ``prefecture`` (else all of Japan)."""
    months = month_labels(service.trend_window(None, None))
    try:
        cells = await service.trends(session, holder, kind=kind, min_level=min_level, prefecture=prefecture or None)
    except InvalidInput:
        cells = []
    area = prefecture or ALL
    ranking = ranking_of(cells, area)
    chosen = item or (ranking[0]["id"] if ranking else "")
    return TrendReport(months, ranking, chosen, series_of(cells, chosen, area, months) if chosen else None)
