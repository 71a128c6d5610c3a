"""``skillpass match``: roles, learning paths and job-text analysis from files; one JSON object each.

    skillpass match roles PROFILE.json
    skillpass match path PROFILE.json --role se-backend [--catalog FILE] [--language ja] [--mode online]
    skillpass match job POSTING.txt [MORE.txt ...]
    skillpass match job --jsonl IN.jsonl        # lines {"id": ..., "text": ...}

PROFILE.json: ``{"skills": [{"id": "v2-backend", "level": "b", "status": "verified"}, ...]}`` (``name_ja``
or ``name_en`` instead of ``id``; status defaults to self_declared). No database is used: ``path``
reads the bundled demo catalog unless ``--catalog`` names a YAML/JSON catalog file.

``match job`` with one file prints one indented object; with several files or ``--jsonl`` it prints one
compact JSON line per input, in input order, carrying its ``file`` or ``id`` (a bad input gives an
``error`` line instead). Domain modules are imported inside the commands: the catalog pulls in the
database models and the mapper numpy, and ``skillpass`` start-up should not pay for commands not run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from matching.paths import OBJECTIVES

if TYPE_CHECKING:
    from core.errors import InvalidInput
    from matching.roles import Held

DEMO_CATALOG = Path(__file__).parent / "data" / "demo_courses.yaml"  # = matching.catalog.DEMO_CATALOG (tested), without its database imports


def emit(value: dict[str, Any]) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def fail(error: InvalidInput, source: str) -> click.ClickException:
    return click.ClickException(f"{source}: {error.field or 'input'}: {error.detail}")


def read_profile(path: Path) -> tuple[dict[str, Held], str]:
    """Held skills from PROFILE.json; errors name the file and the field."""
    from core.errors import InvalidInput
    from matching.inputs import parse_profile

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno})",
                                   ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read ({exc})") from None
    try:
        return parse_profile(data)
    except InvalidInput as exc:
        raise fail(exc, str(path)) from None


@click.group("match", help="Match profiles to DSS roles, plan learning paths, read job descriptions.")
def match_group() -> None:
    pass


@match_group.command("roles")
@click.argument("profile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--top-k", default=17, show_default=True, type=click.IntRange(1, 100))
def roles_command(profile: Path, top_k: int) -> None:
    """Rank every DSS role for PROFILE.json: {"version", "roles": [...]}, best first."""
    from matching.present import target_match_view
    from matching.roles import recommend_roles

    held, version = read_profile(profile)
    ranked = recommend_roles(held, version, top_k=top_k)
    emit({"version": version, "roles": [target_match_view(m) for m in ranked]})


@match_group.command("path")
@click.argument("profile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--role", "role_id", required=True, help="DSS role id, e.g. se-backend.")
@click.option("--catalog", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=DEMO_CATALOG,
              show_default="the bundled demo catalog")
@click.option("--language", multiple=True, type=click.Choice(["ja", "en"]))
@click.option("--mode", multiple=True, type=click.Choice(["online", "offline", "hybrid"]))
@click.option("--max-course-hours", type=float)
@click.option("--max-course-price", type=int)
@click.option("--budget-hours", type=float)
@click.option("--budget-price", type=int)
@click.option("--objective", type=click.Choice(OBJECTIVES), default="balanced", show_default=True)
def path_command(profile: Path, role_id: str, catalog: Path, language: tuple[str, ...], mode: tuple[str, ...],
                 max_course_hours: float | None, max_course_price: int | None, budget_hours: float | None,
                 budget_price: int | None, objective: str) -> None:
    """Courses that close PROFILE.json's gap to a role, lower levels first."""
    from core.errors import InvalidInput
    from matching.catalog import catalog_from_file
    from matching.paths import PathFilters, plan_path
    from matching.present import path_view
    from matching.roles import role_targets

    held, version = read_profile(profile)
    target = next((t for t in role_targets(version) if t.id == role_id), None)
    if target is None:
        raise click.ClickException(f"--role: unknown DSS role {role_id!r}")
    try:
        courses = catalog_from_file(catalog)
    except InvalidInput as exc:
        raise fail(exc, str(catalog)) from None
    filters = PathFilters(frozenset(language) or None, frozenset(mode) or None, max_course_hours,
                          max_course_price, budget_hours, budget_price)
    emit(path_view(plan_path(held, target, courses, filters, objective=objective)))


def read_posting(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read as UTF-8 text ({exc})") from None
    if not text.strip():
        raise click.ClickException(f"{path}: the job description is empty")
    return text


def jsonl_inputs(path: Path) -> list[tuple[int, Any, str | None, str | None]]:
    """(line, id, text, error) per non-blank line of IN.jsonl; a bad line keeps its place with an error."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{path}: cannot read as UTF-8 text ({exc})") from None
    inputs = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            inputs.append((number, None, None, f"not valid JSON (column {exc.colno})"))
            continue
        if not isinstance(row, dict):
            inputs.append((number, None, None, 'expected an object {"id": ..., "text": ...}'))
            continue
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            inputs.append((number, row.get("id"), None, "text: the job description is missing or empty"))
        else:
            inputs.append((number, row.get("id"), text, None))
    return inputs


def emit_line(value: dict[str, Any]) -> None:
    click.echo(json.dumps(value, ensure_ascii=False))


@match_group.command("job")
@click.argument("postings", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--jsonl", "jsonl", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='Read postings from JSON lines {"id": ..., "text": ...}; print one JSON line per input.')
@click.option("--version", default="2.0", show_default=True, type=click.Choice(["2.0", "1.2"]))
@click.option("--top-k", default=8, show_default=True, type=click.IntRange(1, 30), help="Skills to propose.")
def job_command(postings: tuple[Path, ...], jsonl: Path | None, version: str, top_k: int) -> None:
    """Roles (best first) and DSS skills with levels for job descriptions (ja or en)."""
    from matching.job_text import analyze_job
    from matching.present import job_view

    if bool(postings) == bool(jsonl):
        raise click.UsageError("give POSTING files or --jsonl IN.jsonl (one of the two)")
    if len(postings) == 1:
        emit(job_view(analyze_job(read_posting(postings[0]), version, top_k)))
        return
    if postings:
        texts = [read_posting(p) for p in postings]  # every file is checked before any output
        for path, text in zip(postings, texts):
            emit_line({"file": str(path), **job_view(analyze_job(text, version, top_k))})
        return
    inputs = jsonl_inputs(jsonl)
    for line, input_id, text, error in inputs:
        if error:
            emit_line({"id": input_id, "line": line, "error": error})
        else:
            emit_line({"id": input_id, **job_view(analyze_job(text, version, top_k))})
    if not any(error is None for *_, error in inputs):
        raise click.ClickException(f"{jsonl}: no posting could be read ({len(inputs)} bad lines)")
