"""The skill-profile chart the wallet and a share link both draw: held DSS items by evidence status."""

from __future__ import annotations

from frontend.charts import BarRow, Segment, stacked_bars
from frontend.i18n import translate
from skills.profile import STATUSES


def profile_chart(categories: list, lang: str):
    """Bars per DSS category: held items by status out of the category's items."""
    segments = [Segment(s, translate(f"evidence.{s}", lang)) for s in STATUSES]
    rows = [BarRow(getattr(c, f"name_{lang}") or c.name_ja, c.by_status, c.items, f"{c.held} / {c.items}")
            for c in categories]
    return stacked_bars(rows, segments, title=translate("wallet.chart.title", lang),
                        desc=translate("wallet.chart.desc", lang))
