"""Generated badge art: a clean SVG badge from an achievement's name, level and DSS category.

The same input always gives the same bytes (no randomness, no clock), so the image URL can be cached
and compared. Both names are drawn (Japanese above English), wrapped by display width (a full-width
character counts twice a narrow one) and shrunk, then cut with an ellipsis, so a long Japanese name
still fits the disc. Every text is XML-escaped; the SVG has a ``<title>`` and ``<desc>`` for screen
readers and nothing active (no script, no links, no external references).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

SIZE = 400
FONT = "'Noto Sans JP','Hiragino Sans','Hiragino Kaku Gothic ProN','Yu Gothic',Meiryo,system-ui,sans-serif"
# One palette per DSS category code (1..5), dark enough for white text at WCAG AA contrast.
PALETTES = {
    "1": ("#0b5cad", "#083f78"),  # Business Transformation
    "2": ("#116329", "#0a4019"),  # Data Preparation & Utilization
    "3": ("#6f42c1", "#4b2a87"),  # Technology
    "4": ("#a4262c", "#731a1f"),  # Security
    "5": ("#8a5300", "#5c3700"),  # Personal Skill
}
NEUTRAL = ("#3d4752", "#262d34")
NO_LINE_START = set("、。，．,.)）」』】〕》〉ー・：；:;!?！？々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
ELLIPSIS = "…"


@dataclass(frozen=True)
class BadgeText:
    """What the art shows: names in both languages, the attested level (``a`` highest, or None) and the
    DSS category (code and names, or None for an achievement aligned to nothing)."""

    name_ja: str
    name_en: str
    level: str | None = None
    category_code: str | None = None
    category_ja: str = ""
    category_en: str = ""


def char_width(char: str) -> float:
    """Display width in em: full-width and wide characters 1, the rest about half."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.56


def text_width(text: str) -> float:
    return sum(char_width(c) for c in text)


def wrap(text: str, max_em: float) -> list[str]:
    """Lines of at most ``max_em`` display width: Latin text breaks at spaces (a too-long word is cut),
    Japanese between any two characters, never putting closing punctuation or small kana first."""
    lines: list[str] = []
    line = ""
    for token in _tokens(" ".join(text.split())):
        candidate = (line + token) if line else token.lstrip()
        if text_width(candidate) <= max_em or not line.strip():
            line = candidate
            while text_width(line) > max_em:  # a single token wider than the line: cut it
                cut = _fit(line, max_em)
                lines.append(cut)
                line = line[len(cut):]
            continue
        if token.strip() and token[0] in NO_LINE_START:
            line, token = line + token[0], token[1:]
        lines.append(line.rstrip())
        line = token.lstrip()
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words (with the space before them) for Latin runs, single characters for wide ones."""
    tokens: list[str] = []
    for char in text:
        wide = char_width(char) == 1.0 or char in NO_LINE_START
        if wide or char == " " or not tokens or tokens[-1].endswith(tuple(NO_LINE_START)) \
                or char_width(tokens[-1][-1]) == 1.0:
            tokens.append(char)
        else:
            tokens[-1] += char
    return tokens


def _fit(text: str, max_em: float) -> str:
    out = ""
    for char in text:
        if text_width(out + char) > max_em:
            break
        out += char
    return out or text[:1]


def fit_lines(text: str, *, width: float, sizes: tuple[int, ...], max_lines: int) -> tuple[int, list[str]]:
    """(font size, lines): the largest size at which ``text`` wraps into ``max_lines``; at the smallest
    size the last line is cut and ends with an ellipsis."""
    for size in sizes:
        lines = wrap(text, width / size)
        if len(lines) <= max_lines:
            return size, lines
    size = sizes[-1]
    lines = wrap(text, width / size)[:max_lines]
    last = lines[-1]
    while last and text_width(last + ELLIPSIS) > width / size:
        last = last[:-1]
    lines[-1] = last.rstrip() + ELLIPSIS
    return size, lines


def badge_svg(text: BadgeText) -> str:
    """The SVG markup of the badge (400 x 400, UTF-8 text)."""
    light, dark = PALETTES.get(text.category_code or "", NEUTRAL)
    ja_size, ja_lines = fit_lines(text.name_ja or text.name_en, width=250, sizes=(34, 30, 26, 22, 19), max_lines=3)
    en_size, en_lines = fit_lines(text.name_en if text.name_ja else "", width=250, sizes=(18, 16, 14), max_lines=2) \
        if text.name_en and text.name_en != text.name_ja else (14, [])
    block = len(ja_lines) * ja_size * 1.25 + (len(en_lines) * en_size * 1.3 + 10 if en_lines else 0)
    y = 200 - block / 2 + ja_size
    rows = []
    for line in ja_lines:
        rows.append(_text(line, y, ja_size, "700", "#ffffff", "ja"))
        y += ja_size * 1.25
    y += 10 - ja_size * 0.25 + en_size if en_lines else 0
    for line in en_lines:
        rows.append(_text(line, y, en_size, "400", "#e8eef5", "en"))
        y += en_size * 1.3
    category = text.category_ja or text.category_en
    level = f"Lv. {text.level.upper()}" if text.level else ""
    title = " / ".join(p for p in (text.name_ja, text.name_en if text.name_en != text.name_ja else "") if p)
    desc = " · ".join(p for p in (
        f"DSS: {text.category_ja} ({text.category_en})" if category else "",
        f"レベル {text.level.upper()} (Level {text.level.upper()})" if text.level else "") if p)
    return "".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
        'role="img" aria-labelledby="badge-title badge-desc">',
        f'<title id="badge-title">{escape(title)}</title><desc id="badge-desc">{escape(desc or title)}</desc>',
        f'<circle cx="200" cy="200" r="196" fill="{dark}"/>',
        f'<circle cx="200" cy="200" r="180" fill="{light}"/>',
        '<circle cx="200" cy="200" r="168" fill="none" stroke="#ffffff" stroke-opacity="0.55" stroke-width="2"/>',
        _text(_short(category, 16), 88, 16, "700", "#ffffff", "ja", spacing=True) if category else "",
        *rows,
        (f'<rect x="140" y="292" width="120" height="36" rx="18" fill="#ffffff"/>'
         + _text(level, 316, 18, "700", dark, "en")) if level else "",
        '</svg>',
    ])


def _short(value: str, max_em: float) -> str:
    return value if text_width(value) <= max_em else _fit(value, max_em - 1) + ELLIPSIS


def _text(value: str, y: float, size: int, weight: str, fill: str, lang: str, *, spacing: bool = False) -> str:
    extra = ' letter-spacing="1"' if spacing else ""
    return (f'<text x="200" y="{y:.1f}" text-anchor="middle" font-family="{FONT}" font-size="{size}" '
            f'font-weight="{weight}" fill="{fill}" xml:lang="{lang}"{extra}>{escape(value)}</text>')
