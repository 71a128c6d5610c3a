"""`skillpass records ...`: map learning-record files onto DSS skill items from the command line.

The composition root mounts `records_group`; each command here is parse -> one call -> print.
The mapper is imported only when a command runs and loads its shipped artefact (no scikit-learn, no fit),
so `skillpass --help` and `records map` start quickly (bench/mapping/startup.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from skills.record_parsing import ParseResult, RecordsFileError, parse_records

TEMPLATE_CSV = Path(__file__).parent / "mapping" / "template.csv"


@click.group("records")
def records_group() -> None:
    """Learning records: map them onto DSS skill items."""


def read_records(path: Path) -> ParseResult:
    """Parse a CSV/JSONL file, turning file-level problems into a clear CLI error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return parse_records(data, path.name)
    except RecordsFileError as exc:
        raise click.ClickException(f"{path}: {exc}") from exc


def output_lines(result: ParseResult, matches: list[list]) -> list[dict]:
    """One JSON-ready dict per input row, in file order: its skills, or the error that rejected it."""
    rows: list[tuple[int, dict]] = []
    for record, skills in zip(result.records, matches):
        row: dict = {"line": record.line, "skills": [
            {"id": m.id, "name_ja": m.name_ja, "name_en": m.name_en, "confidence": m.confidence, "level": m.level,
             "level_confidence": m.level_confidence}
            for m in skills]}
        if record.duplicate_of is not None:
            row["duplicate_of"] = record.duplicate_of
        rows.append((record.line, row))
    for error in result.errors:
        rows.append((error.line, {"line": error.line, "error": error.message, "field": error.field}))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


@records_group.command("map")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--version", "version", type=click.Choice(["2.0", "1.2"]), default="2.0", show_default=True,
              help="DSS version to map onto.")
@click.option("--top", "top_k", type=click.IntRange(1, 67), default=5, show_default=True,
              help="Skill items per record.")
def map_command(path: Path, version: str, top_k: int) -> None:
    """Map IN.csv or IN.jsonl: one JSON line per record, best skill first; bad rows give an error line."""
    from skills.mapping import map_records

    result = read_records(path)
    matches = map_records(result.records, version=version, top_k=top_k)
    for row in output_lines(result, matches):
        click.echo(json.dumps(row, ensure_ascii=False))
    if not result.records:
        raise click.ClickException(f"{path}: no record could be read ({len(result.errors)} bad rows)")


@records_group.command("template")
def template_command() -> None:
    """Print the template CSV (UTF-8) with every supported column."""
    click.echo(TEMPLATE_CSV.read_text(encoding="utf-8"), nl=False)
