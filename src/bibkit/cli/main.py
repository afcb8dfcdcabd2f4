"""The ``bibkit`` command group and the error handling all commands share."""

from __future__ import annotations

import contextlib
import importlib
import sys
import traceback
from typing import Any

import click

from .. import __version__
from ..errors import BibkitError

#: command name -> module (in this package) defining ``command``
COMMANDS = {
    "convert": "convert",
    "dedupe": "dedupe",
    "format": "format",
    "styles": "styles",
    "check": "check",
    "enrich": "enrich",
}


class BibkitGroup(click.Group):
    """Loads command modules lazily and turns errors into one-line messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self.get_command(ctx, name) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            return importlib.import_module(f"{__package__}.{module}").command
        except ModuleNotFoundError as exc:  # a command whose module is not built yet
            if exc.name != f"{__package__}.{module}":
                raise
            return None

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except BibkitError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"bibkit: error: {exc}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("bibkit: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # an internal error: still one line unless --debug
            if debug:
                traceback.print_exc()
            click.echo(f"bibkit: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                       err=True)
            ctx.exit(3)


@click.group(cls=BibkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bibkit")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
def cli(debug: bool) -> None:
    """bibkit: publication lists and .bib files to clean bibliographic data.

    \b
    Examples:
      bibkit convert examples/profile.md --to bibtex -o refs.bib
      bibkit convert refs.bib --to csl-json
    """


def _terminate(signum: int, frame: Any) -> None:
    # SIGTERM unwinds like Ctrl-C, so atomic writes delete their temporary file
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    import signal

    with contextlib.suppress(ValueError, OSError):  # not in the main thread: keep the default
        signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(args=argv, prog_name="bibkit", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
