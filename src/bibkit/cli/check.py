"""``bibkit check``: report duplicate keys, duplicate works and unreadable blocks in .bib files."""

from __future__ import annotations

import json

import click


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Warnings (preprint/published pairs) are errors too.")
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'path:line:col: severity: BKnnn message' line per finding; json: one document.")
@click.option("--config", "config", default=None, type=click.Path(dir_okay=False),
              help="pyproject.toml with a [tool.bibkit.check] table (default: the nearest one).")
def command(files: tuple[str, ...], strict: bool, out_format: str, config: str | None) -> None:
    """Check FILES (.bib) together for duplicates and unreadable blocks; nothing is written.

    Exit status: 0 clean (or warnings only), 1 errors (or warnings with --strict),
    2 bad usage or an unreadable file.

    \b
    Examples:
      bibkit check refs.bib
      bibkit check chapters/*.bib --strict
      bibkit check refs.bib --format json
    """
    from ..check import check_files

    report = check_files(files, strict=strict, config=config)
    if out_format == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        for finding in report.findings:
            click.echo(str(finding))
        click.echo(report.summary())
    raise SystemExit(report.exit_code)
