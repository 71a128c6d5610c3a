"""Charts drawn on the server as SVG: no JavaScript, readable without colour (patterns and text labels),
each with a title and a description for screen readers; pages also give the numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

from markupsafe import Markup, escape

_ids = count(1)

# fill and pattern per segment kind; hatched kinds differ from solid ones without colour
FILLS = {"verified": "#116329", "evidenced": "#0b5cad", "self_declared": "#9a6700",
         "met": "#116329", "partly_met": "#0b5cad", "missing": "#a40e26"}
HATCHED = {"self_declared", "partly_met"}
INK, MUTED, LINE = "#1b1f24", "#4a5563", "#d0d7de"


@dataclass(frozen=True)
class Segment:
    key: str
    label: str


@dataclass(frozen=True)
class BarRow:
    """One bar: a label, a count per segment key, out of ``total``; ``note`` is printed after the bar."""

    label: str
    values: dict[str, int]
    total: int
    note: str = ""


@dataclass(frozen=True)
class Series:
    """One line of a line chart; ``None`` points are gaps (e.g. suppressed small counts)."""

    label: str
    points: list[float | None]
    dashed: bool = False


@dataclass
class _Svg:
    width: int
    height: int
    title: str
    desc: str
    parts: list[str] = field(default_factory=list)

    def render(self, defs: str = "") -> Markup:
        uid = next(_ids)
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
                f'width="{self.width}" height="{self.height}" role="img" '
                f'aria-labelledby="chart-t{uid} chart-d{uid}" font-family="system-ui, sans-serif">'
                f'<title id="chart-t{uid}">{escape(self.title)}</title><desc id="chart-d{uid}">{escape(self.desc)}</desc>')
        return Markup(head + defs + "".join(self.parts) + "</svg>")


def _pattern_defs(prefix: str) -> str:
    out = []
    for key in HATCHED:
        out.append(f'<pattern id="{prefix}-{key}" width="6" height="6" patternUnits="userSpaceOnUse" '
                   f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
                   f'<rect width="3" height="6" fill="{FILLS[key]}"/></pattern>')
    return "<defs>" + "".join(out) + "</defs>"


def stacked_bars(rows: Sequence[BarRow], segments: Sequence[Segment], *, title: str, desc: str,
                 width: int = 360) -> Markup:
    """Horizontal bars, one per row, split into segments; the label sits above each bar (long Japanese
    names fit on a phone) and the note (e.g. "5 / 14") after it."""
    prefix = f"p{next(_ids)}"
    bar_x, bar_w, row_h = 0, width - 74, 50
    svg = _Svg(width, row_h * len(rows) + 8, title, desc)
    for i, row in enumerate(rows):
        y = i * row_h + 18
        svg.parts.append(f'<text x="0" y="{y}" font-size="15" fill="{INK}">{escape(row.label)}</text>')
        bar_y = y + 8
        svg.parts.append(f'<rect x="{bar_x}" y="{bar_y}" width="{bar_w}" height="18" fill="#fff" stroke="{MUTED}"/>')
        x = float(bar_x)
        for seg in segments:
            value = row.values.get(seg.key, 0)
            if not value or not row.total:
                continue
            w = bar_w * value / row.total
            fill = f"url(#{prefix}-{seg.key})" if seg.key in HATCHED else FILLS.get(seg.key, INK)
            svg.parts.append(f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="18" fill="{fill}" '
                             f'stroke="{FILLS.get(seg.key, INK)}"><title>{escape(seg.label)}: {value}</title></rect>')
            x += w
        svg.parts.append(f'<text x="{bar_w + 8}" y="{bar_y + 14}" font-size="14" fill="{INK}">{escape(row.note)}</text>')
    return svg.render(_pattern_defs(prefix))


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, desc: str, y_label: str = "",
               width: int = 360, height: int = 220, integers: bool = True) -> Markup:
    """Lines over ordered x labels (e.g. months); missing points leave a gap, values start at 0
    (``integers``: counts, so the axis never shows fractions)."""
    left, right, top, bottom = 36, 8, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.points if v is not None]
    peak = max(values) if values else 1.0
    step = max(1.0, _nice_step(peak)) if integers else _nice_step(peak)
    ymax = step * max(1, -(-peak // step))
    svg = _Svg(width, height, title, desc)

    def sx(i: int) -> float:
        return left + (plot_w * i / max(1, len(labels) - 1))

    def sy(v: float) -> float:
        return top + plot_h - plot_h * v / ymax

    tick = 0.0
    while tick <= ymax + 1e-9:
        y = sy(tick)
        svg.parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{LINE}"/>'
                         f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{MUTED}">'
                         f'{_fmt(tick)}</text>')
        tick += step
    every = max(1, -(-len(labels) // 5))
    for i, label in enumerate(labels):
        if (len(labels) - 1 - i) % every == 0:  # counted from the end, so the latest month is labelled
            anchor = "end" if i == len(labels) - 1 else ("start" if i == 0 else "middle")
            svg.parts.append(f'<text x="{sx(i):.1f}" y="{height - 12}" font-size="11" text-anchor="{anchor}" '
                             f'fill="{MUTED}">{escape(label)}</text>')
    if y_label:
        svg.parts.append(f'<text x="4" y="{top + 10}" font-size="11" fill="{MUTED}">{escape(y_label)}</text>')
    palette = ["#0b5cad", "#116329", "#a40e26", "#7a4d00", "#5a32a3", "#1b1f24"]
    markers = ["circle", "square", "diamond", "triangle", "circle", "square"]
    for n, line in enumerate(series):
        colour = palette[n % len(palette)]
        dash = ' stroke-dasharray="6 4"' if line.dashed or n >= len(palette) else ""
        for run in _runs(line.points):
            path = " ".join(f"{'M' if k == 0 else 'L'}{sx(i):.1f},{sy(v):.1f}" for k, (i, v) in enumerate(run))
            svg.parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for i, v in enumerate(line.points):
            if v is not None:
                svg.parts.append(_marker(markers[n % len(markers)], sx(i), sy(v), colour,
                                         f"{line.label} {labels[i]}: {_fmt(v)}"))
    return svg.render()


def _runs(points: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    runs, current = [], []
    for i, v in enumerate(points):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


def _marker(shape: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">{tip}</rect>'
    if shape == "diamond":
        return f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y:.1f} L{x:.1f},{y + 5:.1f} L{x - 5:.1f},{y:.1f} Z" fill="{colour}">{tip}</path>'
    if shape == "triangle":
        return f'<path d="M{x:.1f},{y - 5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z" fill="{colour}">{tip}</path>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{tip}</circle>'


def _nice_step(peak: float) -> float:
    raw = max(peak, 1e-9) / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 10 ** -len(str(int(1 / raw)))
    for factor in (1, 2, 2.5, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
