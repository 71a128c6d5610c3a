"""Skill trends: supply (discoverable profiles) and demand (published job postings) per DSS skill item
or role, by prefecture and month, with small cells suppressed.

* Supply of an item: people holding it at ``min_level`` or above; of a role: people whose best-fitting
  role it is (each person counted once). A person counts in the month their profile (or consent)
  last changed and in their prefecture if they consented to show it, else ``unknown``.
* Demand: published (or since closed) postings naming the item at ``min_level`` or above, or filed
  under the role, in the month they were published and the prefecture of the posting.
* Suppression (supply only; demand counts postings, not people): a cell of 1-9 people is published
  as ``null``. Within each (item, month) the prefecture cells add up to the national cell, so if the
  suppressed cells together come to 1-9 (one suppressed cell could be recovered by subtraction), the
  smallest published cells are suppressed too until they reach 10; a national cell under 10 is
  suppressed as well. Zero cells are left out of the output (absent = 0).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np

from core.errors import InvalidInput
from matching.index import CandidateIndex
from matching.models import JobPosting
from taxonomies.dss import get_taxonomy, level_rank

THRESHOLD = 10
ALL = "ALL"
UNKNOWN = "unknown"
KINDS = ("skill", "role")

Counts = dict[tuple[str, str, int], int]  # (item or role id, prefecture, month) -> count


@dataclass(frozen=True)
class Cell:
    side: str  # supply | demand
    kind: str  # skill | role
    id: str
    prefecture: str
    month: str  # YYYY-MM
    count: int | None  # None when suppressed
    suppressed: bool


def month_label(month: int) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def parse_month(text: str, field: str) -> int:
    try:
        year, month = (int(part) for part in text.split("-"))
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        raise InvalidInput("use YYYY-MM", field=field) from None
    return year * 12 + month - 1


def supply_counts(index: CandidateIndex, kind: str, version: str, min_level: str,
                  months: tuple[int, int]) -> Counts:
    """People per (id, prefecture, month) from the index arrays (bincount per item)."""
    n, (first, last) = index.size, months
    span = last - first + 1
    in_range = index.alive[:n] & (index.month[:n] >= first) & (index.month[:n] <= last)
    group = index.prefecture[:n].astype(np.int64) * span + (index.month[:n] - first)
    cells = len(index.prefectures) * span
    counts: Counts = {}

    def add(identifier: str, selected: np.ndarray) -> None:
        totals = np.bincount(group[selected], minlength=cells)
        for key in np.flatnonzero(totals):
            pref, month = divmod(int(key), span)
            counts[(identifier, index.prefectures[pref] or UNKNOWN, first + month)] = int(totals[key])

    if kind == "skill":
        for item in get_taxonomy().skill_items(version):
            position = index.positions.get(item.id)
            if position is not None:
                add(item.id, in_range & (index.codes[position, :n] > 4 * level_rank(min_level)))
    else:
        for r, role in enumerate(index.roles):
            add(role.id, in_range & (index.best_role[:n] == r))
    return counts


def demand_counts(postings: Iterable[JobPosting], kind: str, min_level: str,
                  months: tuple[int, int]) -> Counts:
    """Postings per (id, prefecture, month of publication)."""
    counts: Counts = defaultdict(int)
    for posting in postings:
        if posting.published_at is None or posting.status == "draft":
            continue
        month = posting.published_at.year * 12 + posting.published_at.month - 1
        if not months[0] <= month <= months[1]:
            continue
        prefecture = posting.prefecture or UNKNOWN
        if kind == "role":
            if posting.role_id:
                counts[(posting.role_id, prefecture, month)] += 1
        else:
            for req in posting.requirements:
                if level_rank(req["level"]) >= level_rank(min_level):
                    counts[(req["skill_id"], prefecture, month)] += 1
    return dict(counts)


def suppressed_group(parts: dict[str, int]) -> tuple[dict[str, int | None], int | None]:
    """One (id, month) group: prefecture counts and the national count after suppression."""
    national = sum(parts.values())
    if national < THRESHOLD:
        return {p: None for p in parts}, None
    hidden = {p for p, c in parts.items() if 0 < c < THRESHOLD}
    shown = sorted((c, p) for p, c in parts.items() if p not in hidden and c > 0)
    while hidden and sum(parts[p] for p in hidden) < THRESHOLD and shown:
        hidden.add(shown.pop(0)[1])
    return {p: (None if p in hidden else c) for p, c in parts.items()}, national


def cells_of(side: str, kind: str, counts: Counts, suppress: bool) -> list[Cell]:
    groups: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    for (identifier, prefecture, month), count in counts.items():
        groups[(identifier, month)][prefecture] = count
    cells = []
    for (identifier, month), parts in sorted(groups.items()):
        shown, national = suppressed_group(parts) if suppress else (dict(parts), sum(parts.values()))
        label = month_label(month)
        cells.append(Cell(side, kind, identifier, ALL, label, national, national is None))
        for prefecture in sorted(parts):
            count = shown[prefecture]
            cells.append(Cell(side, kind, identifier, prefecture, label, count, count is None))
    return cells


def trend_cells(index: CandidateIndex, postings: Iterable[JobPosting], *, kind: str, version: str,
                min_level: str, months: tuple[int, int], ids: set[str] | None = None,
                prefecture: str | None = None) -> list[Cell]:
    """Supply and demand cells after suppression, filtered to ``ids`` and ``prefecture`` (plus ALL)."""
    cells = (cells_of("supply", kind, supply_counts(index, kind, version, min_level, months), True)
             + cells_of("demand", kind, demand_counts(postings, kind, min_level, months), False))
    return [c for c in cells if (ids is None or c.id in ids)
            and (prefecture is None or c.prefecture in (prefecture, ALL))]


CSV_FIELDS = ("side", "kind", "id", "prefecture", "month", "count", "suppressed")


def to_csv(cells: list[Cell]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for cell in cells:
        row = asdict(cell)
        row["count"] = "" if cell.count is None else cell.count
        row["suppressed"] = "true" if cell.suppressed else "false"
        writer.writerow(row)
    return out.getvalue()
