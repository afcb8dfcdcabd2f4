"""``bibkit styles``: the CSL styles bibkit knows."""

from __future__ import annotations

import click


@click.command("styles")
@click.option("--all", "all_", is_flag=True, help="List every style of the official catalogue too (thousands).")
@click.option("--search", default=None, help="Only styles whose name contains this text.")
def command(all_: bool, search: str | None) -> None:
    """List the curated styles (tested and promised) and, with --all, the whole catalogue.

    \b
    Examples:
      bibkit styles
      bibkit styles --all --search nature
    """
    from ..format.styles import CURATED, known_styles, resolve_style, style_title

    names = list(CURATED)
    if all_ or search:
        names += [n for n in known_styles() if n not in CURATED]
    if search:
        names = [n for n in names if search.lower() in n.lower()]
    for name in names:
        if name in CURATED:
            path = resolve_style(name)
            click.echo(f"{name:45s} {style_title(path)}" + ("" if path.stem == name else f" (-> {path.stem})"))
        else:
            click.echo(name)
