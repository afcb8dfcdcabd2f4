"""``bibkit check``: report duplicate keys, duplicate works and unreadable blocks in .bib files."""

from __future__ import annotations

import json

import click

from .common import encoding_option
from .output import progress_option


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Warnings (preprint/published pairs) are errors too.")
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one 'path:line:col: severity: BKnnn message' line per finding; json: one document.")
@click.option("--config", "config", default=None, type=click.Path(dir_okay=False),
              help="pyproject.toml with a [tool.bibkit.check] table (default: the nearest one).")
@click.option("--fix", is_flag=True,
              help="Merge sure duplicates (same key, DOI, arXiv id or ISBN in one file, judged one work) in place, "
                   "give a different work that reuses a key a new key (smith2020b), print one line per change, then "
                   "check again; no other line changes.")
@encoding_option
@progress_option
def command(files: tuple[str, ...], strict: bool, out_format: str, config: str | None, fix: bool) -> None:
    """Check FILES (.bib) together for duplicates and unreadable blocks; nothing is written.

    Exit status: 0 clean (or warnings only), 1 errors (or warnings with --strict,
    or a file changed by --fix), 2 bad usage or an unreadable file.

    \b
    Examples:
      bibkit check refs.bib
      bibkit check chapters/*.bib --strict
      bibkit check refs.bib --format json
      bibkit check refs.bib --fix
      bibkit check big.bib --progress 2> progress.log   # progress even when stderr is not a terminal
    """
    from ..check import check_files

    if fix:
        from ..check import fix_files

        fixed = fix_files(files, strict=strict, config=config)
        assert fixed.after is not None  # fix_files always checks the files again
        report, code = fixed.after, fixed.exit_code
        notes = [f"bibkit check --fix: {change}" for change in fixed.changes]
    else:
        report = check_files(files, strict=strict, config=config)
        code, notes = report.exit_code, []
    if out_format == "json":
        doc = report.to_dict()
        if fix:
            doc["fixed_files"] = fixed.changed_files
            doc["merged"] = fixed.merged
            doc["renamed"] = fixed.renamed
            doc["changes"] = fixed.changes
            doc["exit_code"] = code
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for note in notes:
            click.echo(note)
        for finding in report.findings:
            click.echo(str(finding))
        click.echo(report.summary())
    raise SystemExit(code)
