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
    "cite": "cite",
    "styles": "styles",
    "check": "check",
    "enrich": "enrich",
    "train": "train",
}


def _debug_flag(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_DEBUG] = True  # meta is shared by the group's context and the command's


_DEBUG = "bibkit.debug"
_NO_ARGS: Any = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2
#: ``--debug`` accepted after the subcommand too (``bibkit convert x.bib --debug``)
_DEBUG_OPTION = click.Option(["--debug"], is_flag=True, expose_value=False, callback=_debug_flag,
                             help="Show tracebacks for errors.")


class BibkitGroup(click.Group):
    """Loads command modules lazily and turns every error into one ``bibkit: error: ...`` line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self.get_command(ctx, name) is not None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        module = COMMANDS.get(name)
        if module is None:
            return None
        try:
            command: click.Command = importlib.import_module(f"{__package__}.{module}").command
        except ModuleNotFoundError as exc:  # a command whose module is not built yet
            if exc.name != f"{__package__}.{module}":
                raise
            return None
        if _DEBUG_OPTION not in command.params:
            command.params.append(_DEBUG_OPTION)
        return command

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Click's own errors (a missing argument, an unknown option, a bad value) in bibkit's style:
        one line ``bibkit: error: ...``, exit code 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except _NO_ARGS as exc:  # plain ``bibkit``: the help, as click gives it
            exc.show()
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            click.echo(f"bibkit: error: {exc.format_message()}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:  # Ctrl-C while the arguments were parsed
            click.echo("bibkit: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BibkitError as exc:
            if ctx.params.get("debug") or ctx.meta.get(_DEBUG):
                traceback.print_exc()
            click.echo(f"bibkit: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("bibkit: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(1)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # an internal error: still one line unless --debug
            if ctx.params.get("debug") or ctx.meta.get(_DEBUG):
                traceback.print_exc()
            click.echo(f"bibkit: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                       err=True)
            ctx.exit(3)


@click.group(cls=BibkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bibkit")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (also accepted after the command).")
def cli(debug: bool) -> None:
    """bibkit: publication lists and .bib files to clean bibliographic data.

    Exit status: 0 done, 1 an error was reported (what could be read is still
    written), 2 bad usage or unreadable input, 3 internal error, 130 interrupted.

    \b
    Examples:
      bibkit convert examples/homepage.md --to bibtex -o refs.bib
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
