"""``skillpass taxonomy``: check the DSS data, export it, import or revert official importance."""

from __future__ import annotations

from pathlib import Path

import click

from taxonomies.dss.errors import ImportanceImportError, TaxonomyError
from taxonomies.dss.exports import FORMATS


def _settings_default(name: str) -> object:
    from core.settings import get_settings

    return getattr(get_settings(), name, None)


def _data_dir(option: str | None) -> Path:
    from taxonomies.dss.service import data_dir_of

    if option:
        return Path(option)
    from core.settings import get_settings

    return data_dir_of(get_settings())


@click.group("taxonomy", help="The Digital Skill Standard taxonomy: check, export, import importance.")
def taxonomy_group() -> None:
    pass


@taxonomy_group.command("check")
@click.option("--data-dir", default=None, help="Directory holding the importance overlay (default: var/).")
def check(data_dir: str | None) -> None:
    """Load every data file, run the integrity check and print the counts."""
    from taxonomies.dss.integrity import counts
    from taxonomies.dss.service import load_data, with_overlay

    try:
        data = load_data()
        tx = with_overlay(data, _data_dir(data_dir))
    except TaxonomyError as exc:
        raise click.ClickException(f"integrity check failed: {exc}") from exc
    for group, values in counts(data).items():
        label = f"ver.{group}" if group[0].isdigit() else group
        click.echo(f"{label}: " + ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in values.items()))
    official = sum(req.provenance == "official" for role in tx.roles() for req in role.requirements.values())
    cells = sum(len(role.requirements) for role in tx.roles())
    click.echo(f"role requirements: {cells} cells, {official} official, {cells - official} estimated")
    click.echo("ok")


@taxonomy_group.command("export")
@click.option("--version", "version", type=click.Choice(["2.0", "1.2"]), default="2.0", show_default=True)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="json", show_default=True)
@click.option("--base-url", default=None, help="Prefix of concept URIs (default: SKILLPASS_BASE_URL).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write here instead of standard output.")
@click.option("--data-dir", default=None, help="Directory holding the importance overlay (default: var/).")
def export_command(version: str, fmt: str, base_url: str | None, output: str | None,
                   data_dir: str | None) -> None:
    """Export one version as json, csv, skos (JSON-LD) or case (1EdTech CASE 1.0 package)."""
    from taxonomies.dss.exports import export
    from taxonomies.dss.service import get_taxonomy

    try:
        text = export(version, fmt, base_url or str(_settings_default("base_url")),
                      tx=get_taxonomy(_data_dir(data_dir)))
    except TaxonomyError as exc:
        raise click.ClickException(str(exc)) from exc
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output} ({fmt}, ver.{version})", err=True)
    else:
        click.echo(text, nl=False)


@taxonomy_group.command("import-importance")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--revert", is_flag=True, help="Remove what an earlier import of this same file added.")
@click.option("--data-dir", default=None, help="Directory for the overlay file (default: var/).")
@click.option("--version", "version", type=click.Choice(["2.0", "1.2"]), default=None,
              help="Version of skill items named in Japanese (needed when a name exists in both).")
def import_importance_command(file: str, revert: bool, data_dir: str | None, version: str | None) -> None:
    """Store an official role x skill importance table (CSV: role_id,skill_id,level) over the estimates."""
    from taxonomies.dss.service import import_importance, revert_importance

    directory = _data_dir(data_dir)
    try:
        summary = revert_importance(Path(file), directory) if revert else \
            import_importance(Path(file), directory, version)
    except ImportanceImportError as exc:
        raise click.ClickException(exc.detail) from exc
    except TaxonomyError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{summary.action} {summary.file}: {summary.cells} cells for {summary.roles} roles "
               f"({summary.overlay_path})")
