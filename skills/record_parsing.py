"""Learning records read from CSV or JSON Lines: decoding, field mapping, validation, duplicates.

Pure functions returning dataclasses; nothing here touches a database. Every bad row is reported
with its line number and the field at fault, and the good rows are still returned.
See docs/skills-mapping.md for the record format.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

import charset_normalizer

FIELDS = (
    "title", "description", "provider", "hours", "completion_date",
    "score", "lang", "course_level", "url",
)

# Header (CSV) or key (JSONL) spellings accepted for each field, after normalize_header().
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "course", "course_title", "course_name", "name", "講座名", "コース名", "研修名",
              "タイトル", "科目名"),
    "description": ("description", "summary", "details", "説明", "概要", "内容"),
    "provider": ("provider", "platform", "vendor", "organizer", "提供元", "提供者", "主催", "主催者",
                 "実施機関", "プラットフォーム"),
    "hours": ("hours", "duration_hours", "duration", "時間", "学習時間", "受講時間", "時間数"),
    "completion_date": ("completion_date", "completed", "completed_on", "completed_at", "date",
                        "修了日", "完了日", "受講日"),
    "score": ("score", "result", "grade", "点数", "スコア", "成績", "結果"),
    "lang": ("lang", "language", "言語"),
    "course_level": ("course_level", "level", "difficulty", "難易度", "レベル"),
    "url": ("url", "link", "リンク"),
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}

COURSE_LEVELS = ("beginner", "intermediate", "advanced", "expert")
_COURSE_LEVEL_WORDS = {
    "beginner": "beginner", "introductory": "beginner", "basic": "beginner", "入門": "beginner",
    "初級": "beginner", "初心者": "beginner", "基礎": "beginner", "d": "beginner",
    "intermediate": "intermediate", "中級": "intermediate", "c": "intermediate",
    "advanced": "advanced", "上級": "advanced", "応用": "advanced", "b": "advanced",
    "expert": "expert", "professional": "expert", "エキスパート": "expert", "専門": "expert",
    "a": "expert",
}
_PASS_WORDS = {"pass", "passed", "合格", "修了", "完了", "済", "ok", "yes", "true", "○"}
_FAIL_WORDS = {"fail", "failed", "不合格", "未修了", "no", "false", "×"}
_LANG_WORDS = {"ja": "ja", "jp": "ja", "jpn": "ja", "japanese": "ja", "日本語": "ja",
               "en": "en", "eng": "en", "english": "en", "英語": "en"}
_JAPANESE_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


class RecordsFileError(ValueError):
    """The file as a whole cannot be read (encoding, format, missing title column)."""


@dataclass(frozen=True)
class LearningRecord:
    """One learning record, validated and normalised. `line` is its line in the source file."""

    line: int
    title: str
    description: str = ""
    provider: str = ""
    hours: float | None = None
    completion_date: date | None = None
    score: float | None = None  # 0-100 when given as a number
    passed: bool | None = None  # set when given as pass/fail
    lang: str = "en"
    course_level: str | None = None  # one of COURSE_LEVELS
    url: str | None = None
    duplicate_of: int | None = None  # line of an earlier record with the same key


@dataclass(frozen=True)
class RowError:
    """Why the row starting at `line` was rejected; `field` names the column at fault."""

    line: int
    field: str
    message: str


@dataclass(frozen=True)
class ParseResult:
    """Good records (in file order), errors for bad rows, and what was detected about the file."""

    records: list[LearningRecord]
    errors: list[RowError]
    encoding: str
    format: str
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> list[LearningRecord]:
        """Records that repeat an earlier one (same normalised title, provider and date)."""
        return [r for r in self.records if r.duplicate_of is not None]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or Shift_JIS/CP932; refuse anything else clearly."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict_decode(data[len(codecs.BOM_UTF8):], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise RecordsFileError("the file is UTF-16 (Excel 'Unicode text'); save it as 'CSV UTF-8' instead")
    if data.startswith(b"PK\x03\x04"):
        raise RecordsFileError("the file is a zip/Excel workbook, not CSV or JSONL; save it as 'CSV UTF-8'")
    if b"\x00" in data:
        raise RecordsFileError("the file contains NUL bytes: it is binary, not CSV or JSONL text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if charset_normalizer.from_bytes(data, cp_isolation=["cp932"]).best() is not None:
        return data.decode("cp932"), "cp932"
    guess = charset_normalizer.from_bytes(data).best()
    named = f" (it looks like {guess.encoding})" if guess is not None else ""
    raise RecordsFileError(f"unsupported text encoding{named}: save the file as UTF-8 or Shift_JIS (CP932)")


def _strict_decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RecordsFileError(f"the file starts with a UTF-8 BOM but is not valid UTF-8 (byte {exc.start})")


def normalize_header(name: str) -> str:
    """Header/key spelling used for alias lookup: NFKC, case-folded, separators as underscores."""
    text = unicodedata.normalize("NFKC", name).strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def parse_records(data: bytes, filename: str = "") -> ParseResult:
    """Parse CSV or JSONL bytes; the format comes from the file name, else from the first character."""
    text, encoding = decode_bytes(data)
    fmt = _guess_format(text, filename)
    if fmt == "jsonl":
        return parse_jsonl_text(text, encoding)
    return parse_csv_text(text, encoding)


def _guess_format(text: str, filename: str) -> str:
    lower = filename.lower()
    if lower.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if lower.endswith((".csv", ".txt")):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def parse_csv_text(text: str, encoding: str = "utf-8") -> ParseResult:
    """Parse CSV text with a header row; line numbers are 1-based physical lines (header = 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RecordsFileError("the file is empty") from None
    columns = [_ALIAS_TO_FIELD.get(normalize_header(h)) for h in header]
    if "title" not in columns:
        raise RecordsFileError(f"no title column in the header {header!r}; see the template CSV")
    ignored = [h for h, c in zip(header, columns) if c is None and h.strip()]
    raws, errors = [], []
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            errors.append(RowError(line, "row", f"{len(row)} cells but the header has {len(header)}"))
            continue
        raws.append((line, {c: v for c, v in zip(columns, row) if c is not None}))
    return _build(raws, errors, encoding, "csv", ignored)


def parse_jsonl_text(text: str, encoding: str = "utf-8") -> ParseResult:
    """Parse JSON Lines text: one object per line; blank lines are skipped."""
    raws, errors, ignored = [], [], set()
    for line, raw_line in enumerate(text.splitlines(), start=1):
        if not raw_line.strip():
            continue
        try:
            obj = json.loads(raw_line)
        except json.JSONDecodeError as exc:
            errors.append(RowError(line, "row", f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(obj, dict):
            errors.append(RowError(line, "row", "expected a JSON object"))
            continue
        values = {}
        for key, value in obj.items():
            name = _ALIAS_TO_FIELD.get(normalize_header(str(key)))
            if name is None:
                ignored.add(str(key))
            else:
                values[name] = value
        raws.append((line, values))
    if not raws and not errors:
        raise RecordsFileError("the file is empty")
    return _build(raws, errors, encoding, "jsonl", sorted(ignored))


def _build(raws: list[tuple[int, dict]], errors: list[RowError], encoding: str, fmt: str,
           ignored: list[str]) -> ParseResult:
    records, seen = [], {}
    for line, values in raws:
        record = parse_row(line, values)
        if isinstance(record, RowError):
            errors.append(record)
            continue
        key = duplicate_key(record)
        if key in seen:
            record = replace(record, duplicate_of=seen[key])
        else:
            seen[key] = line
        records.append(record)
    errors.sort(key=lambda e: e.line)
    return ParseResult(records, errors, encoding, fmt, list(ignored))


def parse_row(line: int, values: dict[str, object]) -> LearningRecord | RowError:
    """Validate one row's mapped values; return the record or the first field error."""
    text = {k: _as_text(v) for k, v in values.items()}
    title = text.get("title", "")
    if not title:
        return RowError(line, "title", "title is required")
    parsed: dict[str, object] = {}
    for name, parse in _FIELD_PARSERS.items():
        raw = values.get(name)
        if _as_text(raw) == "":
            continue
        try:
            parsed.update(parse(raw))
        except ValueError as exc:
            return RowError(line, name, str(exc))
    description = text.get("description", "")
    lang = parsed.pop("lang", None) or detect_lang(f"{title} {description}")
    return LearningRecord(line=line, title=title, description=description,
                          provider=text.get("provider", ""), lang=lang, **parsed)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_hours(value: object) -> dict[str, object]:
    """Hours as a non-negative number; '12', '1.5', '12h', '12時間' are accepted."""
    if isinstance(value, bool):
        raise ValueError("hours must be a number")
    if isinstance(value, (int, float)):
        hours = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().lower()
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|時間)?", text)
        if not match:
            raise ValueError(f"hours must be a number, got {str(value)!r}")
        hours = float(match.group(1))
    if not 0 <= hours <= 10_000:
        raise ValueError(f"hours out of range: {hours}")
    return {"hours": hours}


def parse_completion_date(value: object) -> dict[str, object]:
    """Dates as YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日 (a time part is ignored)."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return {"completion_date": date(*(int(g) for g in match.groups()))}
            except ValueError:
                break
    raise ValueError(f"not a date (use YYYY-MM-DD): {text!r}")


def parse_score(value: object) -> dict[str, object]:
    """A score 0-100 ('85', '85%', '17/20') or a pass/fail word (pass, fail, 合格, 不合格)."""
    if isinstance(value, bool):
        return {"passed": value}
    if isinstance(value, (int, float)):
        return {"score": _score_range(float(value))}
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if text in _PASS_WORDS:
        return {"passed": True}
    if text in _FAIL_WORDS:
        return {"passed": False}
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%|点)?", text)
    if match:
        return {"score": _score_range(float(match.group(1)))}
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)", text)
    if match and float(match.group(2)) > 0:
        return {"score": _score_range(100 * float(match.group(1)) / float(match.group(2)))}
    raise ValueError(f"score must be a number 0-100 or pass/fail, got {str(value)!r}")


def _score_range(score: float) -> float:
    if not 0 <= score <= 100:
        raise ValueError(f"score out of range 0-100: {score:g}")
    return score


def parse_lang(value: object) -> dict[str, object]:
    """Language as ja/en (also Japanese/English/日本語/英語) or another short language code."""
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if text in _LANG_WORDS:
        return {"lang": _LANG_WORDS[text]}
    if re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", text):
        return {"lang": text.split("-")[0]}
    raise ValueError(f"lang must be a language code such as ja or en, got {str(value)!r}")


def parse_course_level(value: object) -> dict[str, object]:
    """Course level as beginner/intermediate/advanced/expert (or 初級/中級/上級/エキスパート, d/c/b/a)."""
    text = unicodedata.normalize("NFKC", str(value)).strip().casefold()
    if text in _COURSE_LEVEL_WORDS:
        return {"course_level": _COURSE_LEVEL_WORDS[text]}
    raise ValueError(f"course_level must be one of {', '.join(COURSE_LEVELS)}, got {str(value)!r}")


def parse_url(value: object) -> dict[str, object]:
    """An http(s) URL."""
    text = str(value).strip()
    if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text, flags=re.IGNORECASE):
        raise ValueError(f"url must start with http:// or https://, got {text!r}")
    return {"url": text}


_FIELD_PARSERS = {
    "hours": parse_hours,
    "completion_date": parse_completion_date,
    "score": parse_score,
    "lang": parse_lang,
    "course_level": parse_course_level,
    "url": parse_url,
}


def detect_lang(text: str) -> str:
    """'ja' when the text has any kana or kanji, else 'en'."""
    return "ja" if _JAPANESE_CHARS.search(text) else "en"


def normalize_key_text(text: str) -> str:
    """Text as compared for duplicates: NFKC, case-folded, without spaces and brackets."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\u3000「」『』【】()\[\]・:：\-_]+", "", text)


def duplicate_key(record: LearningRecord) -> tuple[str, str, str]:
    """Two records are duplicates when title, provider and completion date agree after normalising."""
    day = record.completion_date.isoformat() if record.completion_date else ""
    return normalize_key_text(record.title), normalize_key_text(record.provider), day


def records_from_dicts(rows: list[dict[str, object]]) -> ParseResult:
    """Validate already-decoded rows (e.g. from an API body); `line` is the 1-based position."""
    raws = []
    for index, row in enumerate(rows, start=1):
        values = {}
        for key, value in row.items():
            name = _ALIAS_TO_FIELD.get(normalize_header(str(key)))
            if name is not None:
                values[name] = value
        raws.append((index, values))
    return _build(raws, [], "utf-8", "dicts", [])
